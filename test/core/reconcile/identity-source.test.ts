import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyChanges } from '../../../src/core/reconcile/apply-changes.js';
import { diffApply, type LiveApplyState } from '../../../src/core/reconcile/apply-diff.js';
import { changeId, ownerCheck, undoOf } from '../../../src/core/reconcile/changes.js';
import { desiredStateFromPlan, type PlanForApply } from '../../../src/core/reconcile/desired.js';
import {
  provisioningBlocker,
  scimWaits,
  scopeToIdentitySource,
  withProvisionedGroups,
} from '../../../src/core/reconcile/identity-source.js';
import { dependenciesOf } from '../../../src/core/reconcile/order.js';
import { refuseUnowned } from '../../../src/core/reconcile/refuse-unowned.js';

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

  it('scim: Entra writes stay, no Identity Store writes; every assignment of a missing group waits for it to arrive', () => {
    const entraSide = diffApply(desired, { ...live, appAssignedGroups: [] });
    const active = [{ id: 'aws.1', scheduleState: 'Active', quarantined: false }];
    assert.equal(provisioningBlocker(active), null);
    assert.equal(provisioningBlocker('unknown'), null, 'a job that cannot be read is waited for');
    const scoped = scopeToIdentitySource(entraSide, 'scim', desired.groups, present, provisioningBlocker(active));
    assert.deepEqual(Object.values(scoped.store).flat(), [], 'provisioning writes the Identity Store, not apply');
    assert.deepEqual(
      scoped.groups.create.map((g) => g.name),
      ['AWS-dev-ReadOnly', 'AWS-prod-ReadOnly'],
    );
    assert.deepEqual(scoped.appAssignments, ['AWS-dev-ReadOnly', 'AWS-prod-ReadOnly']);
    const changes = applyChanges(scoped);
    const waits = scimWaits('scim', changes, present);
    assert.deepEqual(waits, [{ kind: 'scim.group.await', group: 'AWS-dev-ReadOnly' }], 'the present group needs none');
    const deps = dependenciesOf([...changes, ...waits]);
    const wait = changeId(waits[0]);
    assert.deepEqual(deps.get(wait), [
      'entra.app.assign:aws-dev-readonly',
      'entra.group.create:aws-dev-readonly',
      'entra.member.add:aws-dev-readonly:ana@example.com',
    ]);
    assert.ok(deps.get('assignment.create:222222222222|ReadOnly|aws-dev-readonly')?.includes(wait));
    assert.ok(!deps.get('assignment.create:111111111111|ReadOnly|aws-prod-readonly')?.includes(wait));
    assert.equal(undoOf(waits[0]), null, 'a wait writes nothing and has nothing to undo');
    assert.equal(ownerCheck(waits[0]), null);
    assert.deepEqual(scimWaits('external', changes, present), []);
  });

  it('scim when provisioning cannot bring groups (no app, no job, paused, in quarantine): their assignments are skipped with the step, not waited for', () => {
    const cases: [Parameters<typeof provisioningBlocker>[0], RegExp][] = [
      [null, /enterprise app is not set up in Entra: run `iam2sso entra setup` with --scim-endpoint/],
      [[], /no provisioning job: run `iam2sso entra setup --scim-endpoint URL`/],
      [[{ id: 'aws.1', scheduleState: 'Paused', quarantined: false }], /aws\.1 is Paused: start provisioning in Entra/],
      [[{ id: 'aws.1', scheduleState: 'Active', quarantined: true }], /in quarantine: .*--replace-scim-credentials/],
    ];
    for (const [jobs, reason] of cases) {
      const scoped = scopeToIdentitySource(
        diffApply(desired, live),
        'scim',
        desired.groups,
        present,
        provisioningBlocker(jobs),
      );
      const skipped = scoped.skipped.find((s) => s.item === 'group AWS-dev-ReadOnly')?.reason ?? '';
      assert.match(skipped, /not in the Identity Store, and Entra's provisioning cannot bring it now: /);
      assert.match(skipped, reason);
      assert.deepEqual(
        scoped.assignments.create.map((a) => a.group),
        ['AWS-prod-ReadOnly'],
      );
      assert.deepEqual(scimWaits('scim', applyChanges(scoped), present), []);
    }
  });

  it('scim: an Identity Store group counts as ours only when provisioning made it from our Entra group', () => {
    const state: LiveApplyState = {
      ...live,
      groups: [
        { id: 'e-prod', name: 'AWS-prod-ReadOnly', members: [], managedByTool: true },
        { id: 'e-dev', name: 'AWS-dev-ReadOnly', members: [], managedByTool: true },
      ],
      store: {
        users: [],
        groups: [
          { id: 's-prod', name: 'AWS-prod-ReadOnly', managedByTool: false, members: [], externalIds: ['e-prod'] },
          // Made by hand under the planned name: provisioning would take it over with its members.
          { id: 's-dev', name: 'AWS-dev-ReadOnly', managedByTool: false, members: [], externalIds: [] },
        ],
      },
    };
    const { refused } = refuseUnowned(desired, withProvisionedGroups('scim', state));
    assert.deepEqual(
      refused.map((r) => r.item),
      ['group AWS-dev-ReadOnly', 'assignment 222222222222 ReadOnly -> AWS-dev-ReadOnly'],
    );
    assert.match(refused[0].reason, /Identity Store group AWS-dev-ReadOnly exists and is not managed by iam2sso/);
  });
});
