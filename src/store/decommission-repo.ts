/** The decommission repository: each retired user's stage, and the snapshots taken before `delete`. */
import type { DecommissionStage, IamUserFacts, LegacyUse, StageRecord } from '../core/decommission-types.js';
import type { IamChange } from '../core/reconcile/changes-iam.js';
import type { TrackWindow } from '../core/track-coverage.js';
import type { StateDb } from './db.js';

type StageRow = {
  account_id: string;
  user_name: string;
  stage: DecommissionStage;
  entered_at: string;
  run_id: string | null;
};

/** Every user's stage record, keyed `account/user`. */
export function loadStages(db: StateDb): Map<string, StageRecord> {
  const rows = db.prepare('SELECT * FROM decommission_stages').all() as StageRow[];
  return new Map(
    rows.map((r) => [
      `${r.account_id}/${r.user_name}`,
      { accountId: r.account_id, userName: r.user_name, stage: r.stage, enteredAt: r.entered_at, runId: r.run_id },
    ]),
  );
}

/** Records that a user entered a stage (replacing its previous stage). */
export function saveStage(db: StateDb, record: StageRecord): void {
  db.prepare(
    `INSERT INTO decommission_stages (account_id, user_name, stage, entered_at, run_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, user_name) DO UPDATE SET stage = excluded.stage, entered_at = excluded.entered_at,
     run_id = excluded.run_id`,
  ).run(record.accountId, record.userName, record.stage, record.enteredAt, record.runId);
}

/** Forgets a user's stage (rolled back to active). */
export function clearStage(db: StateDb, accountId: string, userName: string): void {
  db.prepare('DELETE FROM decommission_stages WHERE account_id = ? AND user_name = ?').run(accountId, userName);
}

/** Stores the snapshot taken before `delete` (one per run; a resumed run keeps the first). */
export function saveSnapshot(db: StateDb, facts: IamUserFacts, runId: string, takenAt: string): void {
  db.prepare(
    `INSERT OR IGNORE INTO decommission_snapshots (account_id, user_name, run_id, taken_at, snapshot_json)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(facts.accountId, facts.userName, runId, takenAt, JSON.stringify(facts));
}

/** The run that took each snapshot (the first run of each delete), by user (`account/user`). */
export function snapshotRuns(db: StateDb): { key: string; runId: string }[] {
  const rows = db.prepare('SELECT account_id, user_name, run_id FROM decommission_snapshots').all() as {
    account_id: string;
    user_name: string;
    run_id: string;
  }[];
  return rows.map((r) => ({ key: `${r.account_id}/${r.user_name}`, runId: r.run_id }));
}

/** The newest snapshot of a user, or null. */
export function latestSnapshot(db: StateDb, accountId: string, userName: string): IamUserFacts | null {
  const row = db
    .prepare(
      `SELECT snapshot_json FROM decommission_snapshots WHERE account_id = ? AND user_name = ?
       ORDER BY taken_at DESC, rowid DESC LIMIT 1`,
    )
    .get(accountId, userName) as { snapshot_json: string } | undefined;
  return row ? (JSON.parse(row.snapshot_json) as IamUserFacts) : null;
}

/** Legacy uses `track` recorded for each IAM user (`account/user`), from the merged timeline. */
export function legacyUsesByUser(db: StateDb): Map<string, LegacyUse[]> {
  const rows = db
    .prepare(
      `SELECT subject, usage, via, account_id, detail, last_time, last_event_id, events, last_source_ip
       FROM track_timeline WHERE subject_kind = 'iam-user' AND usage IN ('legacy', 'legacy-attempt')`,
    )
    .all() as {
    subject: string;
    usage: string;
    via: string;
    account_id: string;
    detail: string;
    last_time: string;
    last_event_id: string;
    events: number;
    last_source_ip: string | null;
  }[];
  const out = new Map<string, LegacyUse[]>();
  for (const r of rows) {
    const list = out.get(r.subject) ?? [];
    list.push({
      usage: r.usage,
      via: r.via,
      accountId: r.account_id,
      detail: r.detail,
      lastTime: r.last_time,
      lastEventId: r.last_event_id,
      events: r.events,
      sourceIp: r.last_source_ip,
    });
    out.set(r.subject, list);
  }
  return out;
}

/** The window each `track` run read (with its regions and the accounts and regions it could not reach), and each person's first SSO use in them (by lower-case UPN). */
export function trackCoverage(db: StateDb): { windows: TrackWindow[]; firstSso: Map<string, string> } {
  const runs = db
    .prepare('SELECT window_since, window_until, summary_json FROM track_runs ORDER BY window_since')
    .all() as {
    window_since: string;
    window_until: string;
    summary_json: string;
  }[];
  const windows = runs.map((r): TrackWindow => {
    const summary = JSON.parse(r.summary_json) as {
      unreachable?: { accountId: string; region?: string }[];
      regions?: string[] | null;
    } | null;
    // An unreachable entry with a region is that region only; without, the whole account (runs before regions too).
    const failed = summary?.unreachable ?? [];
    return {
      since: r.window_since,
      until: r.window_until,
      unreachable: failed.filter((u) => !u.region).map((u) => u.accountId),
      regions: summary?.regions ?? null,
      unreachableRegions: failed.flatMap((u) => (u.region ? [{ accountId: u.accountId, region: u.region }] : [])),
    };
  });
  const rows = db
    .prepare(
      `SELECT subject, MIN(first_sso) AS first_sso FROM track_statuses
       WHERE subject_kind = 'person' AND first_sso IS NOT NULL GROUP BY subject`,
    )
    .all() as { subject: string; first_sso: string }[];
  return { windows, firstSso: new Map(rows.map((r) => [r.subject.toLowerCase(), r.first_sso])) };
}

/** A journaled decommission change of a user that happened (done) or may have (superseded), with its undo. */
export type JournaledIamChange = {
  entryId: number;
  runId: string;
  change: IamChange;
  undo: IamChange | null;
  status: string;
};

/** The changes decommission runs made (not their rollbacks), oldest first. */
export function decommissionJournal(db: StateDb): JournaledIamChange[] {
  const rows = db
    .prepare(
      `SELECT j.entry_id, j.run_id, j.payload_json, j.undo_json, j.status FROM apply_journal j JOIN runs r ON r.run_id = j.run_id
       WHERE r.command = 'decommission' AND j.kind LIKE 'iam.%' AND j.status IN ('done', 'superseded')
       ORDER BY j.entry_id`,
    )
    .all() as { entry_id: number; run_id: string; payload_json: string; undo_json: string; status: string }[];
  return rows.map((r) => {
    const undo = JSON.parse(r.undo_json) as IamChange | null;
    return {
      entryId: r.entry_id,
      runId: r.run_id,
      change: (JSON.parse(r.payload_json) as { change: IamChange }).change,
      undo: undo && 'kind' in undo ? undo : null,
      status: r.status,
    };
  });
}
