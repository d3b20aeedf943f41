/**
 * The lock repository: a named lock held by one process (pid on a host) at a time. Taking it reads and writes
 * in one immediate transaction, so two processes on the same state database cannot both get it.
 */
import type { StateDb } from './db.js';

/** Who holds a lock, and since when. */
export type LockHolder = { pid: number; host: string; runId: string; since: string };

/** Taken (maybe from a holder that is gone), or refused because someone else holds it. */
export type AcquireResult = { ok: true; replaced: LockHolder | null } | { ok: false; holder: LockHolder };

type Row = { pid: number; host: string; run_id: string; acquired_at: string };

/** The lock's holder, or null when it is free. */
export function readLock(db: StateDb, name: string): LockHolder | null {
  const row = db.prepare('SELECT pid, host, run_id, acquired_at FROM locks WHERE name = ?').get(name) as
    | Row
    | undefined;
  return row ? { pid: row.pid, host: row.host, runId: row.run_id, since: row.acquired_at } : null;
}

/**
 * Takes the lock for `me`. A current holder is replaced only when `canReplace(holder)` says it is gone (a dead
 * process on this host, or an explicit break); otherwise the holder is returned.
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
      `INSERT INTO locks (name, pid, host, run_id, acquired_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, host = excluded.host, run_id = excluded.run_id,
         acquired_at = excluded.acquired_at`,
    ).run(name, me.pid, me.host, me.runId, me.since);
    return { ok: true, replaced: holder };
  });
  return take.immediate();
}

/** Releases the lock if `me` still holds it; returns whether it did. */
export function releaseLock(db: StateDb, name: string, me: Pick<LockHolder, 'pid' | 'host' | 'runId'>): boolean {
  const out = db
    .prepare('DELETE FROM locks WHERE name = ? AND pid = ? AND host = ? AND run_id = ?')
    .run(name, me.pid, me.host, me.runId);
  return out.changes > 0;
}
