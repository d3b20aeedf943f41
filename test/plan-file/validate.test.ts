import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { parsePlanText } from '../../src/plan-file/read.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';

const FILE = 'migration-plan.yaml';

function basePlan(): MigrationPlan {
  const parity = { gaps: [], excess: [], needsReview: [], acknowledged: [] };
  return {
    formatVersion: 1,
    createdAt: '2024-06-02T00:00:00Z',
    fingerprint: { runId: 'r1', takenAt: '2024-06-01T00:00:00Z', accounts: [{ accountId: '111111111111', hash: 'h' }] },
    permissionSets: [
      {
        key: 'k-admin',
        name: 'AdministratorAccess',
        sessionDuration: 'PT1H',
        kind: 'admin',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        customerManagedPolicies: [{ name: 'TeamBoundary', path: '/team/' }],
        inlinePolicy: JSON.stringify({
          Version: '2012-10-17',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }],
        }),
        permissionsBoundary: null,
        reason: 'from AdministratorAccess',
      },
    ],
    groups: [
      {
        key: 'g1',
        name: 'AWS-prod-AdministratorAccess',
        description: 'iam2sso: AdministratorAccess on prod',
        members: ['ana@example.com'],
        assignments: [{ accountId: '111111111111', permissionSet: 'AdministratorAccess' }],
      },
    ],
    users: [
      {
        accountId: '111111111111',
        userName: 'ana',
        category: 'human-console',
        upn: 'ana@example.com',
        upnSource: 'tag',
        action: 'migrate',
        permissionSets: ['AdministratorAccess'],
        groups: ['AWS-prod-AdministratorAccess'],
        parity,
        blockedBy: [],
        notes: [],
      },
      {
        accountId: '111111111111',
        userName: 'bo',
        category: 'break-glass',
        upn: null,
        upnSource: 'none',
        action: 'keep',
        permissionSets: [],
        groups: [],
        parity,
        blockedBy: [],
        notes: [],
      },
    ],
    serviceAccounts: [],
    problems: [],
    directSaml: [
      {
        accountId: '111111111111',
        role: 'Entra-Admin',
        provider: 'arn:aws:iam::111111111111:saml-provider/EntraID',
        permissionSets: ['AdministratorAccess'],
        groups: ['AWS-prod-AdministratorAccess'],
        members: ['saml-holder@example.com'],
        via: ['group aws-prod-entra-admin'],
        parity,
        blockedBy: [],
      },
    ],
  };
}

/** Replaces the last occurrence (the directSaml section comes last). */
const replaceLast = (t: string, from: string, to: string) => {
  const at = t.lastIndexOf(from);
  return at < 0 ? t : t.slice(0, at) + to + t.slice(at + from.length);
};

type Case = { name: string; edit: (text: string) => string; message: RegExp; lineHas: string };

