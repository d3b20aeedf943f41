/** The apply journal: one row per cloud write, its intent before the call and its result after. */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE apply_journal (
      entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
      -- One apply command run; a resumed run has a new id and finishes what earlier runs left open.
      run_id TEXT NOT NULL,
      -- Content hash of the plan file the run applied.
      plan_hash TEXT NOT NULL,
      -- Stable id of the step (kind + target), the same in every run that makes the same change.
      step_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      target TEXT NOT NULL,
      -- The request without secrets, and what is needed to undo it, as JSON.
      payload_json TEXT NOT NULL DEFAULT '{}',
      undo_json TEXT NOT NULL DEFAULT '{}',
      status TEXT NOT NULL CHECK (status IN ('intent', 'submitted', 'done', 'failed', 'superseded')),
      -- Asynchronous Identity Center request id, recorded as soon as the call returns.
      request_id TEXT,
      result_json TEXT,
      error TEXT,
      started_at TEXT NOT NULL,
      finished_at TEXT
    );
    CREATE INDEX apply_journal_open ON apply_journal (status);
    CREATE INDEX apply_journal_run ON apply_journal (run_id);
    CREATE INDEX apply_journal_step ON apply_journal (step_id);
  `);
}
