/** Opens the state database (one SQLite file, `.iam2sso/state.db` by default), creating and migrating it. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, type Migration, migrate } from './migrations.js';
import { isBindingMismatch, openWithNodeSqlite } from './node-sqlite.js';

export { DEFAULT_STATE_PATH } from './paths.js';

export type StateDb = Database.Database;

/** Opens (and creates, with its directory) the state database at `path`, migrated to the current schema. */
export async function openStateDb(path: string): Promise<StateDb> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: StateDb | undefined;
  try {
    if (path !== ':memory:' && existsSync(path) && statSync(path).isFile())
      refuseNewerSchema(path, await loadMigrations());
    db = await openDatabase(path);
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

/**
 * Reads the schema version of an existing file without writing to it (opening for migration would switch it to
 * WAL mode first), so a database from a newer iam2sso, or a file that is not a database, is left as it was.
 */
function refuseNewerSchema(path: string, migrations: Migration[]): void {
  let probe: Database.Database;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    // Under Node's own SQLite (see openDatabase) the version is checked by migrate() instead.
    if (isBindingMismatch(error)) return;
    throw error;
  }
  try {
    const table = probe
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (!table) return;
    const { v } = probe.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if ((v ?? 0) > known)
      throw new Error(
        `the state database has schema version ${v}, newer than this iam2sso knows (${known}): upgrade iam2sso`,
      );
  } finally {
    probe.close();
  }
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

/**
 * Opens an existing state database for reading only (the dashboard, the shared report): no migration, no mode
 * change. Under a Node that better-sqlite3's binding was not built for, through Node's own SQLite like openStateDb.
 */
export async function openStateDbForReading(path: string): Promise<StateDb> {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    if (!isBindingMismatch(error)) throw error;
    const fallback = await openWithNodeSqlite(path);
    if (!fallback) throw error;
    return fallback;
  }
}
