import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.js';
import {
  CA_POLICY_NAME,
  leaveEligibleAlone,
  planConditionalAccess,
  planPim,
  privilegedGroups,
} from '../../src/core/harden-plan.js';
import type { MigrationPlan, PlannedPermissionSet } from '../../src/core/plan-types.js';
import { type Change, changeId, ownerCheck, undoOf } from '../../src/core/reconcile/changes.js';
import { dependenciesOf } from '../../src/core/reconcile/order.js';
import { parsePlanText } from '../../src/plan-file/read.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';

const set = (name: string, over: Partial<PlannedPermissionSet> = {}): PlannedPermissionSet => ({
  key: name,
  name,
  sessionDuration: 'PT1H',
  kind: 'power-user',
  managedPolicies: [],
  customerManagedPolicies: [],
  inlinePolicy: null,
  permissionsBoundary: null,
  reason: '',
  ...over,
});

function planWith(): MigrationPlan {
  return {
    formatVersion: 1,
    createdAt: '2026-12-01T00:00:00Z',
    fingerprint: { runId: 'r', takenAt: '2026-12-01T00:00:00Z', accounts: [] },
    permissionSets: [
      set('Admin', { kind: 'admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }),
      set('IamWriter', {
        inlinePolicy: '{"Statement":[{"Effect":"Allow","Action":["iam:CreateUser"],"Resource":"*"}]}',
      }),
      set('Reader', { kind: 'read-only', managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }),
    ],
    groups: [
      {
        key: 'a',
        name: 'AWS-Prod-Admin',
        description: '',
        members: ['ann@x.com', 'bob@x.com'],
        assignments: [{ accountId: '1', permissionSet: 'Admin' }],
      },
      {
        key: 'i',
        name: 'AWS-Prod-Iam',
        description: '',
        members: ['cy@x.com'],
        assignments: [{ accountId: '1', permissionSet: 'IamWriter' }],
      },
      {
        key: 'r',
        name: 'AWS-Prod-Read',
        description: '',
        members: ['ann@x.com'],
        assignments: [{ accountId: '1', permissionSet: 'Reader' }],
      },
    ],
    users: [],
    serviceAccounts: [],
    problems: [],
  };
}

describe('entra harden planning', () => {
  it('proposes the groups given administrator or IAM-write sets, and keeps what the plan file pins', () => {
    const plan = planWith();
    const proposed = privilegedGroups(plan);
    assert.equal(proposed.proposed, true);
    assert.deepEqual(
      proposed.settings.map((s) => [s.group, s.maxActivation, s.justification]),
      [
        ['AWS-Prod-Admin', 'PT4H', true],
        ['AWS-Prod-Iam', 'PT4H', true],
      ],
    );
    const pinned = {
      ...plan,
      privilegedAccess: [{ group: 'AWS-Prod-Iam', maxActivation: 'PT1H', approval: true, justification: true }],
    };
    assert.deepEqual(privilegedGroups(pinned), { settings: pinned.privilegedAccess, proposed: false });
  });

  it('creates the policy report-only for the plan groups without the emergency accounts, then only switches its state', () => {
    const plan = planWith();
    const groupIds = new Map([
      ['aws-prod-admin', 'g1'],
      ['aws-prod-read', 'g3'],
    ]);
    const first = planConditionalAccess(plan, 'report-only', {
      appId: 'app',
      groupIds,
      excludeUserIds: ['bg'],
      existing: null,
    });
    assert.deepEqual(first.changes, [
      {
        kind: 'entra.ca.create',
        name: CA_POLICY_NAME,
        spec: {
          displayName: CA_POLICY_NAME,
          state: 'enabledForReportingButNotEnforced',
          appId: 'app',
          includeGroups: ['g1', 'g3'],
          excludeUsers: ['bg'],
        },
      },
    ]);
    const on = planConditionalAccess(plan, 'on', {
      appId: 'app',
      groupIds,
      excludeUserIds: [],
      existing: { state: 'enabledForReportingButNotEnforced', owned: true },
    });
    assert.deepEqual(on.changes, [
      { kind: 'entra.ca.state', name: CA_POLICY_NAME, to: 'enabled', from: 'enabledForReportingButNotEnforced' },
    ]);
    const again = planConditionalAccess(plan, 'on', {
      appId: 'app',
      groupIds,
      excludeUserIds: [],
      existing: { state: 'enabled', owned: true },
    });
    assert.deepEqual(again.changes, [], 'a policy already in the asked state is left as it is');
    assert.deepEqual(undoOf(on.changes[0]), {
      kind: 'entra.ca.state',
      name: CA_POLICY_NAME,
      to: 'enabledForReportingButNotEnforced',
      from: 'enabled',
    });
  });

  it('creates a new policy report-only even when asked for on', () => {
    const groupIds = new Map([['aws-prod-admin', 'g1']]);
    const out = planConditionalAccess(planWith(), 'on', { appId: 'app', groupIds, excludeUserIds: [], existing: null });
    assert.equal(
      out.changes[0].kind === 'entra.ca.create' && out.changes[0].spec.state,
      'enabledForReportingButNotEnforced',
    );
    assert.match(out.notes[0], /report-only first/);
  });

  it('leaves a policy of the same name that iam2sso did not create alone', () => {
    const out = planConditionalAccess(planWith(), 'on', {
      appId: 'app',
      groupIds: new Map(),
      excludeUserIds: [],
      existing: { state: 'disabled', owned: false },
    });
    assert.deepEqual(out.changes, []);
    assert.match(out.notes[0], /did not create it/);
  });

  it('makes plan members eligible before removing their standing membership, and only in owned groups', () => {
    const plan = planWith();
    const live = new Map([
      [
        'aws-prod-admin',
        {
          eligible: new Set(['bob@x.com', 'old@x.com']),
          standing: new Set(['ann@x.com']),
          ownedEligible: new Set(['old@x.com']),
          rules: { maxActivation: 'PT8H', justification: true },
        },
      ],
    ]);
    const { changes } = planPim(
      plan,
      [{ group: 'AWS-Prod-Admin', maxActivation: 'PT4H', approval: false, justification: true }],
      live,
    );
    const rules = {
      kind: 'entra.pim.rules',
      group: 'AWS-Prod-Admin',
      to: { maxActivation: 'PT4H', justification: true },
      from: { maxActivation: 'PT8H', justification: true },
    } as const;
    assert.deepEqual(changes, [
      rules,
      { kind: 'entra.pim.eligible.add', group: 'AWS-Prod-Admin', upn: 'ann@x.com' },
      { kind: 'entra.member.remove', group: 'AWS-Prod-Admin', upn: 'ann@x.com' },
      { kind: 'entra.pim.eligible.remove', group: 'AWS-Prod-Admin', upn: 'old@x.com' },
    ]);
    const deps = dependenciesOf(changes);
    assert.deepEqual(deps.get(changeId(changes[2])), [changeId(changes[1])]);
    assert.deepEqual(ownerCheck(changes[1]), { kind: 'entra-group', key: 'aws-prod-admin' });
    assert.deepEqual(undoOf(rules), { ...rules, to: rules.from, from: rules.to });
  });

  it("keeps apply's member changes away from eligible members", () => {
    const changes: Change[] = [
      { kind: 'entra.member.add', group: 'AWS-Prod-Admin', upn: 'Ann@x.com' },
      { kind: 'store.member.add', group: 'AWS-Prod-Admin', upn: 'ann@x.com' },
      { kind: 'entra.member.add', group: 'AWS-Prod-Read', upn: 'ann@x.com' },
    ];
    assert.deepEqual(leaveEligibleAlone(changes, new Set(['aws-prod-admin|ann@x.com'])), [changes[2]]);
  });

  it('names the line of a bad privileged-group setting in the plan file', () => {
    const bad = {
      ...planWith(),
      privilegedAccess: [{ group: 'AWS-Prod-Admin', maxActivation: 'PT48H', approval: 'no', justification: true }],
    } as unknown as MigrationPlan;
    const read = parsePlanText(renderPlanYaml(bad), 'plan.yaml', { quota: 10, strict: false });
    const mine = read.problems.filter((p) => p.message.startsWith('privilegedAccess'));
    assert.deepEqual(
      mine.map((p) => p.message),
      [
        'privilegedAccess[0].maxActivation: maxActivation must be an ISO-8601 duration from PT30M to PT24H, e.g. PT4H',
        'privilegedAccess[0].approval: approval must be true or false',
      ],
    );
    assert.ok(mine.every((p) => typeof p.line === 'number' && p.line > 1));
  });

  it('reads emergency-access accounts from iam2sso.yaml and names the line of a bad one', () => {
    const good = parseConfig('harden:\n  emergencyAccessAccounts:\n    - bg1@x.onmicrosoft.com\n', 'iam2sso.yaml');
    assert.deepEqual(good.config.harden, { emergencyAccessAccounts: ['bg1@x.onmicrosoft.com'] });
    const bad = parseConfig('harden:\n  emergencyAccessAccounts:\n    - breakglass\n  other: 1\n', 'iam2sso.yaml');
    assert.deepEqual(
      bad.problems.map((p) => [p.line, p.message.split(' (')[0].split(',')[0]]),
      [
        [3, 'harden.emergencyAccessAccounts[0] must be a user principal name'],
        [4, 'unknown key "other" in harden'],
      ],
    );
  });
});
