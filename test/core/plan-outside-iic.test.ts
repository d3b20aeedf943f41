import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DirectSamlEntra } from '../../src/core/direct-saml.js';
import type { AuditSnapshot } from '../../src/core/model.js';
import { outsideAccountIds, withOutsideIdentityCenter } from '../../src/core/plan-outside-iic.js';
import type { MigrationPlan, PlannedOutsideAccount } from '../../src/core/plan-types.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const FEDERATED = '222222222222';
const PLAIN = '333333333333';
const OTHER = '444444444444';
const PROVIDER = `arn:aws:iam::${FEDERATED}:saml-provider/EntraID`;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

function snapshot(): AuditSnapshot {
  const b = new SnapshotBuilder();
  b.account(FEDERATED, 'Lab', 'lab');
  b.account(PLAIN, 'Dev', 'dev');
  b.account(OTHER, 'Prod', 'prod');
  const built = b.build().snapshot;
  const lab = built.accounts[0];
  lab.samlProviders = [{ arn: PROVIDER, validUntil: null }];
  lab.roles = [
    {
      name: 'Entra-Admin',
      arn: `arn:aws:iam::${FEDERATED}:role/Entra-Admin`,
      trustPolicy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithSAML' }],
      }),
      attachedPolicies: [{ arn: ADMIN, name: 'AdministratorAccess' }],
      inlinePolicies: [],
    },
  ];
  return built;
}

const entra: DirectSamlEntra = {
  status: 'read',
  apps: [
    {
      servicePrincipalId: 'sp-1',
      appId: 'app-1',
      displayName: 'AWS Lab (Entra)',
      roles: [
        {
          appRoleId: 'r-1',
          roleArn: `arn:aws:iam::${FEDERATED}:role/Entra-Admin`,
          providerArn: PROVIDER,
          groups: [{ id: 'g-1', displayName: 'aws-lab-admins', members: ['carol@example.com'] }],
          users: [],
        },
      ],
    },
  ],
};

function plan(): MigrationPlan {
  const ps = (name: string, managed: string[], inline: string | null = null) => ({
    key: name,
    name,
    sessionDuration: 'PT1H',
    kind: 'admin' as const,
    managedPolicies: managed,
    customerManagedPolicies: [],
    inlinePolicy: inline,
    permissionsBoundary: null,
    reason: '',
  });
  return {
    formatVersion: 1,
    createdAt: '2024-06-02T00:00:00Z',
    fingerprint: { runId: 'r', takenAt: '2024-06-01T00:00:00Z', accounts: [] },
    permissionSets: [ps('Admin', [ADMIN]), ps('Deploy', [READ], '{"Statement":[]}')],
    groups: [
      {
        key: 'g-admin',
        name: 'AWS-Admins',
        description: '',
        members: ['ana@example.com'],
        assignments: [
          { accountId: FEDERATED, permissionSet: 'Admin' },
          { accountId: PLAIN, permissionSet: 'Admin' },
          { accountId: OTHER, permissionSet: 'Admin' },
        ],
      },
      {
        key: 'g-deploy',
        name: 'AWS-Dev-Deploy',
        description: '',
        members: [],
        assignments: [{ accountId: PLAIN, permissionSet: 'Deploy' }],
      },
    ],
    users: [
      {
        accountId: PLAIN,
        userName: 'ana',
        category: 'human-console',
        upn: 'ana@example.com',
        upnSource: 'tag',
        action: 'migrate',
        permissionSets: ['Admin'],
        groups: ['AWS-Admins'],
        parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
        blockedBy: [],
        notes: [],
      },
    ],
    serviceAccounts: [],
    problems: [],
    directSaml: [
      {
        accountId: FEDERATED,
        role: 'Entra-Admin',
        provider: PROVIDER,
        permissionSets: ['Admin'],
        groups: ['AWS-Admins'],
        members: [],
        via: [],
        parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
        blockedBy: [],
      },
    ],
  };
}

