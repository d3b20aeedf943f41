import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { findSnapshotFindings, rootFindings } from '../../src/core/findings.js';
import type { FindingKind } from '../../src/core/model.js';
import { ACCOUNT, buildAccount, buildUser, type CaseUser, NOW } from './cases/user-builder.js';

type Case = { name: string; user: CaseUser; policies?: Record<string, unknown>; expect: FindingKind[] };

/** The severity each finding must carry, written here rather than read from the product's own table. */
const SEVERITY: Record<FindingKind, 'critical' | 'high' | 'medium' | 'low'> = {
  'root-access-keys': 'critical',
  'root-without-mfa': 'critical',
  'admin-attached-directly': 'high',
  'console-without-mfa': 'high',
  'two-active-keys': 'medium',
  'key-older-than-90-days': 'medium',
  'key-unused-90-days': 'medium',
  'password-unused-90-days': 'medium',
  'key-never-used': 'low',
  'console-and-keys': 'low',
  'read-failed': 'high',
  'no-password-policy': 'medium',
  'weak-password-policy': 'medium',
  'root-password-used-recently': 'high',
};

const cases = parse(readFileSync(new URL('./cases/findings.yaml', import.meta.url), 'utf8')) as Case[];

function snapshotOf(c: Case) {
  return {
    runId: 'r',
    takenAt: NOW.toISOString(),
    managementAccountId: ACCOUNT,
    accounts: [buildAccount([buildUser(c.user)], c.policies)],
  };
}

describe('findings case table', () => {
  for (const c of cases) {
    it(c.name, () => {
      const found = findSnapshotFindings(snapshotOf(c), NOW);
      assert.deepEqual([...new Set(found.map((f) => f.kind))].sort(), [...c.expect].sort());
      for (const f of found) {
        assert.equal(f.accountId, ACCOUNT);
        assert.equal(f.userName, c.user.name);
        assert.equal(f.severity, SEVERITY[f.kind], f.kind);
        assert.ok(f.fix.length > 20 && f.message.includes(c.user.name));
        assert.ok(f.id.startsWith(`${f.kind}:${ACCOUNT}:${c.user.name}`));
      }
    });
  }

  it('names each key in per-key findings, so ids stay unique', () => {
    const c = cases.find((x) => x.user.name === 'ned')!;
    const found = findSnapshotFindings(snapshotOf(c), NOW);
    assert.equal(new Set(found.map((f) => f.id)).size, found.length);
    assert.match(found.find((f) => f.kind === 'key-never-used')!.id, /:AKIA\w+$/);
  });

  it('reports root access keys and root without MFA as critical', () => {
    const account = buildAccount(
      [],
      {},
      {
        mfaActive: false,
        accessKeysPresent: true,
        accessKeys: [{ active: true, lastUsedAt: null }],
        passwordLastUsed: null,
      },
    );
    const found = rootFindings(account);
    assert.deepEqual(
      found.map((f) => [f.kind, f.severity, f.userName]),
      [
        ['root-access-keys', 'critical', null],
        ['root-without-mfa', 'critical', null],
      ],
    );
    assert.deepEqual(
      found.map((f) => f.id),
      [`root-access-keys:${ACCOUNT}:root`, `root-without-mfa:${ACCOUNT}:root`],
    );
  });

  it('says nothing about root when the credential report was not read', () => {
    assert.deepEqual(rootFindings(buildAccount([], {}, null)), []);
  });
});
