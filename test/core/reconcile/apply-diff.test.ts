import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyDiffCounts,
  diffApply,
  isApplyDiffEmpty,
  type LiveApplyState,
  resolveMembers,
} from '../../../src/core/reconcile/apply-diff.js';
import { desiredStateFromPlan, type PlanForApply } from '../../../src/core/reconcile/desired.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const plan: PlanForApply = {
  formatVersion: 1,
  permissionSets: [
    {
      name: 'Admin',
      sessionDuration: 'PT1H',
      managedPolicies: [ADMIN],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
    },
  ],
  groups: [
    {
      name: 'AWS-prod-Admin',
      members: ['ana@example.com', 'gone@example.com', 'off@example.com'],
      assignments: [{ accountId: '222222222222', permissionSet: 'Admin' }],
    },
  ],
  users: [
    {
      accountId: '222222222222',
      userName: 'ana',
      upn: 'ana@example.com',
      action: 'migrate',
      parity: { gaps: ['s3:GetObject'], acknowledged: ['s3:*'] },
    },
    { accountId: '222222222222', userName: 'gone', upn: 'gone@example.com', action: 'migrate', parity: { gaps: [] } },
    { accountId: '222222222222', userName: 'off', upn: 'off@example.com', action: 'migrate', parity: { gaps: [] } },
  ],
};

const people = [
  { upn: 'Ana@example.com', enabled: true },
  { upn: 'off@example.com', enabled: false },
];

function empty(): LiveApplyState {
  return {
    permissionSets: [],
    groups: [],
    assignments: [],
    store: { groups: [], users: [] },
    provisioned: [],
    appAssignedGroups: [],
  };
}

describe('apply diff', () => {
  it('skips members without an enabled Entra account, with the reason, and accepts wildcard acknowledgements', () => {
    const desired = resolveMembers(desiredStateFromPlan(plan), people);
    assert.deepEqual(desired.groups[0].members, ['ana@example.com']);
    assert.deepEqual(desired.skipped, [
      { item: 'member gone@example.com', reason: 'no Entra user with this user principal name' },
      { item: 'member off@example.com', reason: 'Entra account disabled' },
    ]);
  });

  it('from empty: creates the permission set, the groups on both sides, the user, membership, app assignment and assignment', () => {
    const diff = diffApply(resolveMembers(desiredStateFromPlan(plan), people), empty());
    assert.deepEqual(diff.store.createGroups, ['AWS-prod-Admin']);
    assert.deepEqual(diff.store.createUsers, ['ana@example.com']);
    assert.deepEqual(diff.store.addMembers, [{ group: 'AWS-prod-Admin', upn: 'ana@example.com' }]);
    assert.deepEqual(diff.appAssignments, ['AWS-prod-Admin']);
    assert.deepEqual(applyDiffCounts(diff), { create: 7, update: 0, delete: 0 });
  });

  it('provisions an updated permission set to every account that has it, and outdated accounts of unchanged ones', () => {
    const desired = resolveMembers(desiredStateFromPlan(plan), people);
    const live: LiveApplyState = {
      ...empty(),
      permissionSets: [{ ...desired.permissionSets[0], sessionDuration: 'PT2H', arn: 'arn:ps', managedByTool: true }],
      provisioned: [{ permissionSet: 'Admin', accounts: ['222222222222', '333333333333'], outdated: [] }],
    };
    assert.deepEqual(diffApply(desired, live).provisioning, [
      { permissionSet: 'Admin', accountId: '222222222222' },
      { permissionSet: 'Admin', accountId: '333333333333' },
    ]);
    const same: LiveApplyState = {
      ...live,
      permissionSets: [{ ...desired.permissionSets[0], arn: 'arn:ps', managedByTool: true }],
      provisioned: [{ permissionSet: 'Admin', accounts: ['222222222222'], outdated: ['222222222222'] }],
    };
    assert.deepEqual(diffApply(desired, same).provisioning, [{ permissionSet: 'Admin', accountId: '222222222222' }]);
  });

  it('removes members and deletes groups only where the product owns them; nothing left is an empty diff', () => {
    const desired = resolveMembers(desiredStateFromPlan(plan), people);
    const live: LiveApplyState = {
      permissionSets: [{ ...desired.permissionSets[0], arn: 'arn:ps', managedByTool: true }],
      groups: [{ id: 'e1', name: 'AWS-prod-Admin', members: ['ana@example.com'], managedByTool: true }],
      assignments: [
        { accountId: '222222222222', permissionSet: 'Admin', group: 'AWS-prod-Admin', managedByTool: true },
      ],
      store: {
        groups: [
          {
            id: 'g1',
            name: 'AWS-prod-Admin',
            managedByTool: true,
            members: [
              { upn: 'ana@example.com', membershipId: 'm1' },
              { upn: 'old@example.com', membershipId: 'm2' },
            ],
          },
          { id: 'g2', name: 'Someone-Elses', managedByTool: false, members: [] },
          { id: 'g3', name: 'AWS-retired', managedByTool: true, members: [] },
        ],
        users: ['ana@example.com', 'old@example.com'],
      },
      provisioned: [{ permissionSet: 'Admin', accounts: ['222222222222'], outdated: [] }],
      appAssignedGroups: ['AWS-prod-Admin'],
    };
    const diff = diffApply(desired, live);
    assert.deepEqual(diff.store.removeMembers, [
      { group: 'AWS-prod-Admin', upn: 'old@example.com', membershipId: 'm2' },
    ]);
    assert.deepEqual(
      diff.store.deleteGroups.map((g) => g.name),
      ['AWS-retired'],
    );
    assert.equal(isApplyDiffEmpty(diff), false);
    live.store.groups = live.store.groups.filter((g) => g.id !== 'g3');
    live.store.groups[0].members.pop();
    assert.equal(isApplyDiffEmpty(diffApply(desired, live)), true);
  });

  it('without the enterprise app, reports the app assignment as skipped instead of pending', () => {
    const diff = diffApply(resolveMembers(desiredStateFromPlan(plan), people), { ...empty(), appAssignedGroups: null });
    assert.deepEqual(diff.appAssignments, []);
    assert.ok(diff.skipped.some((s) => s.item === 'Entra app assignment'));
  });
});
