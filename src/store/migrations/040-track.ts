/**
 * Track: the timeline of legacy and SSO use per subject and source (merged across runs), the cursor of each
 * incremental source (where the last run stopped), and each run's statuses with their evidence, which
 * `report`, the dashboard and decommissioning read.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE track_timeline (
      -- lookup-events, s3 (incremental: counts add up) or dir, athena (each run replaces its own rows).
      source TEXT NOT NULL,
      -- iam-user (accountId/userName), person (lower-case UPN or SSO user name), idc-user (storeArn#userId).
      subject_kind TEXT NOT NULL,
      subject TEXT NOT NULL,
      usage TEXT NOT NULL,            -- legacy | legacy-attempt | sso
      via TEXT NOT NULL,              -- console-sign-in | access-key | console-session | sign-in | portal | ...
      account_id TEXT NOT NULL,
      detail TEXT NOT NULL,           -- access key id, permission set name, or ''
      first_time TEXT NOT NULL,
      last_time TEXT NOT NULL,
      events INTEGER NOT NULL,
      first_event_id TEXT NOT NULL,
      last_event_id TEXT NOT NULL,
      last_service TEXT,
      last_source_ip TEXT,
      last_user_agent TEXT,
      mfa INTEGER,
      PRIMARY KEY (source, subject_kind, subject, usage, via, account_id, detail)
    );
    CREATE INDEX track_timeline_subject ON track_timeline (subject_kind, subject);
    CREATE TABLE track_cursors (
      source TEXT NOT NULL,
      account_id TEXT NOT NULL,
      region TEXT NOT NULL,
      -- The lookup (e.g. EventName=ConsoleLogin) or object prefix the cursor belongs to.
      scope TEXT NOT NULL,
      -- Newest event time read (lookup-events) or last object key read (s3).
      position TEXT NOT NULL,
      -- Event ids read at exactly that time, so the next run starting there skips them.
      event_ids_json TEXT NOT NULL DEFAULT '[]',
      updated_at TEXT NOT NULL,
      PRIMARY KEY (source, account_id, region, scope)
    );
    CREATE TABLE track_runs (
      run_id TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      started_at TEXT NOT NULL,
      window_since TEXT NOT NULL,
      window_until TEXT NOT NULL,
      events_read INTEGER NOT NULL,
      api_calls INTEGER NOT NULL,
      skipped_json TEXT NOT NULL,
      summary_json TEXT NOT NULL
    );
    CREATE TABLE track_statuses (
      run_id TEXT NOT NULL REFERENCES track_runs(run_id) ON DELETE CASCADE,
      subject_kind TEXT NOT NULL,     -- person | iam-user
      subject TEXT NOT NULL,          -- UPN, or accountId/userName
      status TEXT NOT NULL,           -- legacy-only | dual | sso-only | silent
      since TEXT,                     -- sso-only: the first day of SSO-only use
      last_legacy TEXT,
      first_sso TEXT,
      last_sso TEXT,
      evidence_json TEXT NOT NULL,
      PRIMARY KEY (run_id, subject_kind, subject)
    );
  `);
}
