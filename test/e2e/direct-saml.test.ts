import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListSAMLProvidersCommand,
} from '@aws-sdk/client-iam';
import { CreateGroupCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { parse, stringify as toYaml } from 'yaml';
import { sandboxGraphClient } from '../../packages/sandbox/test/entra-helpers.js';
import { awsCli, hasAwsCli, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { DirectSamlEntra, DirectSamlFederation } from '../../src/core/direct-saml.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { parsePlanText } from '../../src/plan-file/read.js';
import { loadAuditRun } from '../../src/store/audit-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { directSamlUses } from '../../src/store/direct-saml-repo.js';
import { listRuns } from '../../src/store/runs-repo.js';
import { cliJson } from '../apply/kit.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

/** A signed SAML Response from the sandbox's Entra for `upn` to the app (base64), as the browser would post it. */
async function entraAssertion(sandbox: RunningSandbox, appId: string, upn: string): Promise<string> {
  const res = await fetch(`${sandbox.info.endpoint}/_sandbox/entra/saml/assertion`, {
    method: 'POST',
    body: JSON.stringify({ appId, upn }),
  });
  const body = (await res.json()) as { samlResponse?: string; message?: string };
  assert.equal(res.status, 200, body.message);
  return body.samlResponse as string;
}

/** Credentials in a member account through its OrganizationAccountAccessRole. */
async function memberCredentials(sandbox: RunningSandbox, account: string) {
  const sts = new STSClient(sdkConfig(sandbox));
  const assumed = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'saml-keep-check',
    }),
  );
  sts.destroy();
  const c = assumed.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** The AWS CLI in `account`: the management account's own credentials, else its OrganizationAccountAccessRole. */
async function cliIn(sandbox: RunningSandbox, account: string, args: string[]) {
  if (account === sandbox.manifest.managementAccountId) return awsCli(sandbox, args);
  return awsCli(sandbox, args, await memberCredentials(sandbox, account));
}

/** The SDK's IAM client in `account` (as cliIn reaches it), for checks the AWS CLI would only make slower. */
async function iamIn(sandbox: RunningSandbox, account: string): Promise<IAMClient> {
  if (account === sandbox.manifest.managementAccountId) return new IAMClient(sdkConfig(sandbox));
  return new IAMClient({ ...sdkConfig(sandbox), credentials: await memberCredentials(sandbox, account) });
}

/** AssumeRoleWithSAML through the SDK (unsigned: it sends no credentials); the error name, or 'ok'. */
async function assumeWithSaml(sandbox: RunningSandbox, assertion: string, roleArn: string, principalArn: string) {
  const sts = new STSClient({ endpoint: sandbox.info.endpoint, region: sandbox.info.region, maxAttempts: 1 });
  try {
    await sts.send(
      new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: principalArn, SAMLAssertion: assertion }),
    );
    return 'ok';
  } catch (e) {
    return (e as Error).name;
  } finally {
    sts.destroy();
  }
}

