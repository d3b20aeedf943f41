/**
 * Retiring direct SAML federation (`decommission saml`): the stage each (account, role) reached, and what was read
 * of each object just before it was deleted (a role with its policies, a SAML provider with its metadata, an Entra
 * application), so a rollback recreates it and a person can see what was there. No secrets: role policies, SAML
 * metadata (public certificates) and app ids only.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE saml_retire_stages (
      account_id TEXT NOT NULL,
      role TEXT NOT NULL,
      stage TEXT NOT NULL,            -- disabled | deleted
      entered_at TEXT NOT NULL,       -- the cloud's clock
      run_id TEXT,
      PRIMARY KEY (account_id, role)
    );
    CREATE TABLE saml_retire_snapshots (
      run_id TEXT NOT NULL,
      object_kind TEXT NOT NULL,      -- role | provider | app
      object_key TEXT NOT NULL,       -- account/role, provider ARN, application object id
      taken_at TEXT NOT NULL,
      snapshot_json TEXT NOT NULL,
      PRIMARY KEY (run_id, object_kind, object_key)
    );
  `);
}
