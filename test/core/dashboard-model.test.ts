import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDashboardModel, type DashboardInputs } from '../../src/core/dashboard-model.js';
import type { MigrationPlan, PlannedUser } from '../../src/core/plan-types.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const A = '111111111111';
const B = '222222222222';

function planned(
  accountId: string,
  userName: string,
  upn: string | null,
  extra: Partial<PlannedUser> = {},
): PlannedUser {
  return {
    accountId,
    userName,
    category: 'human-console',
    upn,
    upnSource: upn ? 'mapping-file' : 'none',
    action: 'migrate',
    permissionSets: ['ReadOnly'],
    groups: [],
    parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
    blockedBy: [],
    notes: [],
    ...extra,
  };
}

function inputs(): DashboardInputs {
  const s = new SnapshotBuilder();
  s.account(A, 'prod', 'acme-prod').user('ann').user('bob').user('ci-bot');
  s.account(B, 'dev', null).user('cat');
  const built = s.build();
  built.snapshot.accounts[1].status = 'unreachable';
  built.snapshot.accounts[1].error = 'AccessDenied on sts:AssumeRole';
  const plan: MigrationPlan = {
    formatVersion: 1,
    createdAt: '2024-06-02T00:00:00Z',
    fingerprint: { runId: 'run-test-1', takenAt: '2024-06-01T00:00:00Z', accounts: [] },
    permissionSets: [],
    groups: [
      {
        key: 'g1',
        name: 'AWS-prod-ReadOnly',
        description: '',
        members: ['ann@example.com', 'bob@example.com'],
        assignments: [{ accountId: A, permissionSet: 'ReadOnly' }],
      },
    ],
    users: [
      planned(A, 'ann', 'ann@example.com'),
      planned(A, 'bob', 'bob@example.com'),
      planned(A, 'ci-bot', null, { action: 'replace', blockedBy: [] }),
      planned(B, 'cat', null, { blockedBy: ['identity: no Entra UPN found'] }),
    ],
    serviceAccounts: [],
    problems: [],
  };
  return {
    audit: { ...built, findings: [] },
    plan,
    appliedAssignments: new Set([`${A}|readonly|aws-prod-readonly`]),
    storeUsers: new Set(['ann@example.com']),
    tracked: null,
    retired: null,
  };
}

describe('dashboard model', () => {
  it('counts each person in every phase they reached, per account', () => {
    const m = buildDashboardModel(inputs());
    const prod = m.accounts.find((a) => a.accountId === A)!;
    assert.deepEqual(
      {
        audited: prod.phases.audited,
        planned: prod.phases.planned,
        applied: prod.phases.applied,
        synced: prod.phases.synced,
      },
      { audited: 3, planned: 3, applied: 2, synced: 1 },
    );
    assert.equal(m.people.find((p) => p.userName === 'ann')!.phase, 'synced');
    assert.equal(m.people.find((p) => p.userName === 'bob')!.phase, 'applied');
    assert.equal(m.people.find((p) => p.userName === 'ci-bot')!.phase, 'planned');
    assert.equal(m.totals.audited, 4);
  });

  it('says which stages have not started instead of showing zero', () => {
    const m = buildDashboardModel(inputs());
    assert.deepEqual(m.notStarted, ['sso', 'legacy-disabled', 'deleted']);
    const bare = buildDashboardModel({ ...inputs(), plan: null, appliedAssignments: new Set(), storeUsers: new Set() });
    assert.deepEqual(bare.notStarted, ['planned', 'applied', 'synced', 'sso', 'legacy-disabled', 'deleted']);
    assert.equal(bare.totals.planned, 0);
  });

  it('lists unread accounts and blocked people as blockers', () => {
    const m = buildDashboardModel(inputs());
    assert.deepEqual(m.blocked, [
      { what: `account ${B} (dev)`, why: 'AccessDenied on sts:AssumeRole' },
      { what: `dev (${B}) / cat`, why: 'identity: no Entra UPN found' },
    ]);
    assert.equal(m.accounts.find((a) => a.accountId === B)!.readable, false);
  });

  it('takes SSO use from tracking when it exists', () => {
    const i = inputs();
    i.tracked = new Map([
      [
        'bob@example.com',
        { firstSsoUse: '2024-06-10T09:00:00Z', lastSsoUse: null, lastLegacyUse: null, status: 'dual' },
      ],
    ]);
    const m = buildDashboardModel(i);
    const bob = m.people.find((p) => p.userName === 'bob')!;
    assert.equal(bob.phase, 'sso');
    assert.equal(bob.firstSsoUse, '2024-06-10T09:00:00Z');
    assert.ok(!m.notStarted.includes('sso'));
  });
});
