import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBindingMismatch, openWithNodeSqlite } from '../../src/store/node-sqlite.js';

const hasNodeSqlite = await import('node:sqlite' as string).then(
  () => true,
  () => false,
);

/** Registers the test only where node:sqlite exists (an unregistered test is not a skip). */
const whenAvailable: typeof it = hasNodeSqlite ? it : ((() => undefined) as unknown as typeof it);

describe("the state database through Node's own SQLite", () => {
  it('recognises a better-sqlite3 binding built for another Node', () => {
    const abi = Object.assign(
      new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 115'),
      {
        code: 'ERR_DLOPEN_FAILED',
      },
    );
    assert.equal(isBindingMismatch(abi), true);
    assert.equal(isBindingMismatch(new Error('SQLITE_CANTOPEN: unable to open database file')), false);
  });

  // node:sqlite exists from Node 22.5: on an older Node the fallback says it is unavailable (the caller then reports
  // better-sqlite3's own error); the statements themselves are exercised on Node 22 and 24, where .ci/run runs the
  // demo through this fallback.
  if (!hasNodeSqlite)
    it('is unavailable before Node 22.5, so the original error stands', async () => {
      assert.equal(await openWithNodeSqlite(':memory:'), undefined);
    });
  whenAvailable(
    'runs statements, pragmas and transactions (nested ones as savepoints) like better-sqlite3',
    async () => {
      const db = (await openWithNodeSqlite(':memory:'))!;
      db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
      db.pragma('foreign_keys = OFF');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 0);
      const put = db.prepare('INSERT INTO t (k, v) VALUES (@k, @v)');
      const write = db.transaction((rows: { k: string; v: number }[]) => {
        for (const r of rows) put.run(r);
      });
      write([{ k: 'a', v: 1 }]);
      assert.throws(() =>
        write([
          { k: 'b', v: 2 },
          { k: 'a', v: 3 },
        ]),
      );
      const outer = db.transaction(() => {
        put.run({ k: 'c', v: 3 });
        assert.throws(
          () =>
            write.immediate([
              { k: 'd', v: 4 },
              { k: 'c', v: 5 },
            ]) as never,
        );
      });
      outer.immediate();
      const rows = db.prepare('SELECT k, v FROM t ORDER BY k').all() as object[];
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [
          { k: 'a', v: 1 },
          { k: 'c', v: 3 },
        ],
      );
      assert.equal(db.prepare('SELECT v FROM t WHERE k = ?').get('zz'), undefined);
      db.close();
    },
  );
});
