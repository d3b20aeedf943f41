/**
 * Schema migrations: each file in `./migrations/` named `NNN-name.ts` exports `up(db)`. They run in number
 * order, each in its own transaction, and are recorded in `schema_migrations`; a database written by a newer
 * iam2sso (a version this build does not know) is refused. To change the schema, add the next file.
 */
import { readdirSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** One migration module: a number from its file name and the function that applies it. */
export type Migration = { version: number; name: string; up: (db: Database.Database) => void };

const FILE = /^(\d{3})-([a-z0-9-]+)\.(ts|js)$/;

/** Loads the migration modules shipped next to this file, in order. */
export async function loadMigrations(dir = new URL('./migrations/', import.meta.url)): Promise<Migration[]> {
  const files = readdirSync(dir)
    .filter((f) => FILE.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const out: Migration[] = [];
  for (const file of files) {
    const [, num, name] = FILE.exec(file)!;
    const mod = (await import(new URL(file, dir).href)) as { up?: Migration['up'] };
    if (typeof mod.up !== 'function') throw new Error(`migration ${file} does not export up(db)`);
    if (out.some((m) => m.version === Number(num))) throw new Error(`two migrations numbered ${num}`);
    out.push({ version: Number(num), name, up: mod.up });
  }
  return out;
}

/** Applies the migrations the database has not seen yet; returns the versions applied. */
export function migrate(db: Database.Database, migrations: Migration[], now: () => Date = () => new Date()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known)
    throw new Error(
      `the state database has schema version ${newest}, newer than this iam2sso knows (${known}): upgrade iam2sso`,
    );
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, now().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}
