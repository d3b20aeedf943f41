/**
 * One writer at a time per state database: every command that writes to a cloud (apply, sync, entra setup, entra
 * provision --assign, entra harden, scp, decommission, breakglass, replace, rollback) holds the writer lease from
 * before it writes until it ends, and refreshes its heartbeat meanwhile. A second writer refuses and names the run
 * that holds it. A lease left by a process that died on this host (kill -9, a crash) is taken over with a note; one
 * from another host is taken over once its heartbeat is stale (the holder stopped beating), or on request
 * (`--break-lock`).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CloudError } from '../errors.js';
import type { StateDb } from '../store/db.js';
import { acquireLock, beatLock, type LockHolder, releaseLock } from '../store/lock-repo.js';

/** The lease's name in the state database. */
export const WRITER_LOCK = 'writer';

/** How often a holder refreshes its heartbeat, and how old one may be before another host's lease counts as gone. */
export const HEARTBEAT_MS = 15_000;
export const STALE_AFTER_MS = 120_000;

/** A held lease. */
export type HeldLock = { holder: LockHolder; release(): void };

export type LockOptions = {
  /** The command taking the lease (`apply`, `sync`, `entra setup`...), named to a run that finds it held. */
  command: string;
  /** Take the lease whoever holds it (the holder is gone, e.g. on another host). */
  breakLock?: boolean;
  note(line: string): void;
  pid?: number;
  host?: string;
  now?: () => Date;
  /** Whether a process of this host is running (default: signal 0, and not a zombie). */
  isAlive?: (pid: number) => boolean;
  heartbeatMs?: number;
  staleAfterMs?: number;
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
  return `${h.command} run ${h.runId} (pid ${h.pid} on ${h.host}, since ${h.since}, last heartbeat ${h.heartbeat})`;
}

/** Why the holder counts as gone, or null while it may still run. */
function goneBecause(h: LockHolder, me: LockHolder, options: LockOptions, now: Date): string | null {
  if (h.host === me.host) return (options.isAlive ?? processAlive)(h.pid) ? null : 'that process is no longer running';
  const age = now.getTime() - Date.parse(h.heartbeat);
  const stale = options.staleAfterMs ?? STALE_AFTER_MS;
  return age > stale ? `its heartbeat is ${Math.round(age / 1000)} s old (stale after ${stale / 1000} s)` : null;
}

/**
 * Takes the writer lease for run `runId` of `options.command`, or throws (exit code 1) naming the run that holds
 * it. The lease is refreshed every `heartbeatMs` until `release()`.
 */
export function holdWriterLock(db: StateDb, runId: string, options: LockOptions): HeldLock {
  const now = () => options.now?.() ?? new Date();
  const at = now().toISOString();
  const me: LockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    runId,
    command: options.command,
    since: at,
    heartbeat: at,
  };
  const reasons = new Map<LockHolder, string>();
  const got = acquireLock(db, WRITER_LOCK, me, (h) => {
    const why = options.breakLock ? '--break-lock' : goneBecause(h, me, options, now());
    if (why) reasons.set(h, why);
    return why !== null;
  });
  if (!got.ok) {
    const h = got.holder;
    throw new CloudError(
      'iam2sso',
      'WriterBusy',
      `another run writes through this state database: ${describe(h)}`,
      undefined,
      h.host === me.host
        ? `wait for it to finish, then run the same command again (it resumes where ${h.runId} leaves off)`
        : `wait for it to finish; if nothing runs on ${h.host} any more, its lease is taken over once its heartbeat is ${(options.staleAfterMs ?? STALE_AFTER_MS) / 1000} s old, or run again with --break-lock`,
    );
  }
  const replaced = got.replaced;
  if (replaced && !(replaced.pid === me.pid && replaced.host === me.host))
    options.note(`note: took over the writer lease of ${describe(replaced)}: ${reasons.get(replaced) ?? 'gone'}`);
  const timer = setInterval(() => {
    try {
      if (!beatLock(db, WRITER_LOCK, me, now())) {
        clearInterval(timer);
        options.note(`warning: the writer lease of run ${runId} was taken over by another run; stop this one`);
      }
    } catch {
      clearInterval(timer);
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  return {
    holder: me,
    release: () => {
      clearInterval(timer);
      releaseLock(db, WRITER_LOCK, me);
    },
  };
}
