/**
 * Decommission: where each retired IAM user stands (`decommission_stages`, one row per user, with the instant it
 * entered its stage on the cloud's clock) and the snapshot taken before `delete` removes anything
 * (`decommission_snapshots`: policies with their documents, groups, tags, boundary, MFA devices, credential ids and
 * metadata; never a secret), which a rollback recreates the user from.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE decommission_stages (
      account_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      -- active | console-disabled | keys-deactivated | deleting | deleted
      stage TEXT NOT NULL,
      entered_at TEXT NOT NULL,
      run_id TEXT,
      PRIMARY KEY (account_id, user_name)
    );
    CREATE TABLE decommission_snapshots (
      account_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      run_id TEXT NOT NULL,
      taken_at TEXT NOT NULL,
      snapshot_json TEXT NOT NULL,
      PRIMARY KEY (account_id, user_name, run_id)
    );
  `);
}