describe('direct SAML federation to IAM roles (--scenario direct-saml)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'direct-saml', seed: 1 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-saml-'));
    const entra = sandbox.info.entra!;
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, entra.tlsCertificatePem);
    env = sandboxEnv(sandbox, {
      AZURE_TENANT_ID: entra.tenantId,
      AZURE_CLIENT_ID: entra.clientId,
      AZURE_CLIENT_SECRET: entra.clientSecret,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      IAM2SSO_GRAPH_ENDPOINT: entra.graphEndpoint,
      NODE_EXTRA_CA_CERTS: caFile,
    });
  });
  /** The organization role's credentials in a member account, for the AWS CLI. */
  const credentialsIn = async (accountId: string) => {
    const sts = new STSClient(sdkConfig(sandbox));
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'saml-check',
      }),
    );
    sts.destroy();
    const c = assumed.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  };
  /**
   * What `apply` makes for the plan's direct SAML roles of an account, made here through the SDK: each permission set
   * assigned to its `AWS-<Account>-<PermissionSet>` group on the account (the replacement `decommission saml` waits for).
   */
  const grantReplacement = async (accountId: string, plan: MigrationPlan) => {
    const admin = new SSOAdminClient(sdkConfig(sandbox));
    const store = new IdentitystoreClient(sdkConfig(sandbox));
    const { InstanceArn, IdentityStoreId } = (await admin.send(new ListInstancesCommand({}))).Instances![0];
    for (const e of (plan.directSaml ?? []).filter((d) => d.accountId === accountId))
      for (const [i, name] of e.permissionSets.entries()) {
        const ps = await admin.send(new CreatePermissionSetCommand({ InstanceArn, Name: name }));
        const group = await store.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: e.groups[i] }));
        await admin.send(
          new CreateAccountAssignmentCommand({
            InstanceArn,
            TargetId: accountId,
            TargetType: 'AWS_ACCOUNT',
            PermissionSetArn: ps.PermissionSet!.PermissionSetArn,
            PrincipalType: 'GROUP',
            PrincipalId: group.GroupId,
          }),
        );
      }
    admin.destroy();
    store.destroy();
  };
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('STS AssumeRoleWithSAML takes the Entra app’s assertion through the AWS CLI: the session is named by the UPN and CloudTrail records a SAMLUser', async () => {
    const truth = sandbox.manifest.directSaml!;
    const { accountId: account, provider } = truth.accounts[0];
    const app = truth.apps.find((a) => a.accountId === account)!;
    const admin = `arn:aws:iam::${account}:role/Entra-Admin`;
    const upn = app.roles.find((r) => r.roleName === 'Entra-Admin')!.groups[0].members[0];
    const assertion = await entraAssertion(sandbox, app.appId, upn);
    const r = await awsCli(sandbox, [
      'sts',
      'assume-role-with-saml',
      '--role-arn',
      admin,
      '--principal-arn',
      provider,
      '--saml-assertion',
      assertion,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const out = r.json<{
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      AssumedRoleUser: { Arn: string };
      Subject: string;
      Issuer: string;
      Audience: string;
      NameQualifier: string;
    }>();
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/Entra-Admin/${upn}`);
    assert.equal(out.Subject, upn);
    assert.equal(out.Issuer, `https://sts.windows.net/${sandbox.info.entra!.tenantId}/`);
    assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml');
    const sts = new STSClient({
      ...sdkConfig(sandbox),
      credentials: {
        accessKeyId: out.Credentials.AccessKeyId,
        secretAccessKey: out.Credentials.SecretAccessKey,
        sessionToken: out.Credentials.SessionToken,
      },
    });
    const me = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.equal(me.Arn, out.AssumedRoleUser.Arn);
    const events = sandbox.world
      .account(account)
      .trail.events.filter((e) => e.record.eventName === 'AssumeRoleWithSAML');
    const last = events.at(-1)!.record;
    assert.equal(last.userIdentity.type, 'SAMLUser');
    assert.equal(last.userIdentity.userName, upn);
    assert.equal(last.userIdentity.principalId, `${out.NameQualifier}:${upn}`);
    const { sAMLAssertionID, ...request } = last.requestParameters as Record<string, unknown>;
    assert.match(String(sAMLAssertionID), /^_/);
    assert.deepEqual(request, { roleSessionName: upn, durationSeconds: 3600, roleArn: admin, principalArn: provider });
    assert.equal(last.errorCode, undefined);
  });

  it('STS refuses a tampered or foreign-signed assertion (InvalidIdentityToken) and a role the Role attribute does not name or whose trust does not allow the provider (AccessDenied)', async () => {
    const truth = sandbox.manifest.directSaml!;
    const { accountId: account, provider } = truth.accounts[0];
    const app = truth.apps.find((a) => a.accountId === account)!;
    const admin = `arn:aws:iam::${account}:role/Entra-Admin`;
    const upn = app.roles.find((r) => r.roleName === 'Entra-Admin')!.groups[0].members[0];
    const good = await entraAssertion(sandbox, app.appId, upn);
    const xml = Buffer.from(good, 'base64').toString('utf8');
    const tampered = Buffer.from(xml.replace(`>${upn}<`, '>mallory@example.com<'), 'utf8').toString('base64');
    assert.equal(await assumeWithSaml(sandbox, tampered, admin, provider), 'InvalidIdentityTokenException');
    // Another account's app signs with its own certificate: this provider's metadata does not verify it.
    const other = truth.apps.find((a) => a.appId !== app.appId)!;
    const theirs = await entraAssertion(sandbox, other.appId, other.roles[0].groups[0].members[0]);
    assert.equal(await assumeWithSaml(sandbox, theirs, admin, provider), 'InvalidIdentityTokenException');
    const notNamed = `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`;
    assert.equal(await assumeWithSaml(sandbox, good, notNamed, provider), 'AccessDenied');
    const foreign = truth.accounts.find((a) => a.accountId !== account)!;
    const foreignRole = `arn:aws:iam::${foreign.accountId}:role/Entra-Admin`;
    assert.equal(await assumeWithSaml(sandbox, good, foreignRole, provider), 'AccessDenied');
    assert.equal(await assumeWithSaml(sandbox, good, admin, provider), 'ok');
  });

  it('audit recognises each account’s SAML provider, the roles trusting it, the provisioning user as a service account, and through Graph the app of each account and who holds its roles', async () => {
    const truth = sandbox.manifest.directSaml!;
    // What the AWS CLI sees in the first federated account, through the organization role.
    const first = truth.accounts[0];
    const sts = new STSClient(sdkConfig(sandbox));
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${first.accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'saml-check',
      }),
    );
    sts.destroy();
    const c = assumed.Credentials!;
    const providers = cliJson<{ SAMLProviderList: { Arn: string }[] }>(
      await awsCli(sandbox, ['iam', 'list-saml-providers'], {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      }),
    );
    assert.deepEqual(
      providers.SAMLProviderList.map((p) => p.Arn),
      [first.provider],
    );

    const state = join(dir, 'state.db');
    const r = await runIam2sso(['audit', '--state', state, '--no-progress', '--json'], env);
    assert.equal(r.status, 0, r.stderr);
    const audited = r.json<{ directSaml: DirectSamlFederation[]; directSamlEntra: DirectSamlEntra }>();
    const found = audited.directSaml;
    assert.deepEqual(
      found
        .map((f) => ({
          accountId: f.accountId,
          provider: f.providers.map((p) => p.arn).join(),
          roles: f.providers.flatMap((p) => p.roles).sort(),
          provisioningUser: f.provisioningUsers.join(),
        }))
        .sort((x, y) => (x.accountId < y.accountId ? -1 : 1)),
      truth.accounts
        .map((a) => ({ ...a, roles: [...a.roles].sort() }))
        .sort((x, y) => (x.accountId < y.accountId ? -1 : 1)),
    );
    const db = await openStateDb(state);
    const classifications = loadAuditRun(db)!.classifications;
    db.close();
    for (const a of truth.accounts) {
      const c = classifications.find((x) => x.accountId === a.accountId && x.userName === a.provisioningUser);
      assert.equal(c?.category, 'service', a.accountId);
      assert.match(c?.evidence[0] ?? '', /purpose: Entra provisioning of direct SAML federation/);
    }
    // Through Graph: one app per account, each role held by the groups (direct members) and users the tenant says.
    assert.equal(audited.directSamlEntra.status, 'read');
    const apps = audited.directSamlEntra.status === 'read' ? audited.directSamlEntra.apps : [];
    assert.deepEqual(apps.map((a) => a.appId).sort(), truth.apps.map((a) => a.appId).sort());
    for (const t of truth.apps) {
      const app = apps.find((a) => a.appId === t.appId)!;
      for (const role of t.roles) {
        const read = app.roles.find((r) => r.appRoleId === role.appRoleId)!;
        assert.equal(read.roleArn, `arn:aws:iam::${t.accountId}:role/${role.roleName}`);
        assert.deepEqual(
          read.groups.map((g) => ({ displayName: g.displayName, members: g.members })),
          role.groups.map((g) => ({ displayName: g.displayName, members: g.members })),
        );
        assert.deepEqual(read.users, role.users);
      }
    }
  });

  it('plan turns each SAML role into a permission set with parity proven and its app-role holders into the AWS-<Account>-<PermissionSet> group', async () => {
    const truth = sandbox.manifest.directSaml!;
    const state = join(dir, 'state.db');
    const out = join(dir, 'plan.yaml');
    const r = await runIam2sso(['plan', '--state', state, '--out', out, '--json'], env);
    assert.equal(r.status, 0, r.stderr);
    const plan = r.json<MigrationPlan>();
    const expected = { 'Entra-Admin': 'AdministratorAccess', 'Entra-ReadOnly': 'ReadOnlyAccess' } as const;
    assert.equal(plan.directSaml?.length, truth.accounts.length * 2);
    for (const app of truth.apps) {
      for (const role of app.roles) {
        const entry: NonNullable<MigrationPlan['directSaml']>[number] = plan.directSaml!.find(
          (d) => d.accountId === app.accountId && d.role === role.roleName,
        )!;
        assert.deepEqual(entry.parity.gaps, [], `${app.accountId}/${role.roleName}`);
        assert.deepEqual(entry.blockedBy, []);
        const holders = [...new Set([...role.groups.flatMap((g) => g.members), ...role.users])]
          .map((u) => u.toLowerCase())
          .sort();
        assert.deepEqual(entry.members, holders);
        const ps = plan.permissionSets.find((p) => p.name === entry.permissionSets[0])!;
        assert.deepEqual(ps.managedPolicies, [
          `arn:aws:iam::aws:policy/${expected[role.roleName as keyof typeof expected]}`,
        ]);
        const group = plan.groups.find((g) => g.name === entry.groups[0])!;
        assert.match(group.name, new RegExp(`^AWS-.+-${ps.name}$`));
        assert.ok(group.assignments.some((a) => a.accountId === app.accountId && a.permissionSet === ps.name));
        for (const upn of holders) assert.ok(group.members.includes(upn), `${upn} in ${group.name}`);
      }
    }
  });

  it('track attributes the AssumeRoleWithSAML sign-ins through the Entra provider to the person, per account and role', async () => {
    const truth = sandbox.manifest.directSaml!;
    const { accountId } = truth.accounts[0];
    const app = truth.apps.find((a) => a.accountId === accountId)!;
    const upn = app.roles.find((r) => r.roleName === 'Entra-Admin')!.groups[0].members[0];
    // The account's records as an export (a JSON array of CloudTrail records), read by --dir: LookupEvents, paced
    // at 2 calls a second, is covered by the track e2e test.
    const trail = join(dir, 'trail');
    mkdirSync(trail);
    const records = sandbox.world.account(accountId).trail.events.map((e) => e.record);
    writeFileSync(join(trail, 'export.json'), JSON.stringify(records));
    const state = join(dir, 'state.db');
    const r = await runIam2sso(
      [
        'track',
        '--json',
        '--no-progress',
        '--since',
        '1d',
        '--dir',
        trail,
        '--plan',
        join(dir, 'plan.yaml'),
        '--state',
        state,
      ],
      env,
    );
    assert.equal(r.status, 0, r.stderr);
    const tracked = r.json<{ directSaml: { upn: string; accountId: string; role: string; events: number }[] }>();
    // The AWS CLI sign-in and the SDK one of the tests above; the refused calls are nobody's.
    assert.deepEqual(
      tracked.directSaml.filter((d) => d.role === 'Entra-Admin').map((d) => [d.accountId, d.role, d.upn, d.events]),
      [[accountId, 'Entra-Admin', upn.toLowerCase(), 2]],
    );
    // What decommission reads to tell who still uses direct federation.
    const db = await openStateDb(state);
    const uses = directSamlUses(db).filter((d) => d.role === 'Entra-Admin');
    db.close();
    assert.deepEqual(
      uses.map((d) => [d.accountId, d.upn, d.events]),
      [[accountId, upn.toLowerCase(), 2]],
    );
  });

  it('an account kept outside Identity Center: plan adopts its federation, apply makes the app, provider, role, app role and group assignment of another, a group member signs in through them, a re-apply changes nothing, rollback removes only what apply made', async () => {
    const truth = sandbox.manifest.directSaml!;
    const kept = truth.accounts[1];
    // Every member account is federated already: the management account is the one without federation.
    const fresh = sandbox.manifest.accounts.find((a) => !truth.accounts.some((t) => t.accountId === a.id))!.id;
    const state = join(dir, 'state.db');
    const out = join(dir, 'outside.yaml');
    const planned = await runIam2sso(
      ['plan', '--state', state, '--out', out, '--outside-identity-center', kept.accountId, '--json'],
      env,
    );
    assert.equal(planned.status, 0, planned.stderr);
    const plan = planned.json<MigrationPlan>();
    const entry = plan.outsideIdentityCenter!.find((o) => o.accountId === kept.accountId)!;
    const keptApp = truth.apps.find((a) => a.accountId === kept.accountId)!;
    assert.deepEqual(
      { app: entry.app, provider: entry.provider, adopt: entry.adopt },
      { app: keptApp.displayName, provider: kept.provider.split('/').pop(), adopt: true },
    );
    const admin = entry.roles.find((r) => r.name === 'Entra-Admin')!;
    assert.deepEqual(admin.policies, ['arn:aws:iam::aws:policy/AdministratorAccess']);
    assert.deepEqual(
      admin.groups,
      keptApp.roles.find((r) => r.roleName === 'Entra-Admin')!.groups.map((g) => g.displayName),
    );
    // No Identity Center access is planned there any more.
    assert.ok(!plan.groups.some((g) => g.assignments.some((a) => a.accountId === kept.accountId)));
    assert.ok(!(plan.directSaml ?? []).some((d) => d.accountId === kept.accountId));

    // The written plan is valid as apply reads it (users of the account list no permission set there any more).
    assert.deepEqual(parsePlanText(readFileSync(out, 'utf8'), out, { quota: 10, strict: true }).problems, []);

    // The plan file is the truth: Identity Center left out, and a role made from scratch in an account without any.
    const readOnly = keptApp.roles.find((r) => r.roleName === 'Entra-ReadOnly')!.groups[0];
    const doc = parse(readFileSync(out, 'utf8'));
    Object.assign(doc, { permissionSets: [], groups: [], users: [], serviceAccounts: [], directSaml: [] });
    doc.outsideIdentityCenter.push({
      accountId: fresh,
      app: `AWS ${fresh}`,
      provider: 'EntraID',
      roles: [
        { name: 'Entra-Deploy', policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], groups: [readOnly.displayName] },
      ],
    });
    writeFileSync(out, toYaml(doc));
    sandbox.world.entra!.instantiateDelayMs = 0;
    const apply = ['apply', '--plan', out, '--state', state, '--auto-approve', '--json', '--no-progress'];
    const first = await runIam2sso(apply, env);
    assert.equal(first.status, 0, first.stderr);
    const report = first.json<{ created: string[]; adopted: string[]; failed: unknown[] }>();
    assert.deepEqual(report.failed, []);
    assert.equal(report.adopted.length, 2 + entry.roles.length, report.adopted.join('\n'));
    assert.ok(
      report.created.includes(`IAM SAML provider EntraID in ${fresh} (metadata of 'AWS ${fresh}')`),
      report.created.join('\n'),
    );

    const providerArn = `arn:aws:iam::${fresh}:saml-provider/EntraID`;
    const roleArn = `arn:aws:iam::${fresh}:role/Entra-Deploy`;
    const [listed, got] = await Promise.all([
      cliIn(sandbox, fresh, ['iam', 'list-saml-providers']),
      cliIn(sandbox, fresh, ['iam', 'get-role', '--role-name', 'Entra-Deploy']),
    ]);
    const providers = cliJson<{ SAMLProviderList: { Arn: string }[] }>(listed);
    assert.deepEqual(
      providers.SAMLProviderList.map((p) => p.Arn),
      [providerArn],
    );
    const role = cliJson<{ Role: { AssumeRolePolicyDocument: unknown } }>(got);
    assert.deepEqual((role.Role.AssumeRolePolicyDocument as { Statement: unknown[] }).Statement, [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ]);
    const freshIam = await iamIn(sandbox, fresh);
    const attached = await freshIam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'Entra-Deploy' }));
    assert.deepEqual(
      attached.AttachedPolicies?.map((p) => p.PolicyArn),
      ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    );
    // In Entra: the app role carries `roleArn,providerArn` and the group holds it; a member signs in to AWS with it.
    const sp = [...sandbox.world.entra!.servicePrincipals.values()].find(
      (x) => x.displayName === `AWS ${fresh}` && !x.deletedDateTime,
    )!;
    const appRole = sp.appRoles.find((r) => r.value === `${roleArn},${providerArn}`)!;
    assert.ok(appRole);
    assert.deepEqual(
      sp.appRoleAssignedTo.map((a) => [a.principalId, a.appRoleId]),
      [[readOnly.id, appRole.id]],
    );
    const member = readOnly.members[0];
    assert.equal(
      await assumeWithSaml(sandbox, await entraAssertion(sandbox, sp.appId, member), roleArn, providerArn),
      'ok',
    );

    const again = await runIam2sso(apply, env);
    assert.equal(again.status, 0, again.stderr);
    const second = again.json<{ created: string[]; updated: string[]; deleted: string[]; adopted: string[] }>();
    assert.deepEqual([second.created, second.updated, second.deleted, second.adopted], [[], [], [], []]);

    const db = await openStateDb(state);
    const runId = listRuns(db).find((r) => r.command === 'apply')!.runId;
    db.close();
    const rolled = await runIam2sso(['rollback', runId, '--state', state, '--auto-approve', '--json'], env);
    assert.equal(rolled.status, 0, rolled.stderr);
    const after = await freshIam.send(new ListSAMLProvidersCommand({}));
    assert.deepEqual(after.SAMLProviderList, []);
    const gone = await freshIam.send(new GetRoleCommand({ RoleName: 'Entra-Deploy' })).catch((e: Error) => e.name);
    assert.equal(gone, 'NoSuchEntityException');
    freshIam.destroy();
    assert.ok(
      ![...sandbox.world.entra!.servicePrincipals.values()].some(
        (x) => x.displayName === `AWS ${fresh}` && !x.deletedDateTime,
      ),
    );
    // What rollback removed is pending again for the plan file.
    const pending = await runIam2sso(['plan', '--detailed-exitcode', '--out', out, '--state', state], env);
    assert.equal(pending.status, 2, pending.stderr);
    assert.match(pending.stderr, new RegExp(`\\+ IAM SAML provider EntraID in ${fresh}`));
    // The adopted federation is left as it was.
    const keptIam = await iamIn(sandbox, kept.accountId);
    const keptProviders = await keptIam.send(new ListSAMLProvidersCommand({}));
    assert.deepEqual(
      keptProviders.SAMLProviderList?.map((p) => p.Arn),
      [kept.provider],
    );
    const keptRole = await keptIam.send(new GetRoleCommand({ RoleName: 'Entra-Admin' }));
    keptIam.destroy();
    assert.equal(keptRole.Role?.RoleName, 'Entra-Admin');
  });

  it('decommission saml refuses the role still used, naming who signed in, when and the event, and retires the unused account after the watch window (app off, then roles, provider, provisioning user and app gone, checked with the AWS CLI and the Graph client); rollback brings them back', async () => {
    const truth = sandbox.manifest.directSaml!;
    const target = truth.accounts[1];
    const app = truth.apps.find((a) => a.accountId === target.accountId)!;
    const upn = app.roles[0].groups[0].members[0];
    const state = join(dir, 'state.db');
    const plan = join(dir, 'plan.yaml');
    type Outcome = { accountId: string; role: string; result: string; blockers: { id: string; message: string }[] };
    const saml = (stage: string, only: string[]) =>
      runIam2sso(
        [
          'decommission',
          'saml',
          '--stage',
          stage,
          ...only,
          '--plan',
          plan,
          '--state',
          state,
          '--auto-approve',
          '--json',
        ],
        env,
      );
    /** `track` over the organization trail's log files in S3 (the target account), on the cloud's clock. */
    const track = async (days: number) => {
      const bucket = `aws-cloudtrail-logs-${sandbox.manifest.managementAccountId}-org`;
      const args = ['track', '--json', '--no-progress', '--since', `${days}d`, '--s3', `s3://${bucket}`];
      const r = await runIam2sso([...args, '--accounts', target.accountId, '--plan', plan, '--state', state], env);
      assert.equal(r.status, 0, r.stderr);
    };
    await grantReplacement(target.accountId, parse(readFileSync(plan, 'utf8')) as MigrationPlan);
    await track(31);

    // Both accounts at once: the one whose Entra-Admin track saw in use is refused with the evidence.
    const disabled = await saml('disable', []);
    assert.equal(disabled.status, 1, disabled.stderr);
    const disableRun = disabled.json<{ runId: string; roles: Outcome[] }>();
    const used = truth.accounts[0].accountId;
    const usedApp = truth.apps.find((a) => a.accountId === used)!;
    const admin = disableRun.roles.find((r) => r.accountId === used && r.role === 'Entra-Admin')!;
    assert.equal(admin.result, 'blocked');
    const db = await openStateDb(state);
    const last = directSamlUses(db).find((d) => d.role === 'Entra-Admin' && d.accountId === used)!;
    db.close();
    const evidence = admin.blockers.find((b) => b.id === 'use.in-window')?.message ?? '';
    for (const part of [last.upn, last.lastTime, last.lastEventId]) assert.ok(evidence.includes(part), evidence);
    assert.deepEqual(
      disableRun.roles.filter((r) => r.accountId === target.accountId).map((r) => r.result),
      ['done', 'done'],
    );
    // The used account's app still signs people in; the retired one's starts no sign-in (AADSTS7000112), its
    // roles' trust left as it was.
    assert.ok(await entraAssertion(sandbox, usedApp.appId, usedApp.roles[0].groups[0].members[0]));
    const refused = await fetch(`${sandbox.info.endpoint}/_sandbox/entra/saml/assertion`, {
      method: 'POST',
      body: JSON.stringify({ appId: app.appId, upn }),
    });
    assert.notEqual(refused.status, 200);

    sandbox.world.clock.advance(31 * 86_400_000);
    await track(32);
    const deleted = await saml('delete', ['--account', target.accountId]);
    assert.equal(deleted.status, 0, deleted.stdout + deleted.stderr);
    const deleteRun = deleted.json<{ runId: string; changes: string[] }>();
    assert.equal(deleteRun.changes.filter((c) => c.startsWith('- IAM role')).length, 2, deleteRun.changes.join('\n'));

    const creds = await credentialsIn(target.accountId);
    const getRole = () => awsCli(sandbox, ['iam', 'get-role', '--role-name', 'Entra-Admin'], creds);
    const providers = async () =>
      cliJson<{ SAMLProviderList: { Arn: string }[] }>(await awsCli(sandbox, ['iam', 'list-saml-providers'], creds))
        .SAMLProviderList.map((p) => p.Arn)
        .filter((arn) => !arn.includes(':saml-provider/AWSSSO_')); // Identity Center's own: never touched
    const provisioningUser = () => sandbox.world.account(target.accountId).iam.users.get(target.provisioningUser);
    const graph = sandboxGraphClient(sandbox);
    const appThere = async () =>
      graph
        .api(`/applications(appId='${app.appId}')`)
        .get()
        .then(
          () => true,
          (e: { statusCode?: number }) => (e.statusCode === 404 ? false : Promise.reject(e)),
        );
    assert.match((await getRole()).stderr, /NoSuchEntity/);
    assert.deepEqual(await providers(), []);
    assert.equal(provisioningUser(), undefined);
    assert.equal(await appThere(), false);
    // The other account, still used, keeps its provider.
    assert.ok(sandbox.world.account(truth.accounts[0].accountId).iam.samlProviders.has(truth.accounts[0].provider));

    for (const run of [deleteRun.runId, disableRun.runId]) {
      const back = await runIam2sso(['rollback', run, '--auto-approve', '--state', state], env);
      assert.equal(back.status, 0, back.stderr);
    }
    const role = cliJson<{ Role: { AssumeRolePolicyDocument: unknown } }>(await getRole());
    const trust = JSON.stringify(role.Role.AssumeRolePolicyDocument);
    assert.ok(trust.includes(target.provider), trust);
    assert.deepEqual(sandbox.world.account(target.accountId).iam.roles.get('Entra-Admin')?.attachedPolicies, [
      'arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
    assert.deepEqual(await providers(), [target.provider]);
    // The provisioning user comes back with its policy (its old access key cannot: a new one is made by hand).
    const restoredUser = provisioningUser();
    assert.equal((restoredUser?.inlinePolicies.size ?? 0) + (restoredUser?.attachedPolicies.length ?? 0), 1);
    assert.equal(await appThere(), true);
    const sp = await graph.api(`/servicePrincipals/${app.servicePrincipalId}`).select('accountEnabled').get();
    assert.equal(sp.accountEnabled, true);
    // People sign in through the restored app and the recreated provider and role again.
    const assertion = await entraAssertion(sandbox, app.appId, upn);
    const roleArn = `arn:aws:iam::${target.accountId}:role/${app.roles[0].roleName}`;
    assert.equal(await assumeWithSaml(sandbox, assertion, roleArn, target.provider), 'ok');
  });

  it('STS refuses an assertion past its NotOnOrAfter on the virtual clock (ExpiredTokenException), and CloudTrail logs the refusal', async () => {
    const truth = sandbox.manifest.directSaml!;
    const { accountId: account, provider } = truth.accounts[0];
    const app = truth.apps.find((a) => a.accountId === account)!;
    const admin = `arn:aws:iam::${account}:role/Entra-Admin`;
    const upn = app.roles.find((r) => r.roleName === 'Entra-Admin')!.groups[0].members[0];
    const good = await entraAssertion(sandbox, app.appId, upn);
    sandbox.world.clock.advance(2 * 3600_000);
    assert.equal(await assumeWithSaml(sandbox, good, admin, provider), 'ExpiredTokenException');
    const last = sandbox.world.account(account).trail.events.at(-1)!.record;
    assert.equal(last.eventName, 'AssumeRoleWithSAML');
    assert.equal(last.errorCode, 'ExpiredTokenException');
  });
});
