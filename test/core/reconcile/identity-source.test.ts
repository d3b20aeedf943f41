import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffApply, type LiveApplyState } from '../../../src/core/reconcile/apply-diff.js';
import { desiredStateFromPlan, type PlanForApply } from '../../../src/core/reconcile/desired.js';
import { scopeToIdentitySource } from '../../../src/core/reconcile/identity-source.js';

const plan: PlanForApply = {
  formatVersion: 1,
  permissionSets: [
    {
      name: 'ReadOnly',
      sessionDuration: 'PT8H',
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
    },
  ],
  groups: ['AWS-prod-ReadOnly', 'AWS-dev-ReadOnly'].map((name) => ({
    name,
    members: ['ana@example.com'],
    assignments: [{ accountId: name.includes('prod') ? '111111111111' : '222222222222', permissionSet: 'ReadOnly' }],
  })),
  users: [
    {
      accountId: '111111111111',
      userName: 'ana',
      upn: 'ana@example.com',
      action: 'migrate',
      groups: ['AWS-prod-ReadOnly', 'AWS-dev-ReadOnly'],
    },
  ],
};

/** The Identity Store holds one of the planned groups (fed by someone else) and an old group iam2sso made. */
const live: LiveApplyState = {
  permissionSets: [],
  groups: [],
  assignments: [],
  store: {
    groups: [{ id: 'g-old', name: 'AWS-old-Admin', managedByTool: true, members: [] }],
    users: [],
  },
  provisioned: [],
  appAssignedGroups: null,
};

describe('scopeToIdentitySource', () => {
  const desired = desiredStateFromPlan(plan);
  const full = diffApply({ ...desired, groups: [] }, live);
  const present = new Set(['aws-prod-readonly', 'aws-old-admin']);

  it('iam2sso-sync keeps the whole diff', () => {
    assert.equal(scopeToIdentitySource(full, 'iam2sso-sync', desired.groups, present), full);
  });

  it('external: no directory writes, not even deletes of groups iam2sso once made; missing groups wait with the step', () => {
    const scoped = scopeToIdentitySource(full, 'external', desired.groups, present);
    assert.deepEqual(scoped.store, {
      createGroups: [],
      createUsers: [],
      addMembers: [],
      removeMembers: [],
      deleteGroups: [],
    });
    assert.deepEqual(scoped.appAssignments, []);
    assert.deepEqual(
      scoped.permissionSets.create.map((p) => p.name),
      ['ReadOnly'],
    );
    assert.deepEqual(
      scoped.assignments.create.map((a) => a.group),
      ['AWS-prod-ReadOnly'],
    );
    const group = scoped.skipped.find((s) => s.item === 'group AWS-dev-ReadOnly');
    assert.match(
      group?.reason ?? '',
      /identity source external\): create the group "AWS-dev-ReadOnly" with its 1 member/,
    );
    assert.ok(scoped.skipped.some((s) => s.item === 'assignment 222222222222 ReadOnly -> AWS-dev-ReadOnly'));
  });

  it('scim: a missing group is to be made in Entra and assigned to the enterprise app', () => {
    const scoped = scopeToIdentitySource(full, 'scim', desired.groups, present);
    const group = scoped.skipped.find((s) => s.item === 'group AWS-dev-ReadOnly');
    assert.match(
      group?.reason ?? '',
      /create the Entra group "AWS-dev-ReadOnly" .* assign it to the AWS IAM Identity Center enterprise app/,
    );
  });
});
