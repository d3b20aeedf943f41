/** Retiring direct SAML federation: each (account, role)'s stage and the snapshots taken before deletes (migration 135). */
import type { SamlRoleStage, SamlStageRecord } from '../core/saml-retire.js';
import type { StateDb } from './db.js';

/** Every (account, role)'s stage, keyed `account/role`. */
export function loadSamlStages(db: StateDb): Map<string, SamlStageRecord> {
  const rows = db.prepare('SELECT account_id, role, stage, entered_at FROM saml_retire_stages').all() as {
    account_id: string;
    role: string;
    stage: SamlRoleStage;
    entered_at: string;
  }[];
  return new Map(
    rows.map((r) => [
      `${r.account_id}/${r.role}`,
      { accountId: r.account_id, role: r.role, stage: r.stage, enteredAt: r.entered_at },
    ]),
  );
}

/** Records that an (account, role) entered a stage; `active` forgets it. */
export function saveSamlStage(db: StateDb, record: SamlStageRecord, runId: string | null): void {
  if (record.stage === 'active') {
    db.prepare('DELETE FROM saml_retire_stages WHERE account_id = ? AND role = ?').run(record.accountId, record.role);
    return;
  }
  db.prepare(
    `INSERT INTO saml_retire_stages (account_id, role, stage, entered_at, run_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, role) DO UPDATE SET stage = excluded.stage, entered_at = excluded.entered_at,
     run_id = excluded.run_id`,
  ).run(record.accountId, record.role, record.stage, record.enteredAt, runId);
}

/** Stores what was read of an object just before its delete (one per run and object). */
export function saveSamlSnapshot(
  db: StateDb,
  runId: string,
  kind: 'role' | 'provider' | 'app',
  key: string,
  takenAt: string,
  snapshot: unknown,
): void {
  db.prepare(
    'INSERT OR IGNORE INTO saml_retire_snapshots (run_id, object_kind, object_key, taken_at, snapshot_json) VALUES (?, ?, ?, ?, ?)',
  ).run(runId, kind, key, takenAt, JSON.stringify(snapshot));
}

/** The snapshots of a run, for `explain` and people. */
export function samlSnapshots(db: StateDb, runId: string): { kind: string; key: string; snapshot: unknown }[] {
  const rows = db
    .prepare('SELECT object_kind, object_key, snapshot_json FROM saml_retire_snapshots WHERE run_id = ? ORDER BY 1, 2')
    .all(runId) as { object_kind: string; object_key: string; snapshot_json: string }[];
  return rows.map((r) => ({ kind: r.object_kind, key: r.object_key, snapshot: JSON.parse(r.snapshot_json) }));
}
