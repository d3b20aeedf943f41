/**
 * What the dashboard cannot compute from the state database alone, kept from the commands that read the live
 * clouds: the last pending diff of a plan (`plan --detailed-exitcode`, `apply --dry-run`, what `apply` left) and
 * the last `explain` chain of each person, each with the time it was computed.
 */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE pending_diffs (
      plan_path TEXT PRIMARY KEY,     -- the plan file as the command was given it (resolved to an absolute path)
      plan_hash TEXT NOT NULL,        -- content hash of the plan it was computed for
      command TEXT NOT NULL,          -- plan --detailed-exitcode | apply --dry-run | apply
      computed_at TEXT NOT NULL,
      lines_json TEXT NOT NULL,       -- the + ~ - lines, as the command printed them
      skipped_json TEXT NOT NULL,     -- [{item, reason}]
      summary TEXT NOT NULL
    );
    CREATE TABLE explain_results (
      upn TEXT PRIMARY KEY,           -- lower case
      computed_at TEXT NOT NULL,
      ok INTEGER NOT NULL,
      explanation_json TEXT NOT NULL  -- the chain: {upn, ok, brokenAt, links}
    );
  `);
}
