/**
 * An audit of an account that is in no organization (Organizations answered AWSOrganizationsNotInUseException)
 * says so, for `plan` and `doctor`: Identity Center's access to AWS accounts needs an organization instance.
 * Null for older audits (not known).
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec('ALTER TABLE audit_runs ADD COLUMN standalone INTEGER;');
}
