import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.js';
import { describeHardenMass, hardenMassChanges } from '../../src/core/harden-guard.js';
import {
  CA_POLICY_NAME,
  caGroupsDrift,
  leaveEligibleAlone,
  planConditionalAccess,
  planPim,
  privilegedGroups,
} from '../../src/core/harden-plan.js';
import type { MigrationPlan, PlannedPermissionSet } from '../../src/core/plan-types.js';
import { type Change, changeId, describeChange, ownerCheck, undoOf } from '../../src/core/reconcile/changes.js';
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
      existing: { state: 'enabledForReportingButNotEnforced', owned: true, includeGroups: ['g3', 'g1'] },
    });
    assert.deepEqual(on.changes, [
      { kind: 'entra.ca.state', name: CA_POLICY_NAME, to: 'enabled', from: 'enabledForReportingButNotEnforced' },
    ]);
    const again = planConditionalAccess(plan, 'on', {
      appId: 'app',
      groupIds,
      excludeUserIds: [],
      existing: { state: 'enabled', owned: true, includeGroups: ['g1', 'g3'] },
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

  it("updates the owned policy's groups when the plan's groups change, undone by the old list", () => {
    const plan = planWith();
    // AWS-Prod-Read left the plan; AWS-Prod-Iam was added (renamed into a new group); AWS-Prod-Admin stays.
    plan.groups = plan.groups.filter((g) => g.name !== 'AWS-Prod-Read');
    const groupIds = new Map([
      ['aws-prod-admin', 'g1'],
      ['aws-prod-iam', 'g2'],
      ['aws-prod-read', 'g3'],
    ]);
    const existing = { state: 'enabled' as const, owned: true, includeGroups: ['g3', 'g1'] };
    const out = planConditionalAccess(plan, 'on', { appId: 'app', groupIds, excludeUserIds: [], existing });
    const change: Change = { kind: 'entra.ca.groups', name: CA_POLICY_NAME, to: ['g1', 'g2'], from: ['g1', 'g3'] };
    assert.deepEqual(out.changes, [change]);
    assert.deepEqual(undoOf(change), { ...change, to: change.from, from: change.to });
    assert.deepEqual(ownerCheck(change), { kind: 'ca-policy', key: CA_POLICY_NAME.toLowerCase() });
    const none = planConditionalAccess(plan, 'on', {
      appId: 'app',
      groupIds: new Map(),
      excludeUserIds: [],
      existing,
    });
    assert.deepEqual(none.changes, [], 'a policy is never left without groups');
    assert.match(none.notes[0], /left as they are/);
  });

  it('leaves a policy of the same name that iam2sso did not create alone', () => {
    const out = planConditionalAccess(planWith(), 'on', {
      appId: 'app',
      groupIds: new Map(),
      excludeUserIds: [],
      existing: { state: 'disabled', owned: false, includeGroups: ['someone-elses'] },
    });
    assert.deepEqual(out.changes, [], 'neither its state nor its groups');
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
    const rules: Extract<Change, { kind: 'entra.pim.rules' }> = {
      kind: 'entra.pim.rules',
      group: 'AWS-Prod-Admin',
      to: { maxActivation: 'PT4H', justification: true, approval: { required: false, approvers: [] } },
      from: { maxActivation: 'PT8H', justification: true },
    };
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

  it('sets approval and its approvers from the plan, and leaves rules that already match alone', () => {
    const plan = planWith();
    const setting = {
      group: 'AWS-Prod-Iam',
      maxActivation: 'PT2H',
      approval: true,
      approvers: ['lead@x.com'],
      justification: true,
    };
    const noApproval = { required: false, approvers: [{ kind: 'user' as const, id: 'someone' }] };
    const live = (approval: { required: boolean; approvers: { kind: 'user'; id: string }[] }) =>
      new Map([
        [
          'aws-prod-iam',
          {
            eligible: new Set(['cy@x.com']),
            standing: new Set<string>(),
            ownedEligible: new Set(['cy@x.com']),
            rules: { maxActivation: 'PT2H', justification: true, approval },
          },
        ],
      ]);
    const approvers = new Map([['aws-prod-iam', [{ kind: 'user' as const, id: 'u-lead' }]]]);
    const first = planPim(plan, [setting], live(noApproval), approvers).changes;
    assert.deepEqual(first, [
      {
        kind: 'entra.pim.rules',
        group: 'AWS-Prod-Iam',
        to: {
          maxActivation: 'PT2H',
          justification: true,
          approval: { required: true, approvers: approvers.get('aws-prod-iam') },
        },
        from: { maxActivation: 'PT2H', justification: true, approval: noApproval },
      },
    ]);
    assert.match(describeChange(first[0]), /approval none -> by 1 approver\(s\)/);
    const again = planPim(
      plan,
      [setting],
      live({ required: true, approvers: [{ kind: 'user', id: 'u-lead' }] }),
      approvers,
    );
    assert.deepEqual(again.changes, [], 'the same approvers: nothing to change');
    const off = planPim(plan, [{ ...setting, approval: false, approvers: [] }], live(noApproval));
    assert.deepEqual(off.changes, [], 'no approval either way: the approvers left in the rule do not matter');
  });

  it('refuses to remove more than max(5, 10%) of the standing admin memberships in one run', () => {
    const members = Array.from({ length: 8 }, (_, i) => `m${i}@x.com`);
    const plan = planWith();
    plan.groups[0].members = members;
    const live = new Map([
      [
        'aws-prod-admin',
        {
          eligible: new Set<string>(),
          standing: new Set(members),
          ownedEligible: new Set<string>(),
          rules: null,
        },
      ],
    ]);
    const setting = { group: 'AWS-Prod-Admin', maxActivation: 'PT4H', approval: false, justification: true };
    const { changes } = planPim(plan, [setting], live);
    const found = hardenMassChanges(changes, live);
    assert.deepEqual(
      found.map((f) => [f.kind, f.removals, f.owned, f.threshold]),
      [['standing admin memberships', 8, 8, 5]],
    );
    assert.match(
      describeHardenMass(found),
      /refusing to remove 8 of 8 standing admin memberships .*--allow-mass-delete/,
    );
    const five = new Map([
      ['aws-prod-admin', { ...live.get('aws-prod-admin')!, standing: new Set(members.slice(0, 5)) }],
    ]);
    assert.deepEqual(hardenMassChanges(planPim(plan, [setting], five).changes, five), [], 'five may go');
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
      privilegedAccess: [
        { group: 'AWS-Prod-Admin', maxActivation: 'PT48H', approval: 'no', justification: true },
        { group: 'AWS-Prod-Iam', maxActivation: 'PT4H', approval: true, justification: true },
      ],
    } as unknown as MigrationPlan;
    const read = parsePlanText(renderPlanYaml(bad), 'plan.yaml', { quota: 10, strict: false });
    const mine = read.problems.filter((p) => p.message.startsWith('privilegedAccess'));
    assert.deepEqual(
      mine.map((p) => p.message),
      [
        'privilegedAccess[0].maxActivation: maxActivation must be an ISO-8601 duration from PT30M to PT24H, e.g. PT4H',
        'privilegedAccess[0].approval: approval must be true or false',
        'privilegedAccess[1].approvers: approval: true needs approvers (Entra user UPNs or group names), e.g. [lead@example.com]',
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

describe("doctor's check of the MFA policy's groups against the plan", () => {
  const groups = (...names: string[]) => ({ groups: names.map((name) => ({ name })) }) as Pick<MigrationPlan, 'groups'>;
  const ids = new Map([
    ['aws-prod-admin', 'g1'],
    ['aws-prod-read', 'g2'],
    ['aws-old', 'g3'],
  ]);

  it('finds no drift when the policy covers exactly the plan groups that exist in Entra', () => {
    assert.deepEqual(caGroupsDrift(groups('AWS-Prod-Admin', 'AWS-Prod-Read', 'AWS-Not-Made-Yet'), ids, ['g2', 'g1']), {
      missing: [],
      extra: [],
    });
  });

  it('names the plan groups it leaves out and the groups it includes that the plan no longer has', () => {
    assert.deepEqual(caGroupsDrift(groups('AWS-Prod-Admin', 'AWS-Prod-Read'), ids, ['g1', 'g3', 'g-gone']), {
      missing: ['AWS-Prod-Read'],
      extra: ['aws-old', 'g-gone'],
    });
  });
});
