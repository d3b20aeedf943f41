/** Opens the state database (one SQLite file, `.iam2sso/state.db` by default), creating and migrating it. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from './migrations.js';

export { DEFAULT_STATE_PATH } from './paths.js';

export type StateDb = Database.Database;

/** Opens (and creates, with its directory) the state database at `path`, migrated to the current schema. */
export async function openStateDb(path: string): Promise<StateDb> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: StateDb | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, await loadMigrations());
    return db;
  } catch (error) {
    db?.close();
    // SQLite's errors do not name the file; the CLI's message does (a corrupt or foreign file, a directory).
    if (error && typeof error === 'object' && !('path' in error)) Object.assign(error, { path });
    throw error;
  }
}
