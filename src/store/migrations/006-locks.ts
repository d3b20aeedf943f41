/** Locks: one row per held lock (e.g. `apply`), naming the process that holds it, so two runs never overlap. */
import type Database from 'better-sqlite3';

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE locks (
      name TEXT PRIMARY KEY,
      -- The holder: its process id on its host, and the run it belongs to.
      pid INTEGER NOT NULL,
      host TEXT NOT NULL,
      run_id TEXT NOT NULL,
      acquired_at TEXT NOT NULL
    );
  `);
}
