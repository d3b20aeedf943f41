import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredStateFromPlan, type PlanForApply } from '../../../src/core/reconcile/desired.js';
import { diffCounts, diffState, isEmptyDiff, type LiveState } from '../../../src/core/reconcile/diff.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

function plan(overrides: Partial<PlanForApply> = {}): PlanForApply {
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
      {
        name: 'Dev-S3',
        sessionDuration: 'PT8H',
        managedPolicies: [READ],
        customerManagedPolicies: [],
        inlinePolicy:
          '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } ] }',
        permissionsBoundary: null,
      },
    ],
    groups: [
      {
        name: 'AWS-prod-AdministratorAccess',
        members: ['Ana@example.com'],
        assignments: [{ accountId: '222222222222', permissionSet: 'AdministratorAccess' }],
      },
      {
        name: 'AWS-dev-Dev-S3',
        members: ['bo@example.com', 'cy@example.com'],
        assignments: [{ accountId: '333333333333', permissionSet: 'Dev-S3' }],
      },
    ],
    users: [
      {
        accountId: '222222222222',
        userName: 'ana',
        upn: 'ana@example.com',
        action: 'migrate',
        parity: { gaps: [], acknowledged: [] },
      },
      {
        accountId: '333333333333',
        userName: 'bo',
        upn: 'bo@example.com',
        action: 'migrate',
        parity: { gaps: [], acknowledged: [] },
      },
      {
        accountId: '333333333333',
        userName: 'cy',
        upn: 'cy@example.com',
        action: 'migrate',
        parity: { gaps: ['s3:PutObject'], acknowledged: [] },
      },
      { accountId: '333333333333', userName: 'ghost', upn: null, action: 'migrate' },
      { accountId: '333333333333', userName: 'ci-bot', upn: null, action: 'replace' },
    ],
    ...overrides,
  };
}

function liveFrom(p: PlanForApply): LiveState {
  const d = desiredStateFromPlan(p);
  return {
    permissionSets: d.permissionSets.map((ps, i) => ({ ...ps, arn: `arn:ps/${i}`, managedByTool: true })),
    groups: d.groups.map((g, i) => ({ ...g, id: `g${i}`, managedByTool: true })),
    assignments: d.assignments.map((a) => ({ ...a, managedByTool: true })),
  };
}

describe('desired state from a plan', () => {
  it('skips unmapped users and users with unacknowledged parity gaps, with the reason', () => {
    const d = desiredStateFromPlan(plan());
    assert.deepEqual(
      d.skipped.map((s) => s.item),
      ['user 333333333333/cy', 'user 333333333333/ghost'],
    );
    assert.match(d.skipped[0].reason, /parity gap/);
    assert.match(d.skipped[1].reason, /no Entra user/);
    assert.deepEqual(d.groups.find((g) => g.name === 'AWS-dev-Dev-S3')?.members, ['bo@example.com']);
  });

  it('lets a user with acknowledged gaps migrate', () => {
    const p = plan();
    p.users[2].parity = { gaps: ['s3:PutObject'], acknowledged: ['s3:PutObject'] };
    const d = desiredStateFromPlan(p);
    assert.deepEqual(d.groups.find((g) => g.name === 'AWS-dev-Dev-S3')?.members, ['bo@example.com', 'cy@example.com']);
  });
});

describe('diff against live state', () => {
  it('creates everything from empty', () => {
    const diff = diffState(desiredStateFromPlan(plan()), { permissionSets: [], groups: [], assignments: [] });
    assert.deepEqual(diffCounts(diff), { create: 6, update: 0, delete: 0, unchanged: 0 });
  });

  it('reports no change when live matches, even with different JSON formatting', () => {
    const p = plan();
    const live = liveFrom(p);
    live.permissionSets[1].inlinePolicy = JSON.stringify(JSON.parse(p.permissionSets[1].inlinePolicy!), null, 4);
    assert.equal(isEmptyDiff(diffState(desiredStateFromPlan(p), live)), true);
  });

  it('turns a session duration edit into one update naming the change', () => {
    const p = plan();
    const live = liveFrom(p);
    p.permissionSets[0].sessionDuration = 'PT2H';
    const diff = diffState(desiredStateFromPlan(p), live);
    assert.deepEqual(diffCounts(diff), { create: 0, update: 1, delete: 0, unchanged: 5 });
    assert.deepEqual(diff.permissionSets.update[0].changes, ['session PT1H -> PT2H']);
  });

  it('deletes only what the product created', () => {
    const live = liveFrom(plan());
    live.permissionSets.push(
      { ...live.permissionSets[0], name: 'Old', arn: 'arn:old', managedByTool: true },
      { ...live.permissionSets[0], name: 'Theirs', arn: 'arn:theirs', managedByTool: false },
    );
    live.assignments.push({ accountId: '222222222222', permissionSet: 'Theirs', group: 'Ops', managedByTool: false });
    const diff = diffState(desiredStateFromPlan(plan()), live);
    assert.deepEqual(
      diff.permissionSets.delete.map((p) => p.name),
      ['Old'],
    );
    assert.equal(diff.assignments.delete.length, 0);
  });

  it('adds and removes group members by UPN, case-insensitively', () => {
    const p = plan();
    const live = liveFrom(p);
    live.groups.find((g) => g.name === 'AWS-dev-Dev-S3')!.members = ['BO@example.com', 'left@example.com'];
    p.users[2].parity = { gaps: ['x'], acknowledged: ['x'] };
    const diff = diffState(desiredStateFromPlan(p), live);
    assert.deepEqual(diff.groups.update[0].add, ['cy@example.com']);
    assert.deepEqual(diff.groups.update[0].remove, ['left@example.com']);
  });
});
