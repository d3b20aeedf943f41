/**
 * How completely each account was read: `read_status` is ok, partial or unreachable (the older `status` column
 * keeps its CHECK of ok/unreachable, so a partial account is stored there as ok and readers use read_status),
 * and `unread_json` lists the reads that failed in a partial account.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE audit_accounts ADD COLUMN read_status TEXT
      CHECK (read_status IS NULL OR read_status IN ('ok', 'partial', 'unreachable'));
    ALTER TABLE audit_accounts ADD COLUMN unread_json TEXT;
    UPDATE audit_accounts SET read_status = status WHERE read_status IS NULL;
  `);
}
