/** Opens the state database (one SQLite file, `.iam2sso/state.db` by default), creating and migrating it. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from './migrations.js';
import { isBindingMismatch, openWithNodeSqlite } from './node-sqlite.js';

export { DEFAULT_STATE_PATH } from './paths.js';

export type StateDb = Database.Database;

/** Opens (and creates, with its directory) the state database at `path`, migrated to the current schema. */
export async function openStateDb(path: string): Promise<StateDb> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = await openDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, await loadMigrations());
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** better-sqlite3, or Node's own SQLite when better-sqlite3's binding does not match this Node (see node-sqlite.ts). */
async function openDatabase(path: string): Promise<StateDb> {
  try {
    return new Database(path);
  } catch (error) {
    if (!isBindingMismatch(error)) throw error;
    const fallback = await openWithNodeSqlite(path);
    if (!fallback) throw error;
    return fallback;
  }
}
