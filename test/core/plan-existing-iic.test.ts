import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SwitchOutcome } from '../../src/core/identity-source-switch.js';
import { type ExistingIdentityCenter, withExistingIdentityCenter } from '../../src/core/plan-existing-iic.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { desiredStateFromPlan } from '../../src/core/reconcile/desired.js';

const keeps = (userName: string): SwitchOutcome => ({ userName, keeps: true, upn: userName, rule: 'upn' });
const loses = (userName: string): SwitchOutcome => ({
  userName,
  keeps: false,
  reason: 'no-entra-user',
  detail: 'no Entra user has this user name as UPN',
  fix: 'create the person in Entra',
  upn: null,
});

const generated = (): MigrationPlan => ({
  formatVersion: 1,
  createdAt: '2026-12-06T00:00:00.000Z',
  fingerprint: { runId: 'r1', takenAt: '2026-12-06T00:00:00.000Z', accounts: [] },
  permissionSets: [],
  groups: [],
  users: [],
  serviceAccounts: [],
  problems: [],
});

const existing = (): ExistingIdentityCenter => ({
  permissionSets: [
    {
      name: 'LegacyDev',
      description: 'made by hand',
      sessionDuration: 'PT8H',
      managedPolicies: ['arn:aws:iam::aws:policy/PowerUserAccess'],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
    },
  ],
  groups: [{ name: 'Developers', members: ['ana@example.com', 'short', 'BO@example.com'] }],
  assignments: [
    { accountId: '222222222222', permissionSet: 'LegacyDev', principalType: 'GROUP', principal: 'Developers' },
    { accountId: '111111111111', permissionSet: 'LegacyDev', principalType: 'GROUP', principal: 'Developers' },
    { accountId: '111111111111', permissionSet: 'LegacyDev', principalType: 'USER', principal: 'short' },
  ],
  users: [keeps('ana@example.com'), keeps('bo@example.com'), loses('short')],
});

describe('bringing an Identity Center in use into the plan', () => {
  it('plans an Entra group for each directory group with its members matched by UPN and its assignments', () => {
    const plan = withExistingIdentityCenter(generated(), existing(), null);
    assert.deepEqual(plan.groups, [
      {
        key: 'existing-group:Developers',
        name: 'Developers',
        description:
          'replaces Identity Center directory group Developers: its members that match Entra by UPN, its assignments',
        replaces: 'Developers',
        members: ['ana@example.com', 'bo@example.com'],
        assignments: [
          { accountId: '111111111111', permissionSet: 'LegacyDev' },
          { accountId: '222222222222', permissionSet: 'LegacyDev' },
        ],
      },
    ]);
  });

  it('adopts the permission set, the Identity Store group and each group assignment, never a user assignment', () => {
    const plan = withExistingIdentityCenter(generated(), existing(), null);
    assert.deepEqual(
      (plan.adopt ?? []).map((a) =>
        a.kind === 'assignment' ? `assignment ${a.accountId} ${a.permissionSet} ${a.group}` : `${a.kind} ${a.name}`,
      ),
      [
        'permission-set LegacyDev',
        'store-group Developers',
        'assignment 111111111111 LegacyDev Developers',
        'assignment 222222222222 LegacyDev Developers',
      ],
    );
  });

  it('keeps unmatched members and direct user assignments as problems with the fix', () => {
    const plan = withExistingIdentityCenter(generated(), existing(), null);
    const byId = (id: string) => plan.problems.filter((p) => p.id === id).map((p) => p.message);
    assert.deepEqual(byId('iic.loses-sign-in').length, 1);
    assert.match(byId('iic.loses-sign-in')[0], /^short would lose sign-in .*create the person in Entra/);
    assert.match(
      byId('iic.group-members-left')[0],
      /^directory group Developers: no enabled Entra user has the UPN of short, /,
    );
    assert.match(
      byId('iic.user-assignment')[0],
      /^short holds LegacyDev on 111111111111 directly: give it through a group/,
    );
  });

  it('gives apply the listed members of a replacing group although no user block brings them', () => {
    const plan = withExistingIdentityCenter(generated(), existing(), null);
    const desired = desiredStateFromPlan(plan);
    assert.deepEqual(desired.groups, [
      { name: 'Developers', members: ['ana@example.com', 'bo@example.com'], keepsDirectoryMembers: true },
    ]);
    assert.deepEqual(
      desired.assignments.map((a) => `${a.accountId} ${a.permissionSet} ${a.group}`),
      ['111111111111 LegacyDev Developers', '222222222222 LegacyDev Developers'],
    );
  });

  it('keeps the groups and adoptions when the plan is made again without reading Identity Center', () => {
    const first = withExistingIdentityCenter(generated(), existing(), null);
    // planMigration carries a person's (and this) adopt: section as written.
    const again = withExistingIdentityCenter({ ...generated(), adopt: first.adopt }, null, first);
    assert.deepEqual(again.groups, first.groups);
    assert.deepEqual(again.adopt, first.adopt);
    assert.deepEqual(again.permissionSets, first.permissionSets);
    assert.deepEqual(
      again.problems.map((p) => p.id),
      first.problems.map((p) => p.id),
    );
  });

  it('does not adopt an entry twice when read again', () => {
    const first = withExistingIdentityCenter(generated(), existing(), null);
    const again = withExistingIdentityCenter({ ...generated(), adopt: first.adopt }, existing(), first);
    assert.deepEqual(again.adopt, first.adopt);
  });

  it("warns when Entra already has a group of the directory group's name that iam2sso does not own", () => {
    const plan = withExistingIdentityCenter(generated(), { ...existing(), entraGroups: ['developers', 'Other'] }, null);
    const found = plan.problems.filter((p) => p.id === 'iic.entra-group-exists');
    assert.equal(found.length, 1);
    assert.match(
      found[0].message,
      /^directory group Developers: Entra already has a group of this name .*adopt: \{kind: entra-group, name: Developers\}/,
    );
    assert.equal(
      withExistingIdentityCenter(generated(), existing(), null).problems.some((p) => p.id === 'iic.entra-group-exists'),
      false,
    );
  });

  it('leaves a directory group whose name the plan already uses, with a problem', () => {
    const taken = {
      ...generated(),
      groups: [{ key: 'g', name: 'developers', description: '', members: [], assignments: [] }],
    };
    const plan = withExistingIdentityCenter(taken, existing(), null);
    assert.deepEqual(
      plan.groups.map((g) => g.key),
      ['g'],
    );
    assert.ok(plan.problems.some((p) => p.id === 'iic.group-name-taken'));
    assert.ok(!(plan.adopt ?? []).some((a) => a.kind === 'store-group' || a.kind === 'assignment'));
  });
});
