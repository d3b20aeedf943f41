/** Audit runs: the snapshot of every account and user, their classification and the findings. */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE audit_runs (
      run_id TEXT PRIMARY KEY,
      taken_at TEXT NOT NULL,
      management_account_id TEXT,
      duration_ms INTEGER,
      api_calls INTEGER,
      -- What was collected (key ids, activity, ...) and the API call counts, as JSON.
      meta_json TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_runs_taken_at ON audit_runs (taken_at);

    CREATE TABLE audit_accounts (
      run_id TEXT NOT NULL REFERENCES audit_runs (run_id) ON DELETE CASCADE,
      account_id TEXT NOT NULL,
      name TEXT NOT NULL,
      alias TEXT,
      status TEXT NOT NULL CHECK (status IN ('ok', 'unreachable')),
      error TEXT,
      -- Groups, managed policies in use, roles, SAML providers and the root user, as JSON.
      detail_json TEXT NOT NULL,
      PRIMARY KEY (run_id, account_id)
    );

    CREATE TABLE audit_users (
      run_id TEXT NOT NULL,
      account_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      user_id TEXT NOT NULL,
      arn TEXT NOT NULL,
      record_json TEXT NOT NULL,
      PRIMARY KEY (run_id, account_id, user_name),
      FOREIGN KEY (run_id, account_id) REFERENCES audit_accounts (run_id, account_id) ON DELETE CASCADE
    );
    CREATE INDEX audit_users_user_id ON audit_users (user_id);

    CREATE TABLE classifications (
      run_id TEXT NOT NULL,
      account_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      category TEXT NOT NULL,
      confidence TEXT NOT NULL,
      decided_by TEXT NOT NULL,
      evidence_json TEXT NOT NULL,
      PRIMARY KEY (run_id, account_id, user_name),
      FOREIGN KEY (run_id, account_id, user_name) REFERENCES audit_users (run_id, account_id, user_name) ON DELETE CASCADE
    );

    CREATE TABLE findings (
      run_id TEXT NOT NULL REFERENCES audit_runs (run_id) ON DELETE CASCADE,
      finding_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      severity TEXT NOT NULL,
      account_id TEXT NOT NULL,
      user_name TEXT,
      message TEXT NOT NULL,
      fix TEXT NOT NULL,
      PRIMARY KEY (run_id, finding_id)
    );
    CREATE INDEX findings_kind ON findings (run_id, kind);
  `);
}
