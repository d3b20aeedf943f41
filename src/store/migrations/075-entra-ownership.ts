/**
 * Ownership of the Entra enterprise app and of its group assignments, carried over from earlier journals: an app an
 * earlier `entra setup` created (journaled `entra.setup.create-app`, done) and a group assignment an earlier apply made
 * (`entra.app.assign`, done) are recorded as owned, so that rollback and later runs may change them. No schema change.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  const carry = db.prepare(
    `INSERT OR IGNORE INTO owned_objects (kind, object_key, object_id, origin, run_id, recorded_at)
     VALUES (?, ?, ?, 'created', ?, ?)`,
  );
  const rows = db
    .prepare(
      `SELECT run_id, step_id, kind, payload_json, result_json, started_at FROM apply_journal
       WHERE status = 'done' AND kind IN ('entra.setup.create-app', 'entra.app.assign') ORDER BY entry_id`,
    )
    .all() as {
    run_id: string;
    step_id: string;
    kind: string;
    payload_json: string;
    result_json: string | null;
    started_at: string;
  }[];
  for (const r of rows) {
    if (r.kind === 'entra.app.assign') {
      const group = r.step_id.slice('entra.app.assign:'.length).toLowerCase();
      if (group) carry.run('entra-app-assignment', group, null, r.run_id, r.started_at);
      continue;
    }
    const action = (JSON.parse(r.payload_json) as { action?: { displayName?: string } }).action;
    // The old result was "service principal <id>, app id <id>".
    const sp = /service principal (\S+),/.exec(String(r.result_json ? JSON.parse(r.result_json) : ''))?.[1] ?? null;
    if (action?.displayName) carry.run('entra-app', action.displayName.toLowerCase(), sp, r.run_id, r.started_at);
  }
}
