import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStateDb } from '../../src/store/db.js';
import { loadMigrations, type Migration, migrate } from '../../src/store/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, up: (db) => db.exec(sql) });

describe('state database migrations', () => {
  it('finds the shipped migrations in number order', async () => {
    const list = await loadMigrations();
    assert.ok(list.length >= 1);
    assert.deepEqual(
      list.map((x) => x.version),
      [...list.map((x) => x.version)].sort((a, b) => a - b),
    );
    assert.equal(list[0].version, 1);
  });

  it('applies only migrations the file has not seen, in order', () => {
    const db = new Database(join(dir, 'a.db'));
    assert.deepEqual(migrate(db, [m(1, 'CREATE TABLE a (x)')]), [1]);
    assert.deepEqual(migrate(db, [m(1, 'CREATE TABLE a (x)'), m(2, 'CREATE TABLE b (y)')]), [2]);
    assert.deepEqual(migrate(db, [m(1, 'CREATE TABLE a (x)'), m(2, 'CREATE TABLE b (y)')]), []);
    db.close();
  });

  it('rolls back a failing migration entirely', () => {
    const db = new Database(join(dir, 'b.db'));
    assert.throws(() => migrate(db, [m(1, 'CREATE TABLE c (x); CREATE TABLE c (x)')]));
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'c'").get() as { n: number }).n, 0);
    assert.deepEqual(db.prepare('SELECT version FROM schema_migrations').all(), []);
    db.close();
  });

  it('refuses a database written by a newer iam2sso', async () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    migrate(db, [m(1, 'SELECT 1'), m(999, 'SELECT 1')]);
    db.close();
    await assert.rejects(openStateDb(path), /schema version 999, newer than this iam2sso knows/);
  });
});
