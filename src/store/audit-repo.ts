/** The audit repository: saves a run (snapshot, classifications, findings) in one transaction and reads it back. */
import type {
  AccountReadStatus,
  AccountSnapshot,
  AuditSnapshot,
  Category,
  Classification,
  Confidence,
  Finding,
  FindingKind,
  Severity,
  UnreadItem,
  UserRecord,
} from '../core/model.js';
import type { StateDb } from './db.js';

/** What the run itself measured; stored with it as JSON. */
export type AuditRunMeta = {
  durationMs: number;
  apiCalls: number;
  /** Calls per `service:Operation`. */
  apiCallsByOperation?: Record<string, number>;
  /** What this run collected beyond the default (e.g. CloudTrail activity, SSH keys). */
  options?: Record<string, unknown>;
};

/** One stored audit. */
export type AuditRun = {
  snapshot: AuditSnapshot;
  classifications: Classification[];
  findings: Finding[];
  meta: AuditRunMeta;
};

export type AuditRunListing = { runId: string; takenAt: string; accounts: number; users: number; findings: number };

type AccountDetail = Omit<AccountSnapshot, 'accountId' | 'name' | 'alias' | 'status' | 'error' | 'unread' | 'users'>;

/** Saves a whole run atomically: either all of it is stored or none. */
export function saveAuditRun(db: StateDb, run: AuditRun): void {
  const { snapshot } = run;
  const insertRun = db.prepare(
    'INSERT INTO audit_runs (run_id, taken_at, management_account_id, duration_ms, api_calls, meta_json, standalone) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAccount = db.prepare(
    'INSERT INTO audit_accounts (run_id, account_id, name, alias, status, read_status, unread_json, error, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertUser = db.prepare(
    'INSERT INTO audit_users (run_id, account_id, user_name, user_id, arn, record_json) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertClass = db.prepare(
    'INSERT INTO classifications (run_id, account_id, user_name, category, confidence, decided_by, evidence_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertFinding = db.prepare(
    'INSERT INTO findings (run_id, finding_id, kind, severity, account_id, user_name, message, fix) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    insertRun.run(
      snapshot.runId,
      snapshot.takenAt,
      snapshot.managementAccountId,
      run.meta.durationMs,
      run.meta.apiCalls,
      JSON.stringify(run.meta),
      snapshot.standalone ? 1 : null,
    );
    for (const a of snapshot.accounts) {
      const { accountId, name, alias, status, error, unread, users, ...detail } = a;
      insertAccount.run(
        snapshot.runId,
        accountId,
        name,
        alias,
        status === 'unreachable' ? 'unreachable' : 'ok',
        status,
        unread?.length ? JSON.stringify(unread) : null,
        error ?? null,
        JSON.stringify(detail),
      );
      for (const u of users) insertUser.run(snapshot.runId, accountId, u.userName, u.userId, u.arn, JSON.stringify(u));
    }
    for (const c of run.classifications)
      insertClass.run(
        snapshot.runId,
        c.accountId,
        c.userName,
        c.category,
        c.confidence,
        c.decidedBy,
        JSON.stringify(c.evidence),
      );
    for (const f of run.findings)
      insertFinding.run(snapshot.runId, f.id, f.kind, f.severity, f.accountId, f.userName, f.message, f.fix);
  })();
}

/** The id of the newest run, or undefined when no audit was stored yet. */
export function latestAuditRunId(db: StateDb): string | undefined {
  const row = db.prepare('SELECT run_id FROM audit_runs ORDER BY taken_at DESC, rowid DESC LIMIT 1').get() as
    | { run_id: string }
    | undefined;
  return row?.run_id;
}

/** Every stored run, newest first, with counts. */
export function listAuditRuns(db: StateDb): AuditRunListing[] {
  return db
    .prepare(
      `SELECT r.run_id AS runId, r.taken_at AS takenAt,
        (SELECT COUNT(*) FROM audit_accounts a WHERE a.run_id = r.run_id) AS accounts,
        (SELECT COUNT(*) FROM audit_users u WHERE u.run_id = r.run_id) AS users,
        (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.run_id) AS findings
       FROM audit_runs r ORDER BY r.taken_at DESC, r.rowid DESC`,
    )
    .all() as AuditRunListing[];
}

/** Loads a run (the newest when `runId` is omitted); undefined when there is none. */
export function loadAuditRun(db: StateDb, runId?: string): AuditRun | undefined {
  const id = runId ?? latestAuditRunId(db);
  if (!id) return undefined;
  const run = db.prepare('SELECT * FROM audit_runs WHERE run_id = ?').get(id) as
    | {
        run_id: string;
        taken_at: string;
        management_account_id: string | null;
        meta_json: string;
        standalone: number | null;
      }
    | undefined;
  if (!run) return undefined;
  const usersByAccount = new Map<string, UserRecord[]>();
  for (const row of db
    .prepare('SELECT account_id, record_json FROM audit_users WHERE run_id = ? ORDER BY rowid')
    .all(id) as { account_id: string; record_json: string }[]) {
    const list = usersByAccount.get(row.account_id) ?? [];
    list.push(JSON.parse(row.record_json) as UserRecord);
    usersByAccount.set(row.account_id, list);
  }
  const accounts = (
    db.prepare('SELECT * FROM audit_accounts WHERE run_id = ? ORDER BY rowid').all(id) as {
      account_id: string;
      name: string;
      alias: string | null;
      status: 'ok' | 'unreachable';
      read_status: AccountReadStatus | null;
      unread_json: string | null;
      error: string | null;
      detail_json: string;
    }[]
  ).map(
    (a): AccountSnapshot => ({
      accountId: a.account_id,
      name: a.name,
      alias: a.alias,
      status: a.read_status ?? a.status,
      ...(a.error ? { error: a.error } : {}),
      ...(a.unread_json ? { unread: JSON.parse(a.unread_json) as UnreadItem[] } : {}),
      users: usersByAccount.get(a.account_id) ?? [],
      ...(JSON.parse(a.detail_json) as AccountDetail),
    }),
  );
  const classifications = (
    db.prepare('SELECT * FROM classifications WHERE run_id = ? ORDER BY rowid').all(id) as {
      account_id: string;
      user_name: string;
      category: Category;
      confidence: Confidence;
      decided_by: string;
      evidence_json: string;
    }[]
  ).map((c) => ({
    accountId: c.account_id,
    userName: c.user_name,
    category: c.category,
    confidence: c.confidence,
    decidedBy: c.decided_by,
    evidence: JSON.parse(c.evidence_json) as string[],
  }));
  const findings = (
    db.prepare('SELECT * FROM findings WHERE run_id = ? ORDER BY rowid').all(id) as {
      finding_id: string;
      kind: FindingKind;
      severity: Severity;
      account_id: string;
      user_name: string | null;
      message: string;
      fix: string;
    }[]
  ).map((f) => ({
    id: f.finding_id,
    kind: f.kind,
    severity: f.severity,
    accountId: f.account_id,
    userName: f.user_name,
    message: f.message,
    fix: f.fix,
  }));
  return {
    snapshot: {
      runId: run.run_id,
      takenAt: run.taken_at,
      managementAccountId: run.management_account_id,
      accounts,
      ...(run.standalone ? { standalone: true } : {}),
    },
    classifications,
    findings,
    meta: JSON.parse(run.meta_json) as AuditRunMeta,
  };
}