const cases: Case[] = [
  {
    name: 'an identity source that is not scim, iam2sso-sync or external',
    edit: (t) => t.replace('formatVersion: 1\n', 'formatVersion: 1\nidentitySource: okta\n'),
    message: /identitySource must be one of iam2sso-sync, scim, external, not "okta"/,
    lineHas: 'identitySource: okta',
  },
  {
    name: 'an unknown key, with a did-you-mean',
    edit: (t) => t.replace('    managedPolicies:\n', '    managedPolicy:\n'),
    message: /unknown key "managedPolicy" \(did you mean "managedPolicies"\?\)/,
    lineHas: 'managedPolicy:',
  },
  {
    name: 'a group whose replaces is not the name of a directory group',
    edit: (t) =>
      t.replace(
        '    name: AWS-prod-AdministratorAccess\n',
        '    name: AWS-prod-AdministratorAccess\n    replaces: [Developers]\n',
      ),
    message: /replaces names the Identity Center directory group this group replaces/,
    lineHas: 'replaces:',
  },
  {
    name: 'an unknown key in a user block',
    edit: (t) => t.replace('    upnSource: tag\n', '    upnSource: tag\n    acton: keep\n'),
    message: /unknown key "acton" \(did you mean "action"\?\)/,
    lineHas: 'acton:',
  },
  {
    name: 'a managed policy ARN with ../',
    edit: (t) => t.replace('policy/AdministratorAccess', 'policy/../AdministratorAccess'),
    message: /no empty, "\." or "\.\." segments/,
    lineHas: 'policy/../',
  },
  {
    name: 'a managed policy ARN in an unknown partition',
    edit: (t) =>
      t.replace('arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws-moon:iam::aws:policy/AdministratorAccess'),
    message: /unknown partition "aws-moon"/,
    lineHas: 'aws-moon',
  },
  {
    name: 'a customer managed policy ARN under managedPolicies',
    edit: (t) => t.replace('arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::111111111111:policy/Mine'),
    message: /customer managed policy: list it under customerManagedPolicies/,
    lineHas: 'policy/Mine',
  },
  {
    name: 'an 11-digit account id',
    edit: (t) => t.replace(/accountId: "111111111111"\n(\s+)userName: bo/, 'accountId: "11111111111"\n$1userName: bo'),
    message: /must be exactly 12 digits/,
    lineHas: '"11111111111"',
  },
  {
    name: 'a permission set name of 33 characters',
    edit: (t) =>
      t.replace('  - key: k-admin\n    name: AdministratorAccess', `  - key: k-admin\n    name: ${'A'.repeat(33)}`),
    message: /1-32 characters/,
    lineHas: 'A'.repeat(33),
  },
  {
    name: 'a session duration over 12 hours',
    edit: (t) => t.replace('sessionDuration: PT1H', 'sessionDuration: PT13H'),
    message: /PT1H to PT12H/,
    lineHas: 'PT13H',
  },
  {
    name: 'a group name with a bidi override',
    edit: (t) => t.replace('    name: AWS-prod-AdministratorAccess\n', '    name: "AWS-prod-\\u202EnimdA"\n'),
    message: /bidirectional formatting character/,
    lineHas: 'AWS-prod-\\u202E',
  },
  {
    name: 'a group name with a control character',
    edit: (t) => t.replace('    name: AWS-prod-AdministratorAccess\n', '    name: "AWS-prod\\tAdmin"\n'),
    message: /control character/,
    lineHas: 'AWS-prod\\t',
  },
  {
    name: 'a customer managed policy path with a space',
    edit: (t) => t.replace('path: /team/', 'path: /my team/'),
    message: /customer managed policy path "\/my team\/"/,
    lineHas: '- name: TeamBoundary',
  },
  {
    name: 'a policy with an action that is not service:action',
    edit: (t) => t.replace('"Action": "s3:GetObject"', '"Action": "s3 GetObject"'),
    message: /Action "s3 GetObject" is not service:action/,
    lineHas: 'inlinePolicy:',
  },
  {
    name: 'a policy that is not JSON',
    edit: (t) => t.replace('"Action": "s3:GetObject",', '"Action": "s3:GetObject"'),
    message: /not valid JSON/,
    lineHas: 'inlinePolicy:',
  },
  {
    name: 'the same user twice',
    edit: (t) => t.replace('    userName: bo\n', '    userName: ana\n'),
    message: /user 111111111111\/ana appears twice/,
    lineHas: 'userName: ana',
  },
  {
    name: 'a user in a group that does not exist',
    edit: (t) => t.replace('      - AWS-prod-AdministratorAccess\n', '      - AWS-prod-Admins\n'),
    message: /unknown group "AWS-prod-Admins"/,
    lineHas: '- AWS-prod-Admins',
  },
  {
    name: 'a direct SAML role whose group does not exist',
    edit: (t) => replaceLast(t, '      - AWS-prod-AdministratorAccess\n', '      - AWS-prod-SamlAdmins\n'),
    message: /unknown group "AWS-prod-SamlAdmins"/,
    lineHas: '- AWS-prod-SamlAdmins',
  },
  {
    name: 'a direct SAML role holder that is not a user principal name',
    edit: (t) => t.replace('      - saml-holder@example.com\n', '      - saml-holder\n'),
    message: /not a user principal name: "saml-holder"/,
    lineHas: '- saml-holder',
  },
  {
    name: 'a user whose permission sets are not what its groups give',
    edit: (t) => t.replace('    permissionSets:\n      - AdministratorAccess\n', '    permissionSets: []\n'),
    message: /its groups also give administratoraccess/,
    lineHas: 'permissionSets: []',
  },
];

describe('plan file validation: every refusal names the file and line', () => {
  const text = renderPlanYaml(basePlan());

  test('the base plan is valid, strictly', () => {
    assert.deepEqual(parsePlanText(text, FILE, { quota: 10, strict: true }).problems, []);
  });

  for (const c of cases) {
    test(`refuses ${c.name}`, () => {
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

  test('a renamed permission set not carried through is refused with the command that carries it', () => {
    const renamed = text.replace('    name: AdministratorAccess\n', '    name: Admins\n');
    const read = parsePlanText(renamed, FILE, { quota: 10, strict: true });
    const messages = read.problems.map((p) => p.message);
    assert.ok(
      messages.some((m) =>
        m.includes(
          `unknown permission set "AdministratorAccess": if you renamed it, run \`iam2sso plan --out ${FILE}\``,
        ),
      ),
      messages.join('\n'),
    );
    assert.deepEqual(parsePlanText(renamed, FILE, { quota: 10, strict: false }).problems, [], 'plan itself reads it');
  });

  test('the written YAML has no anchors or aliases, even for shared values', () => {
    const plan = basePlan();
    plan.users[1].parity = plan.users[0].parity;
    plan.users[1].notes = plan.users[0].notes;
    const yaml = renderPlanYaml(plan);
    assert.doesNotMatch(yaml, /[&*]a\d+/);
    assert.deepEqual(parsePlanText(yaml, FILE, { quota: 10, strict: true }).problems, []);
  });
});
