import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { awsManagedDocuments } from '../../src/catalog/managed-policies.js';
import type { DirectSamlEntra } from '../../src/core/direct-saml.js';
import type { AuditSnapshot } from '../../src/core/model.js';
import { withDirectSaml } from '../../src/core/plan-direct-saml.js';
import { defaultPlanSettings } from '../../src/core/plan-settings.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import type { PolicyCompiler } from '../../src/core/policy/compile.js';
import { desiredStateFromPlan } from '../../src/core/reconcile/desired.js';
import { fullCompiler, planOf, SEED_INLINE } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const ACCOUNT = '111111111111';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/EntraID`;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const trust = JSON.stringify({
  Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithSAML' }],
});

/** Production: alice migrates with AdministratorAccess; two roles trust the Entra provider. */
async function planned(compiler: PolicyCompiler): Promise<{ plan: MigrationPlan; snapshot: AuditSnapshot }> {
  const b = new SnapshotBuilder();
  b.account(ACCOUNT, 'Production', 'prod').user('alice', {
    managed: ['AdministratorAccess'],
    tags: { email: 'alice@example.com' },
  });
  const built = b.build();
  const account = built.snapshot.accounts[0];
  account.samlProviders = [{ arn: PROVIDER, validUntil: null }];
  account.roles = [
    {
      name: 'Entra-Admin',
      arn: `arn:aws:iam::${ACCOUNT}:role/Entra-Admin`,
      trustPolicy: trust,
      attachedPolicies: [{ arn: ADMIN, name: 'AdministratorAccess' }],
      inlinePolicies: [],
    },
    {
      name: 'Entra-Apps',
      arn: `arn:aws:iam::${ACCOUNT}:role/Entra-Apps`,
      trustPolicy: trust,
      attachedPolicies: [],
      inlinePolicies: [{ name: 'app', document: JSON.stringify(SEED_INLINE) }],
    },
  ];
  const { plan } = await planOf(built, { compiler });
  return { plan, snapshot: built.snapshot };
}

const entraRead: DirectSamlEntra = {
  status: 'read',
  apps: [
    {
      servicePrincipalId: 'sp-1',
      appId: 'app-1',
      displayName: 'AWS Production',
      roles: [
        {
          appRoleId: 'r-1',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/Entra-Admin`,
          providerArn: PROVIDER,
          groups: [{ id: 'g-1', displayName: 'aws-prod-admins', members: ['carol@example.com'] }],
          users: ['Dave@Example.com'],
        },
      ],
    },
  ],
};

describe('direct SAML roles in the plan', () => {
  let compiler: PolicyCompiler;
  let base: { plan: MigrationPlan; snapshot: AuditSnapshot };
  before(async () => {
    compiler = await fullCompiler();
    base = await planned(compiler);
  });
  const options = (snapshot: AuditSnapshot, entra: DirectSamlEntra | null, previous: MigrationPlan | null = null) => ({
    snapshot,
    entra,
    settings: defaultPlanSettings(),
    compiler,
    managedDocuments: awsManagedDocuments,
    previous,
  });

  test('a role with the access of a planned permission set reuses it, and its app-role holders join that account’s group with parity proven', async () => {
    const { plan, snapshot } = base;
    const out = withDirectSaml(plan, options(snapshot, entraRead));
    const admin = out.directSaml!.find((r) => r.role === 'Entra-Admin')!;
    const alice = plan.users.find((u) => u.userName === 'alice')!;
    assert.deepEqual(admin.permissionSets, alice.permissionSets);
    assert.deepEqual(admin.groups, alice.groups);
    assert.deepEqual(admin.members, ['carol@example.com', 'dave@example.com']);
    assert.deepEqual(admin.via, ['group aws-prod-admins', 'user dave@example.com']);
    assert.deepEqual(admin.parity.gaps, []);
    assert.deepEqual(admin.blockedBy, []);
    assert.equal(out.permissionSets.filter((p) => p.managedPolicies.includes(ADMIN)).length, 1);
    const desired = desiredStateFromPlan(out);
    assert.deepEqual(desired.groups.find((g) => g.name === admin.groups[0])?.members, [
      'alice@example.com',
      'carol@example.com',
      'dave@example.com',
    ]);
  });

  test('a role of its own access gets a permission set and an AWS-<Account>-<PermissionSet> group; one nobody holds is reported', async () => {
    const { plan, snapshot } = base;
    const out = withDirectSaml(plan, options(snapshot, entraRead));
    const apps = out.directSaml!.find((r) => r.role === 'Entra-Apps')!;
    const ps = out.permissionSets.find((p) => p.name === apps.permissionSets[0])!;
    assert.equal(JSON.parse(ps.inlinePolicy!).Statement.length, SEED_INLINE.Statement.length);
    assert.deepEqual(apps.parity.gaps, []);
    const group = out.groups.find((g) => g.name === apps.groups[0])!;
    assert.equal(group.name, `AWS-prod-${ps.name}`);
    assert.deepEqual(group.assignments, [{ accountId: ACCOUNT, permissionSet: ps.name }]);
    assert.deepEqual(apps.members, []);
    assert.ok(out.problems.some((p) => p.id === 'saml.role-unassigned' && p.message.includes('Entra-Apps')));
  });

  test('without the Entra side the roles are planned from AWS alone, nobody joins, and the plan says why', async () => {
    const { plan, snapshot } = base;
    const entra: DirectSamlEntra = { status: 'not-configured', detail: 'Entra not configured' };
    const out = withDirectSaml(plan, options(snapshot, entra));
    for (const r of out.directSaml!) assert.match(r.blockedBy.join(), /^entra: /);
    assert.ok(out.problems.some((p) => p.id === 'saml.entra-not-read' && p.message.includes('Entra not configured')));
    const desired = desiredStateFromPlan(out);
    assert.ok(desired.skipped.some((s) => s.item === `SAML role ${ACCOUNT}/Entra-Admin`));
    assert.ok(!desired.groups.some((g) => g.members.includes('carol@example.com')));
  });

  test('an unacknowledged parity gap keeps the holders out until a reviewer acknowledges it, and the acknowledgement is kept', async () => {
    const { plan, snapshot } = base;
    const out = withDirectSaml(plan, options(snapshot, entraRead));
    const admin = out.directSaml!.find((r) => r.role === 'Entra-Admin')!;
    const gapped = { ...out, directSaml: [{ ...admin, parity: { ...admin.parity, gaps: ['iam:CreateUser'] } }] };
    assert.ok(desiredStateFromPlan(gapped).skipped.some((s) => s.reason.includes('iam:CreateUser')));
    const acknowledged = {
      ...out,
      directSaml: [{ ...admin, parity: { ...admin.parity, acknowledged: ['iam:*'] } }],
    };
    const again = withDirectSaml(plan, options(snapshot, entraRead, acknowledged));
    assert.deepEqual(again.directSaml!.find((r) => r.role === 'Entra-Admin')!.parity.acknowledged, ['iam:*']);
  });
});
