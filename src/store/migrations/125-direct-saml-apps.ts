/**
 * The Entra side of direct SAML federation each audit read (the "AWS Single-Account Access" apps, their app roles
 * and who holds them), or why it was not read, so `plan` works from the same audit as the AWS side.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE audit_direct_saml (
      run_id TEXT PRIMARY KEY REFERENCES audit_runs (run_id) ON DELETE CASCADE,
      status TEXT NOT NULL,           -- read | not-configured | failed
      detail TEXT,                    -- why not read (not-configured, failed)
      apps_json TEXT NOT NULL         -- [{servicePrincipalId, appId, displayName, roles: [...]}] (UPNs, no secrets)
    );
  `);
}
