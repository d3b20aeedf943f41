import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { classifySnapshot } from '../../src/core/classify.js';
import { defaultClassificationRules } from '../../src/core/classify-rules.js';
import { findSnapshotFindings } from '../../src/core/findings.js';
import type { AuditSnapshot } from '../../src/core/model.js';
import { type AuditRun, listAuditRuns, loadAuditRun, saveAuditRun } from '../../src/store/audit-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { buildAccount, buildUser, NOW } from '../core/cases/user-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(runId: string, takenAt: string): AuditRun {
  const users = [
    buildUser({ name: 'alice', console: true, passwordUsedDaysAgo: 3, mfa: true, groups: ['admins'] }),
    buildUser({
      name: 'svc-ci',
      keys: [{ ageDays: 200, usedDaysAgo: 1 }, { ageDays: 10 }],
      tags: { team: 'platform' },
    }),
  ];
  const ok = buildAccount(
    users,
    {},
    { mfaActive: false, accessKeysPresent: false, accessKeys: [], passwordLastUsed: null },
  );
  const snapshot: AuditSnapshot = {
    runId,
    takenAt,
    managementAccountId: ok.accountId,
    accounts: [
      ok,
      { ...buildAccount([]), accountId: '333333333333', name: 'gone', status: 'unreachable', error: 'AccessDenied' },
    ],
  };
  return {
    snapshot,
    classifications: classifySnapshot(snapshot, defaultClassificationRules(), NOW),
    findings: findSnapshotFindings(snapshot, NOW),
    meta: { durationMs: 1234, apiCalls: 17, apiCallsByOperation: { 'iam:GetCredentialReport': 1 } },
  };
}

describe('state database: audit runs', () => {
  it('creates the directory and database, and reads a saved run back unchanged', async () => {
    const path = join(dir, 'nested', 'deeper', 'state.db');
    const db = await openStateDb(path);
    assert.ok(existsSync(path));
    const saved = run('r-1', '2025-06-01T00:00:00.000Z');
    saveAuditRun(db, saved);
    assert.deepEqual(loadAuditRun(db, 'r-1'), saved);
    db.close();
  });

  it('reads back that an audited account is in no organization (standalone)', async () => {
    const db = await openStateDb(join(dir, 'standalone.db'));
    const saved = run('r-alone', '2025-06-01T00:00:00.000Z');
    const alone = { ...saved, snapshot: { ...saved.snapshot, standalone: true } };
    saveAuditRun(db, alone);
    assert.equal(loadAuditRun(db, 'r-alone')?.snapshot.standalone, true);
    db.close();
  });

  it('returns the newest run when none is named, and lists runs newest first', async () => {
    const db = await openStateDb(join(dir, 'two.db'));
    saveAuditRun(db, run('r-old', '2025-05-01T00:00:00.000Z'));
    saveAuditRun(db, run('r-new', '2025-06-01T00:00:00.000Z'));
    assert.equal(loadAuditRun(db)?.snapshot.runId, 'r-new');
    const listed = listAuditRuns(db);
    assert.deepEqual(
      listed.map((r) => [r.runId, r.accounts, r.users]),
      [
        ['r-new', 2, 2],
        ['r-old', 2, 2],
      ],
    );
    assert.ok(listed[0].findings > 0);
    assert.equal(loadAuditRun(db, 'nope'), undefined);
    db.close();
  });

  it('stores nothing of a run whose save fails part way', async () => {
    const db = await openStateDb(join(dir, 'atomic.db'));
    const broken = run('r-broken', '2025-06-01T00:00:00.000Z');
    broken.findings.push({ ...broken.findings[0] });
    assert.throws(() => saveAuditRun(db, broken), /UNIQUE/);
    assert.equal(loadAuditRun(db, 'r-broken'), undefined);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM audit_users').get() as { n: number }).n, 0);
    db.close();
  });

  it('keeps runs across reopening the file', async () => {
    const path = join(dir, 'reopen.db');
    const db = await openStateDb(path);
    saveAuditRun(db, run('r-keep', '2025-06-01T00:00:00.000Z'));
    db.close();
    const again = await openStateDb(path);
    assert.equal(loadAuditRun(again)?.snapshot.accounts[0].users.length, 2);
    again.close();
  });
});