describe('accounts kept outside Identity Center in the plan', () => {
  test('a federated account keeps its app, provider and roles, adopted, with their policies and the groups holding them', () => {
    const out = withOutsideIdentityCenter(plan(), {
      accounts: [FEDERATED],
      previous: null,
      snapshot: snapshot(),
      entra,
    });
    assert.deepEqual(out.outsideIdentityCenter, [
      {
        accountId: FEDERATED,
        app: 'AWS Lab (Entra)',
        provider: 'EntraID',
        adopt: true,
        roles: [{ name: 'Entra-Admin', policies: [ADMIN], groups: ['aws-lab-admins'], adopt: true }],
      },
    ]);
    // No Identity Center access there: its assignments and its migration entry leave the plan; other accounts keep theirs.
    assert.deepEqual(
      out.groups[0].assignments.map((a) => a.accountId),
      [PLAIN, OTHER],
    );
    assert.deepEqual(out.directSaml, []);
  });

  test('an account without federation gets a role per permission set it was assigned, for the same groups, and a problem for what cannot come along', () => {
    const out = withOutsideIdentityCenter(plan(), { accounts: [PLAIN], previous: null, snapshot: snapshot(), entra });
    assert.deepEqual(out.outsideIdentityCenter, [
      {
        accountId: PLAIN,
        app: 'AWS dev',
        provider: 'EntraID',
        roles: [
          { name: 'Admin', policies: [ADMIN], groups: ['AWS-Admins'] },
          { name: 'Deploy', policies: [READ], groups: ['AWS-Dev-Deploy'] },
        ],
      },
    ]);
    assert.deepEqual(
      out.problems.map((p) => [p.id, p.accountId]),
      [['outside-iic.policy-not-carried', PLAIN]],
    );
    assert.deepEqual(out.groups[1].assignments, []);
    // Its IAM user keeps its groups (they now carry the roles there) and lists no permission set in the account.
    assert.deepEqual([out.users[0].permissionSets, out.users[0].groups], [[], ['AWS-Admins']]);
    assert.match(out.users[0].notes[0], /stays outside Identity Center: Admin there come through the roles/);
    assert.deepEqual(outsideAccountIds(out), new Set([PLAIN]));
  });

  test('entries of the plan file are kept as written when the plan is made again, and their accounts stay without assignments', () => {
    const written: PlannedOutsideAccount = {
      accountId: OTHER,
      app: 'My app',
      provider: 'Corp',
      roles: [{ name: 'Ops', policies: [], groups: ['ops'] }],
    };
    const previous = { ...plan(), outsideIdentityCenter: [written] };
    const out = withOutsideIdentityCenter(plan(), { accounts: [], previous, snapshot: snapshot(), entra });
    assert.deepEqual(out.outsideIdentityCenter, [written]);
    assert.ok(!out.groups.some((g) => g.assignments.some((a) => a.accountId === OTHER)));
  });

  test('a permission set and group that only replaced a role of the account kept outside leave the plan; shared ones stay', () => {
    const p = plan();
    p.permissionSets.push({ ...p.permissionSets[0], key: 'SamlOnly', name: 'SamlOnly' });
    p.groups.push({
      key: 'g-saml',
      name: 'AWS-Lab-SamlOnly',
      description: '',
      members: ['carol@example.com'],
      assignments: [{ accountId: FEDERATED, permissionSet: 'SamlOnly' }],
    });
    p.directSaml![0] = {
      ...p.directSaml![0],
      permissionSets: ['SamlOnly', 'Admin'],
      groups: ['AWS-Lab-SamlOnly', 'AWS-Admins'],
    };
    const out = withOutsideIdentityCenter(p, { accounts: [FEDERATED], previous: null, snapshot: snapshot(), entra });
    assert.deepEqual(
      out.permissionSets.map((s) => s.name),
      ['Admin', 'Deploy'],
    );
    assert.deepEqual(
      out.groups.map((g) => g.name),
      ['AWS-Admins', 'AWS-Dev-Deploy'],
    );
  });

  test('a plan with no account outside Identity Center is left as it is', () => {
    const p = plan();
    assert.equal(withOutsideIdentityCenter(p, { accounts: [], previous: null, snapshot: snapshot(), entra }), p);
  });
});
