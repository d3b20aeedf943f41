import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { desiredStateFromPlan, type PlanForApply } from '../../src/core/reconcile/desired.js';
import { planOf } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

type User = PlanForApply['users'][number];

function user(userName: string, accountId: string, action: User['action'], groups: string[]): User {
  return { accountId, userName, upn: `${userName}@example.com`, action, groups, parity: { gaps: [] } };
}

function plan(users: User[]): PlanForApply {
  return {
    formatVersion: 1,
    permissionSets: [
      {
        name: 'AdministratorAccess',
        sessionDuration: 'PT1H',
        managedPolicies: [ADMIN],
        customerManagedPolicies: [],
        inlinePolicy: null,
        permissionsBoundary: null,
      },
    ],
    groups: [
      {
        name: 'AWS-prod-AdministratorAccess',
        // Stale on purpose: members are derived from users[], whatever this list says.
        members: ['ana@example.com', 'bo@example.com', 'cy@example.com', 'dee@example.com'],
        assignments: [{ accountId: '222222222222', permissionSet: 'AdministratorAccess' }],
      },
      {
        name: 'AWS-dev-AdministratorAccess',
        members: ['ana@example.com', 'bo@example.com'],
        assignments: [{ accountId: '333333333333', permissionSet: 'AdministratorAccess' }],
      },
    ],
    users,
  };
}

const membersOf = (p: PlanForApply) =>
  Object.fromEntries(desiredStateFromPlan(p).groups.map((g) => [g.name, g.members]));

describe('group members come from the users of the plan', () => {
  test('a migrating user joins exactly the groups its block lists', () => {
    const got = membersOf(
      plan([
        user('ana', '222222222222', 'migrate', ['AWS-prod-AdministratorAccess']),
        user('ana', '333333333333', 'migrate', ['AWS-dev-AdministratorAccess']),
        user('bo', '222222222222', 'migrate', ['AWS-prod-AdministratorAccess']),
      ]),
    );
    assert.deepEqual(got, {
      'AWS-dev-AdministratorAccess': ['ana@example.com'],
      'AWS-prod-AdministratorAccess': ['ana@example.com', 'bo@example.com'],
    });
  });

  test('keep, skip, replace and decommission take the person out of every group', () => {
    for (const action of ['keep', 'skip', 'replace', 'decommission'] as const) {
      const got = membersOf(
        plan([
          user('ana', '222222222222', 'migrate', ['AWS-prod-AdministratorAccess']),
          user('bo', '222222222222', action, ['AWS-prod-AdministratorAccess']),
        ]),
      );
      assert.deepEqual(got['AWS-prod-AdministratorAccess'], ['ana@example.com'], action);
      assert.deepEqual(got['AWS-dev-AdministratorAccess'], [], action);
    }
  });

  test('a deleted user block removes the person even though groups[].members still names them', () => {
    const got = membersOf(plan([user('ana', '222222222222', 'migrate', ['AWS-prod-AdministratorAccess'])]));
    assert.deepEqual(got['AWS-prod-AdministratorAccess'], ['ana@example.com']);
  });

  test('a person kept in one account stays only in the groups of the account that migrates', () => {
    const got = membersOf(
      plan([
        user('ana', '222222222222', 'keep', ['AWS-prod-AdministratorAccess']),
        user('ana', '333333333333', 'migrate', ['AWS-dev-AdministratorAccess']),
      ]),
    );
    assert.deepEqual(got['AWS-prod-AdministratorAccess'], []);
    assert.deepEqual(got['AWS-dev-AdministratorAccess'], ['ana@example.com']);
  });

  test('a block without groups (older plans) joins the groups whose members name it, only while migrating', () => {
    const legacy = (u: User): User => ({ ...u, groups: undefined });
    const got = membersOf(
      plan([legacy(user('ana', '222222222222', 'migrate', [])), legacy(user('bo', '222222222222', 'keep', []))]),
    );
    assert.deepEqual(got['AWS-prod-AdministratorAccess'], ['ana@example.com']);
    assert.deepEqual(got['AWS-dev-AdministratorAccess'], ['ana@example.com']);
  });

  test('a blocked user joins no group and is reported as skipped', () => {
    const blocked = { ...user('cy', '222222222222', 'migrate', ['AWS-prod-AdministratorAccess']) };
    blocked.parity = { gaps: ['s3:PutObject on *'], acknowledged: [] };
    const state = desiredStateFromPlan(plan([blocked]));
    assert.deepEqual(state.groups.find((g) => g.name === 'AWS-prod-AdministratorAccess')?.members, []);
    assert.equal(state.skipped[0]?.item, 'user 222222222222/cy');
  });
});

describe('plan writes groups that agree with its users', () => {
  function estate() {
    const b = new SnapshotBuilder();
    const a = b.account('111111111111', 'prod', 'prod');
    a.user('ana', { managed: ['AdministratorAccess'], tags: { email: 'ana@example.com' } });
    a.user('bo', { managed: ['AdministratorAccess'], tags: { email: 'bo@example.com' } });
    a.user('cy', { managed: ['AdministratorAccess'] });
    return b.build();
  }

  test('groups[].members are exactly what apply derives from users[] (blocked users listed in groups, not members)', async () => {
    const { plan } = await planOf(estate());
    const derived = new Map(desiredStateFromPlan(plan).groups.map((g) => [g.name, g.members]));
    assert.ok(plan.groups.length > 0);
    for (const g of plan.groups) assert.deepEqual(g.members, derived.get(g.name), g.name);
    const cy = plan.users.find((u) => u.userName === 'cy')!;
    assert.ok(cy.blockedBy.length > 0 && cy.groups.length > 0, 'cy is blocked (no UPN) but keeps its groups');
    assert.deepEqual(plan.groups[0].members, ['ana@example.com', 'bo@example.com']);
  });

  test('a user block deleted by a reviewer comes back as skip on the same audit, out of every group', async () => {
    const built = estate();
    const first = (await planOf(built)).plan;
    const edited = { ...first, users: first.users.filter((u) => u.userName !== 'bo') };
    const { plan, keptEdits } = await planOf(built, { previous: edited });
    const bo = plan.users.find((u) => u.userName === 'bo')!;
    assert.equal(bo.action, 'skip');
    assert.deepEqual(bo.groups, []);
    assert.ok(plan.groups.every((g) => !g.members.includes('bo@example.com')));
    assert.ok(
      keptEdits.some((k) => /bo: skip \(its block was deleted/.test(k)),
      keptEdits.join('; '),
    );
    const again = await planOf(built, { previous: plan });
    assert.equal(again.plan.users.find((u) => u.userName === 'bo')?.action, 'skip', 'the choice is kept');
  });
});
