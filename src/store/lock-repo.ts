/**
 * The lock repository: a named lease held by one process (pid on a host) at a time, with the command it runs and a
 * heartbeat. Taking it reads and writes in one immediate transaction, so two processes on the same state database
 * cannot both get it.
 */
import type { StateDb } from './db.js';

/** Who holds a lock, for which command and run, since when, and when it last beat. */
export type LockHolder = {
  pid: number;
  host: string;
  runId: string;
  command: string;
  since: string;
  heartbeat: string;
};

/** Taken (maybe from a holder that is gone), or refused because someone else holds it. */
export type AcquireResult = { ok: true; replaced: LockHolder | null } | { ok: false; holder: LockHolder };

type Row = { pid: number; host: string; run_id: string; command: string; acquired_at: string; heartbeat_at: string };

/** The lock's holder, or null when it is free. */
export function readLock(db: StateDb, name: string): LockHolder | null {
  const row = db
    .prepare('SELECT pid, host, run_id, command, acquired_at, heartbeat_at FROM locks WHERE name = ?')
    .get(name) as Row | undefined;
  return row
    ? {
        pid: row.pid,
        host: row.host,
        runId: row.run_id,
        command: row.command,
        since: row.acquired_at,
        heartbeat: row.heartbeat_at ?? row.acquired_at,
      }
    : null;
}

/**
 * Takes the lock for `me`. A current holder is replaced only when `canReplace(holder)` says it is gone (a dead
 * process on this host, a stale heartbeat from another, or an explicit break); otherwise the holder is returned.
 */
export function acquireLock(
  db: StateDb,
  name: string,
  me: LockHolder,
  canReplace: (holder: LockHolder) => boolean,
): AcquireResult {
  const take = db.transaction((): AcquireResult => {
    const holder = readLock(db, name);
    if (holder && !(holder.pid === me.pid && holder.host === me.host) && !canReplace(holder))
      return { ok: false, holder };
    db.prepare(
      `INSERT INTO locks (name, pid, host, run_id, command, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, run_id = excluded.run_id,
         command = excluded.command, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
    ).run(name, me.pid, me.host, me.runId, me.command, me.since, me.heartbeat);
    return { ok: true, replaced: holder };
  });
  return take.immediate();
}

/** Refreshes the heartbeat if `me` still holds the lock; returns whether it does. */
export function beatLock(db: StateDb, name: string, me: Pick<LockHolder, 'pid' | 'host' | 'runId'>, at: Date): boolean {
  const out = db
    .prepare('UPDATE locks SET heartbeat_at = ? WHERE name = ? AND pid = ? AND host = ? AND run_id = ?')
    .run(at.toISOString(), name, me.pid, me.host, me.runId);
  return out.changes > 0;
}

/** Releases the lock if `me` still holds it; returns whether it did. */
export function releaseLock(db: StateDb, name: string, me: Pick<LockHolder, 'pid' | 'host' | 'runId'>): boolean {
  const out = db
    .prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ? AND run_id = ?')
    .run(name, me.pid, me.host, me.runId);
  return out.changes > 0;
}
