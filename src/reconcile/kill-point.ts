/**
 * A fault-injection hook for the kill -9 soak: `IAM2SSO_KILL_AT=intent:3` makes the process SIGKILL itself right
 * after the 3rd intent is journaled (`submitted:N` after the Nth request id, `result:N` just before the Nth result,
 * i.e. after the call succeeded, `done:N` right after the Nth result is journaled, between two changes). Unset in
 * normal use; it only ever stops the process, never changes what it does.
 */

/** Where to die: after the Nth journal write of a kind. */
export type KillPoint = { at: 'intent' | 'submitted' | 'result' | 'done'; count: number };

/** Reads the kill point from the environment, or null. */
export function killPointFromEnv(env: NodeJS.ProcessEnv): KillPoint | null {
  const m = /^(intent|submitted|result|done):(\d+)$/.exec(env.IAM2SSO_KILL_AT ?? '');
  return m ? { at: m[1] as KillPoint['at'], count: Number(m[2]) } : null;
}

/** A counter that kills the process when the kill point is reached. */
export function killSwitch(point: KillPoint | null): (at: KillPoint['at']) => void {
  const seen = { intent: 0, submitted: 0, result: 0, done: 0 };
  return (at) => {
    if (!point || at !== point.at) return;
    seen[at]++;
    if (seen[at] !== point.count) return;
    process.kill(process.pid, 'SIGKILL');
    // The signal lands asynchronously: block until it does, so that nothing after the kill point runs.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  };
}
