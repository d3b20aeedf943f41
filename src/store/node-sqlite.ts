/**
 * The state database through Node's built-in SQLite (`node:sqlite`, Node 22.5+), for when better-sqlite3's
 * native binding was built for another Node version (installed under Node 20, run under 22 or 24). Same file
 * format; it offers the part of better-sqlite3's API the store uses: prepare (run, get, all), exec, pragma,
 * transaction (nested ones as savepoints) and close.
 */
import type Database from 'better-sqlite3';

type NodeStatement = { run(...p: unknown[]): unknown; get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] };
type NodeDatabase = { prepare(sql: string): NodeStatement; exec(sql: string): void; close(): void };

/** True when `error` is better-sqlite3 failing to load its binding (built for another Node ABI, or missing). */
export function isBindingMismatch(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === 'ERR_DLOPEN_FAILED' ||
    /NODE_MODULE_VERSION|Could not locate the bindings file|did not self-register/.test(e?.message ?? '')
  );
}

/** Opens `path` with node:sqlite behind better-sqlite3's interface; undefined where node:sqlite does not exist. */
export async function openWithNodeSqlite(path: string): Promise<Database.Database | undefined> {
  const specifier = 'node:sqlite';
  // Node 22 calls node:sqlite experimental when it loads; for a CLI user that is noise, like the SDK's notices.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning).includes('SQLite is an experimental'))
      (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  const mod = (await import(specifier)
    .catch(() => undefined)
    .finally(() => {
      process.emitWarning = emitWarning;
    })) as { DatabaseSync: new (path: string) => NodeDatabase } | undefined;
  if (!mod) return undefined;
  const db = new mod.DatabaseSync(path);
  let depth = 0;
  const inTransaction = <R>(begin: string, body: () => R): R => {
    const name = `iam2sso_${depth}`;
    db.exec(depth === 0 ? begin : `SAVEPOINT ${name}`);
    depth++;
    try {
      const result = body();
      depth--;
      db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${name}`);
      return result;
    } catch (error) {
      depth--;
      db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    }
  };
  const wrapper = {
    prepare: (sql: string) => db.prepare(sql),
    exec: (sql: string) => {
      db.exec(sql);
      return wrapper;
    },
    pragma: (text: string, options?: { simple?: boolean }) => {
      const rows = db.prepare(`PRAGMA ${text}`).all() as Record<string, unknown>[];
      return options?.simple ? Object.values(rows[0] ?? {})[0] : rows;
    },
    transaction: <A extends unknown[], R>(fn: (...args: A) => R) => {
      const run =
        (begin: string) =>
        (...args: A) =>
          inTransaction(begin, () => fn(...args));
      // better-sqlite3's variants: `.immediate` takes the write lock at BEGIN (the apply lock relies on it).
      return Object.assign(run('BEGIN'), {
        deferred: run('BEGIN DEFERRED'),
        immediate: run('BEGIN IMMEDIATE'),
        exclusive: run('BEGIN EXCLUSIVE'),
      });
    },
    close: () => db.close(),
  };
  return wrapper as unknown as Database.Database;
}
