/**
 * One apply at a time per state database: the run holds the `apply` lock from before it reads anything until it
 * ends. A second run refuses and names the holder; a lock left by a process that died on this host (kill -9, a
 * crash) is taken over with a note; one held from another host is only broken on request (`--break-lock`).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CloudError } from '../errors.js';
import type { StateDb } from '../store/db.js';
import { acquireLock, type LockHolder, releaseLock } from '../store/lock-repo.js';

/** The lock's name in the state database. */
export const APPLY_LOCK = 'apply';

/** A held lock. */
export type HeldLock = { holder: LockHolder; release(): void };

export type LockOptions = {
  /** Take the lock whoever holds it (the holder is gone, e.g. on another host). */
  breakLock?: boolean;
  note(line: string): void;
  pid?: number;
  host?: string;
  now?: () => Date;
  /** Whether a process of this host is running (default: signal 0, and not a zombie). */
  isAlive?: (pid: number) => boolean;
};

/** True when process `pid` of this host is running (a killed process not yet reaped is not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

function describe(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} since ${h.since} (run ${h.runId})`;
}

/** Takes the apply lock for `runId`, or throws (exit code 1) naming who holds it. */
export function holdApplyLock(db: StateDb, runId: string, options: LockOptions): HeldLock {
  const me: LockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    runId,
    since: (options.now?.() ?? new Date()).toISOString(),
  };
  const alive = options.isAlive ?? processAlive;
  const gone = (h: LockHolder) => h.host === me.host && !alive(h.pid);
  const got = acquireLock(db, APPLY_LOCK, me, (h) => options.breakLock === true || gone(h));
  if (!got.ok) {
    const h = got.holder;
    throw new CloudError(
      'iam2sso',
      'ApplyInProgress',
      `another apply holds the lock on this state database: ${describe(h)}`,
      undefined,
      h.host === me.host
        ? 'wait for it to finish, then run the same command again'
        : `wait for it to finish; if no apply is running on ${h.host} any more, run again with --break-lock`,
    );
  }
  if (got.replaced && !(got.replaced.pid === me.pid && got.replaced.host === me.host))
    options.note(
      gone(got.replaced)
        ? `note: took over the apply lock left by ${describe(got.replaced)}: that process is no longer running`
        : `note: broke the apply lock held by ${describe(got.replaced)} (--break-lock)`,
    );
  return { holder: me, release: () => releaseLock(db, APPLY_LOCK, me) };
}
