import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { parsePlanText } from '../../src/plan-file/read.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';

const FILE = 'migration-plan.yaml';

function basePlan(): MigrationPlan {
  return {
    formatVersion: 1,
    createdAt: '2024-06-02T00:00:00Z',
    fingerprint: { runId: 'r1', takenAt: '2024-06-01T00:00:00Z', accounts: [] },
    permissionSets: [
      {
        key: 'k-ro',
        name: 'ReadOnly',
        sessionDuration: 'PT12H',
        kind: 'read-only',
        managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        customerManagedPolicies: [],
        inlinePolicy: null,
        permissionsBoundary: null,
        reason: 'from ReadOnlyAccess',
      },
    ],
    groups: [
      {
        key: 'g1',
        name: 'AWS-dev-ReadOnly',
        description: 'iam2sso: ReadOnly on dev',
        members: [],
        assignments: [{ accountId: '333333333333', permissionSet: 'ReadOnly' }],
      },
    ],
    users: [],
    serviceAccounts: [],
    problems: [],
    outsideIdentityCenter: [
      {
        accountId: '222222222222',
        app: 'AWS Lab',
        provider: 'EntraID',
        adopt: true,
        roles: [
          {
            name: 'Entra-Admin',
            policies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
            groups: ['aws-lab-admins'],
            adopt: true,
          },
        ],
      },
    ],
  };
}

type Case = { name: string; edit: (text: string) => string; message: RegExp; lineHas: string };

const cases: Case[] = [
  {
    name: 'a provider name IAM does not take',
    edit: (t) => t.replace('provider: EntraID', 'provider: Entra ID'),
    message: /provider "Entra ID" must be 1-128 characters/,
    lineHas: 'provider: Entra ID',
  },
  {
    name: 'a role name over 64 characters',
    edit: (t) => t.replace('- name: Entra-Admin', `- name: ${'R'.repeat(65)}`),
    message: /role name "R+" must be 1-64 characters/,
    lineHas: 'R'.repeat(65),
  },
  {
    name: 'a policy that is not a managed policy ARN',
    edit: (t) => t.replace('arn:aws:iam::aws:policy/AdministratorAccess', 'AdministratorAccess'),
    message: /not a managed policy ARN/,
    lineHas: '- AdministratorAccess',
  },
  {
    name: 'an unknown key in a role, with a did-you-mean',
    edit: (t) => t.replace('        policies:\n', '        polices:\n'),
    message: /unknown key "polices" \(did you mean "policies"\?\)/,
    lineHas: 'polices:',
  },
  {
    name: 'an account with no role',
    edit: (t) => t.replace(/ {4}roles:\n[\s\S]*$/, '    roles: []\n'),
    message: /roles must list at least one role/,
    lineHas: 'roles: []',
  },
  {
    name: 'an Identity Center assignment to an account kept outside it',
    edit: (t) => t.replace('accountId: "333333333333"', 'accountId: "222222222222"'),
    message:
      /account 222222222222 stays outside Identity Center \(outsideIdentityCenter\[0\]\): remove this assignment/,
    lineHas: '- accountId: "222222222222"',
  },
];

describe('plan file: outsideIdentityCenter', () => {
  test('a direct SAML migration of an account kept outside Identity Center is refused', () => {
    const plan = basePlan();
    plan.directSaml = [
      {
        accountId: '222222222222',
        role: 'Entra-Admin',
        provider: 'arn:aws:iam::222222222222:saml-provider/EntraID',
        permissionSets: ['ReadOnly'],
        groups: ['AWS-dev-ReadOnly'],
        members: [],
        via: [],
        parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
        blockedBy: [],
      },
    ];
    const read = parsePlanText(renderPlanYaml(plan), FILE, { quota: 10, strict: true });
    assert.deepEqual(
      read.problems.map((p) => p.message),
      [
        'directSaml[0].accountId: account 222222222222 stays outside Identity Center (outsideIdentityCenter[0]): its roles are kept, not migrated; remove this entry',
      ],
    );
  });

  const text = renderPlanYaml(basePlan());

  test('a plan keeping an account outside Identity Center is valid and reads back as written', () => {
    const read = parsePlanText(text, FILE, { quota: 10, strict: true });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.plan?.outsideIdentityCenter, basePlan().outsideIdentityCenter);
  });

  test('the same account listed twice is refused at the second entry', () => {
    const plan = basePlan();
    plan.outsideIdentityCenter!.push({ ...plan.outsideIdentityCenter![0], app: 'AWS Lab 2' });
    const edited = renderPlanYaml(plan);
    const read = parsePlanText(edited, FILE, { quota: 10, strict: true });
    const hit = read.problems.find((p) => /listed twice \(also outsideIdentityCenter\[0\]\)/.test(p.message));
    assert.ok(hit, JSON.stringify(read.problems));
    assert.match(hit.message, /^outsideIdentityCenter\[1\]\.accountId/);
  });

  for (const c of cases) {
    test(`refuses ${c.name}, at its line`, () => {
      const edited = c.edit(text);
      assert.notEqual(edited, text, 'the edit applies');
      const read = parsePlanText(edited, FILE, { quota: 10, strict: true });
      assert.equal(read.plan, null);
      const hit = read.problems.find((p) => c.message.test(p.message));
      assert.ok(hit, JSON.stringify(read.problems));
      assert.equal(hit.file, FILE);
      const line = edited.split('\n')[(hit.line as number) - 1];
      assert.ok(line.includes(c.lineHas), `line ${hit.line} is "${line}"`);
    });
  }
});
