import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

type Row = {
  accountId: string;
  userName: string;
  arn: string;
  category: string;
  confidence: string;
  evidence: string[];
  findings: string[];
  consoleEnabled: boolean;
  mfa: boolean;
  accessKeys: {
    id: string;
    status: string;
    createdAt: string;
    lastUsedAt: string | null;
    lastUsedService: string | null;
  }[];
  policies: string[];
};

describe('iam2sso inventory and report', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let state: string;
  let runId: string;

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 11 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-e2e-inventory-'));
    env = sandboxEnv(sandbox);
    state = join(dir, 'state.db');
    const r = await runIam2sso(['audit', '--json', '--key-ids', '--state', state], env);
    assert.equal(r.status, 0, r.stderr);
    runId = r.json<{ runId: string }>().runId;
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON row per user with the fields the plan and spreadsheets need', async () => {
    const r = await runIam2sso(['inventory', '--format', 'json', '--run', runId, '--state', state], env);
    assert.equal(r.status, 0, r.stderr);
    const { rows } = r.json<{ rows: Row[] }>();
    assert.equal(rows.length, sandbox.manifest.users.length);
    const withKeys = rows.filter((x) => x.accessKeys.length > 0);
    assert.ok(withKeys.length > 0);
    for (const k of withKeys.flatMap((x) => x.accessKeys)) {
      assert.match(k.id, /^AKIA[A-Z2-7]{16}$/);
      assert.ok(['Active', 'Inactive'].includes(k.status));
      assert.ok(!Number.isNaN(Date.parse(k.createdAt)));
    }
    for (const row of rows) {
      assert.match(row.arn, new RegExp(`^arn:aws:iam::${row.accountId}:user/.*${row.userName}$`));
      assert.ok(['high', 'medium', 'low'].includes(row.confidence));
      assert.ok(row.evidence.length > 0);
      assert.equal(typeof row.consoleEnabled, 'boolean');
      assert.equal(typeof row.mfa, 'boolean');
      assert.ok(Array.isArray(row.policies));
      for (const f of row.findings) assert.ok(f.includes(`:${row.accountId}:${row.userName}`));
    }
    const admin = sandbox.manifest.users.find((u) => u.traits.includes('admin-attached-directly'))!;
    const adminRow = rows.find((x) => x.userName === admin.userName && x.accountId === admin.accountId)!;
    assert.ok(adminRow.findings.some((f) => f.startsWith('admin-attached-directly:')));
  });

  it('writes CSV with the seed guide columns, one record per user', async () => {
    const r = await runIam2sso(['inventory', '--format', 'csv', '--state', state], env);
    assert.equal(r.status, 0, r.stderr);
    const records: string[][] = parseCsv(r.stdout);
    const header = records[0];
    for (const col of [
      'User',
      'Account',
      'Category',
      'Confidence',
      'Policies',
      'Groups',
      'Console',
      'MFA',
      'Access keys',
      'Findings',
      'Notes',
    ])
      assert.ok(header.includes(col), `column ${col}`);
    assert.equal(records.length - 1, sandbox.manifest.users.length);
    const users = new Set(records.slice(1).map((x) => `${x[header.indexOf('Account')]}/${x[header.indexOf('User')]}`));
    for (const u of sandbox.manifest.users) assert.ok(users.has(`${u.accountId}/${u.userName}`));
  });

  it('writes an XLSX workbook that reads back with users, findings and accounts', async () => {
    const out = join(dir, 'inventory.xlsx');
    const r = await runIam2sso(['inventory', '--format', 'xlsx', '--out', out, '--state', state], env);
    assert.equal(r.status, 0, r.stderr);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const users = book.getWorksheet('Users')!;
    assert.equal(users.rowCount - 1, sandbox.manifest.users.length);
    assert.equal(users.getRow(1).getCell(1).value, 'User');
    const names = new Set<string>();
    users.eachRow((row, n) => {
      if (n > 1) names.add(String(row.getCell(1).value));
    });
    for (const u of sandbox.manifest.users) assert.ok(names.has(u.userName), u.userName);
    const traitCount = sandbox.manifest.users.reduce((n, u) => n + u.traits.length, 0);
    assert.ok(book.getWorksheet('Findings')!.rowCount - 1 >= traitCount);
    assert.equal(book.getWorksheet('Accounts')!.rowCount - 1, sandbox.manifest.accounts.length);
    const xlsxRefused = await runIam2sso(['inventory', '--format', 'xlsx', '--state', state], env);
    assert.equal(xlsxRefused.status, 2);
  });

  it('writes a self-contained HTML report with charts', async () => {
    const out = join(dir, 'report');
    const r = await runIam2sso(['report', '--out', out, '--json', '--state', state], env);
    assert.equal(r.status, 0, r.stderr);
    const file = r.json<{ file: string }>().file;
    assert.ok(existsSync(file));
    assert.deepEqual(readdirSync(out).sort(), [`${runId}.html`, `migration-${runId}.html`]);
    const views = readFileSync(r.json<{ migration: string }>().migration, 'utf8');
    for (const section of ['Overview', 'People', 'Findings', 'Plan', 'Runs'])
      assert.ok(views.includes(`<h1>${section}</h1>`), section);
    assert.doesNotMatch(views, /<link|src=|href="http|@import/, 'nothing is loaded from anywhere');
    const html = readFileSync(file, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.equal((html.match(/<svg /g) ?? []).length, 4);
    for (const title of [
      'Users by category',
      'Findings by severity',
      'Active access key age',
      'Users by account and category',
    ])
      assert.ok(html.includes(title), title);
    // Self-contained: the only script is the inline filter; nothing is loaded from elsewhere.
    assert.equal((html.match(/<script>/g) ?? []).length, 1);
    assert.doesNotMatch(html, /<script [^>]*src|<link|src="http|href="http|@import/);
    for (const u of sandbox.manifest.users.slice(0, 5)) assert.ok(html.includes(u.userName));
  });

  it('says to run an audit first when the state has none', async () => {
    const r = await runIam2sso(['inventory', '--state', join(dir, 'empty.db')], env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /run `iam2sso audit` first/);
  });
});
