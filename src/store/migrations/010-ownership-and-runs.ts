/**
 * Ownership and runs. `owned_objects`: every object the tool created (recorded when the create is journaled) or a
 * person adopted; nothing else is ever updated or deleted. `runs`: one row per journaled command run (apply, sync,
 * entra setup, rollback) with its status. Objects earlier applies created (done creates in the journal) are
 * carried over as owned.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE owned_objects (
      -- permission-set, assignment, entra-group, store-group, store-user
      kind TEXT NOT NULL,
      -- The natural key: a permission set's name, a group's lower-cased name, account|permission set|group.
      object_key TEXT NOT NULL,
      object_id TEXT,
      origin TEXT NOT NULL CHECK (origin IN ('created', 'adopted')),
      run_id TEXT,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (kind, object_key)
    );

    CREATE TABLE runs (
      run_id TEXT PRIMARY KEY,
      command TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
      -- The run this one rolls back, for rollback runs.
      target_run_id TEXT,
      summary_json TEXT,
      started_at TEXT NOT NULL,
      finished_at TEXT
    );
  `);
  const carry = db.prepare(
    `INSERT OR IGNORE INTO owned_objects (kind, object_key, object_id, origin, run_id, recorded_at)
     VALUES (?, ?, NULL, 'created', ?, ?)`,
  );
  const rows = db
    .prepare(
      `SELECT run_id, step_id, kind, target, started_at FROM apply_journal WHERE status = 'done' ORDER BY entry_id`,
    )
    .all() as { run_id: string; step_id: string; kind: string; target: string; started_at: string }[];
  for (const r of rows) {
    if (r.kind === 'ps.create') carry.run('permission-set', r.target, r.run_id, r.started_at);
    if (r.kind === 'store.create-group') carry.run('store-group', r.target.toLowerCase(), r.run_id, r.started_at);
    if (r.kind === 'entra.create-group') carry.run('entra-group', r.target.toLowerCase(), r.run_id, r.started_at);
    if (r.kind === 'create-assignment') {
      const [, accountId, permissionSet, group] = r.step_id.split(':');
      carry.run('assignment', `${accountId}|${permissionSet}|${(group ?? '').toLowerCase()}`, r.run_id, r.started_at);
    }
  }
  db.exec(`
    INSERT OR IGNORE INTO runs (run_id, command, status, started_at, finished_at)
      SELECT run_id, 'apply', 'done', MIN(started_at), MAX(finished_at) FROM apply_journal GROUP BY run_id;
  `);
}
