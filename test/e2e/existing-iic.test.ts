import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { parse } from 'yaml';
import { awsCli, hasAwsCli, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';
import { loadAuditRun } from '../../src/store/audit-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { listOwned } from '../../src/store/ownership-repo.js';
import { cliJson } from '../apply/kit.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

type Check = { id: string; status: string; title: string; evidence: string; fix?: string };

describe('Identity Center already in use with its own directory (--scenario existing-iic)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let state: string;
  let planPath: string;
  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'existing-iic', seed: 1 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-iic-'));
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
    state = join(dir, 'state.db');
    planPath = join(dir, 'migration-plan.yaml');
    // The break-glass user (kept by the plan) loses its MFA device, through the AWS CLI.
    const breakGlass = sandbox.manifest.users.find((u) => u.category === 'break-glass')!;
    const devices = cliJson<{ MFADevices: { SerialNumber: string }[] }>(
      await awsCli(sandbox, ['iam', 'list-mfa-devices', '--user-name', breakGlass.userName]),
    );
    for (const d of devices.MFADevices) {
      const off = await awsCli(sandbox, [
        'iam',
        'deactivate-mfa-device',
        '--user-name',
        breakGlass.userName,
        '--serial-number',
        d.SerialNumber,
      ]);
      assert.equal(off.status, 0, off.stderr);
    }
    const audit = await runIam2sso(['audit', '--state', state, '--no-progress'], env);
    assert.equal(audit.status, 0, audit.stderr);
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('doctor says no-go for the identity-source switch and names exactly the directory users who would lose sign-in', async () => {
    const truth = sandbox.manifest.existingIdentityCenter!;
    // The directory, as the AWS CLI reads it.
    const storeId = [...[sandbox.world.sso!.identityStoreId]][0];
    const listed = cliJson<{ Users: { UserName: string }[] }>(
      await awsCli(sandbox, ['identitystore', 'list-users', '--identity-store-id', storeId]),
    );
    assert.deepEqual(listed.Users.map((u) => u.UserName).sort(), [...truth.users].sort());

    const r = await runIam2sso(['doctor', '--json', '--state', join(dir, 'state.db')], env);
    assert.equal(r.status, 1, r.stderr);
    const check = r.json<{ checks: Check[] }>().checks.find((c) => c.id === 'identity-source.switch');
    assert.ok(check, r.stdout);
    assert.equal(check.status, 'error');
    assert.match(check.title, new RegExp(`^no-go: ${truth.unmatched.length} of ${truth.users.length} `));
    const named = check.evidence.split('; ').map((e) => e.slice(0, e.indexOf(' (')));
    assert.deepEqual(named.sort(), truth.unmatched.map((u) => u.userName).sort());
    assert.match(check.fix ?? '', /type ACCEPT/);
  });

  /** Each directory group's directory members and the assignments to it, as the sandbox holds them. */
  const directoryTruth = () => {
    const sso = sandbox.world.sso!;
    const lost = new Set(sandbox.manifest.existingIdentityCenter!.unmatched.map((u) => u.userName));
    const names = new Map([...sso.permissionSets.values()].map((p) => [p.permissionSetArn, p.name]));
    return [...sso.groups.values()].map((g) => ({
      id: g.groupId,
      name: g.displayName,
      members: [...sso.memberships.values()]
        .filter((m) => m.groupId === g.groupId)
        .map((m) => sso.users.get(m.userId)!.userName)
        .sort(),
      matched: [...sso.memberships.values()]
        .filter((m) => m.groupId === g.groupId)
        .map((m) => sso.users.get(m.userId)!.userName)
        .filter((u) => !lost.has(u))
        .sort(),
      assignments: sso.assignments
        .filter((a) => a.principalType === 'GROUP' && a.principalId === g.groupId)
        .map((a) => `${a.accountId} ${names.get(a.permissionSetArn)}`)
        .sort(),
    }));
  };

  it('plan --adopt-existing brings the permission sets, directory groups and assignments in as adoptions and names who would lose sign-in; apply shows them as adoptions', async () => {
    const truth = sandbox.manifest.existingIdentityCenter!;
    const before = directoryTruth();
    const r = await runIam2sso(['plan', '--adopt-existing', '--state', state, '--out', planPath], env);
    assert.equal(r.status, 0, r.stderr);
    const plan = parse(readFileSync(planPath, 'utf8')) as MigrationPlan;
    const adopt = (plan.adopt ?? []).map((a) =>
      a.kind === 'assignment' ? `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}` : `${a.kind} ${a.name}`,
    );
    assert.deepEqual(
      adopt.sort(),
      [
        ...truth.permissionSets.map((p) => `permission-set ${p}`),
        ...before.map((g) => `store-group ${g.name}`),
        ...before.flatMap((g) => g.assignments.map((a) => `assignment ${a} -> ${g.name}`)),
      ].sort(),
    );
    // Each directory group becomes a planned Entra group of its name: members matched by UPN, its assignments.
    for (const g of before) {
      const planned = plan.groups.find((p) => p.replaces === g.name);
      assert.ok(planned, `no planned group replaces ${g.name}`);
      assert.equal(planned.name, g.name);
      assert.deepEqual(
        planned.members.map((m) => m.toLowerCase()).sort(),
        g.matched.map((m) => m.toLowerCase()),
      );
      assert.deepEqual(planned.assignments.map((a) => `${a.accountId} ${a.permissionSet}`).sort(), g.assignments);
    }
    const admin = plan.permissionSets.find((p) => p.name === 'LegacyAdmin');
    assert.deepEqual(admin?.managedPolicies, ['arn:aws:iam::aws:policy/AdministratorAccess']);
    assert.equal(admin?.sessionDuration, 'PT4H');
    const losing = plan.problems.filter((p) => p.id === 'iic.loses-sign-in').map((p) => p.message.split(' ')[0]);
    assert.deepEqual(losing.sort(), truth.unmatched.map((u) => u.userName).sort());
    const left = plan.problems.filter((p) => p.id === 'iic.group-members-left').map((p) => p.message.split(':')[0]);
    assert.deepEqual(
      left.sort(),
      before
        .filter((g) => g.members.length > g.matched.length)
        .map((g) => `directory group ${g.name}`)
        .sort(),
    );
    assert.ok(plan.problems.some((p) => p.id === 'iic.user-assignment'));

    const dry = await runIam2sso(['apply', '--dry-run', '--plan', planPath, '--state', state], env, 300_000);
    assert.equal(dry.status, 0, dry.stderr);
    for (const name of truth.permissionSets)
      assert.ok(dry.stdout.includes(`= adopt permission set ${name} (arn:`), dry.stdout);
    for (const g of before) {
      assert.ok(dry.stdout.includes(`= adopt Identity Store group ${g.name} (${g.id})`), dry.stdout);
      for (const a of g.assignments)
        assert.ok(dry.stdout.includes(`= adopt assignment ${a} -> ${g.name}`), `${a} -> ${g.name}\n${dry.stdout}`);
      // Adopted, not made again.
      assert.doesNotMatch(dry.stdout, new RegExp(`^\\+ .*assignment .* -> ${g.name}$`, 'm'));
    }
    assert.match(dry.stdout, new RegExp(`^${adopt.length} to adopt, `, 'm'));
    // Adopted as they are: no change to their settings or policies is planned.
    assert.doesNotMatch(dry.stdout, /^[+~-] .*permission set Legacy/m);
  });

  it('apply adopts each directory group with its assignments (the same group, not made again), and doctor still names exactly who would lose sign-in', async () => {
    const truth = sandbox.manifest.existingIdentityCenter!;
    const before = directoryTruth();
    // The plan's Identity Center part alone (the IAM users' migration is other tests' business): faster to apply.
    const plan = parse(readFileSync(planPath, 'utf8')) as MigrationPlan;
    const part: MigrationPlan = {
      ...plan,
      permissionSets: plan.permissionSets.filter((p) => p.key.startsWith('existing:')),
      groups: plan.groups.filter((g) => g.replaces),
      users: [],
      serviceAccounts: [],
      privilegedAccess: [],
    };
    const partPath = join(dir, 'existing-part.yaml');
    writeFileSync(partPath, renderPlanYaml(part));
    const r = await runIam2sso(['apply', '--plan', partPath, '--state', state, '--auto-approve'], env, 300_000);
    assert.equal(r.status, 0, r.stderr);
    const after = directoryTruth();
    const storeId = sandbox.world.sso!.identityStoreId;
    for (const g of before) {
      const now = after.find((a) => a.name === g.name)!;
      // Same Identity Store group (id), same assignments: adopted, not recreated.
      assert.equal(now.id, g.id);
      assert.deepEqual(now.assignments, g.assignments);
      // Its members: all kept, those that match Entra and the others (they lose it only at the identity-source
      // switch, not at apply; Developers read with the AWS CLI).
      const sso = sandbox.world.sso!;
      let ids = [...sso.memberships.values()].filter((m) => m.groupId === g.id).map((m) => m.userId);
      if (g.name === 'Developers') {
        const listed = cliJson<{ GroupMemberships: { MemberId: { UserId: string } }[] }>(
          await awsCli(sandbox, [
            'identitystore',
            'list-group-memberships',
            '--identity-store-id',
            storeId,
            '--group-id',
            g.id,
          ]),
        );
        ids = listed.GroupMemberships.map((m) => m.MemberId.UserId);
      }
      const names = ids.map((id) => sso.users.get(id)!.userName.toLowerCase());
      assert.deepEqual(
        names.sort(),
        g.members.map((n) => n.toLowerCase()),
      );
      // The Entra group that replaces it holds the same people.
      const entra = [...sandbox.world.entra!.groups.values()].find((e) => e.displayName === g.name);
      assert.ok(entra, `no Entra group ${g.name}`);
      const upns = [...entra.members].map((id) => sandbox.world.entra!.users.get(id)!.userPrincipalName.toLowerCase());
      assert.deepEqual(
        upns.sort(),
        g.matched.map((n) => n.toLowerCase()),
      );
    }
    // Managed from now on: recorded as adopted, not as made by iam2sso.
    const db = await openStateDb(state);
    const owned = listOwned(db).filter((o) => o.kind === 'store-group' || o.kind === 'assignment');
    db.close();
    assert.deepEqual(
      owned
        .filter((o) => before.some((g) => o.key === g.name.toLowerCase() || o.key.endsWith(`|${g.name.toLowerCase()}`)))
        .map((o) => `${o.kind} ${o.key} ${o.origin}`)
        .sort(),
      [
        ...before.map((g) => `store-group ${g.name.toLowerCase()} adopted`),
        ...before.flatMap((g) =>
          g.assignments.map((a) => `assignment ${a.replace(' ', '|')}|${g.name.toLowerCase()} adopted`),
        ),
      ].sort(),
    );

    const doctor = await runIam2sso(['doctor', '--json', '--state', state], env);
    const check = doctor.json<{ checks: Check[] }>().checks.find((c) => c.id === 'identity-source.switch');
    assert.equal(check?.status, 'error', doctor.stdout);
    const named = check!.evidence.split('; ').map((e) => e.slice(0, e.indexOf(' (')));
    assert.deepEqual(named.sort(), truth.unmatched.map((u) => u.userName).sort());
  });

  /** The operator's credentials in an account: its own in the management account, the organization role elsewhere. */
  const credentialsIn = async (accountId: string) => {
    if (accountId === sandbox.info.managementAccountId) return sandbox.info.credentials;
    const sts = new STSClient(sdkConfig(sandbox));
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'hygiene-check',
      }),
    );
    sts.destroy();
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  };

  it('audit finds a missing or weak password policy while console passwords remain, as the AWS CLI reads it', async () => {
    const db = await openStateDb(state);
    const findings = loadAuditRun(db)!.findings;
    db.close();
    for (const account of sandbox.info.accounts) {
      const cli = await awsCli(sandbox, ['iam', 'get-account-password-policy'], await credentialsIn(account.id));
      const consoleUsers = [...sandbox.world.account(account.id).iam.users.values()].filter((u) => u.loginProfile);
      const kinds = findings
        .filter((f) => f.accountId === account.id && /password-policy/.test(f.kind))
        .map((f) => f.kind);
      if (cli.status !== 0) {
        assert.match(cli.stderr, /NoSuchEntity/);
        assert.deepEqual(kinds, consoleUsers.length ? ['no-password-policy'] : [], account.id);
        continue;
      }
      const p = cli.json<{ PasswordPolicy: { MinimumPasswordLength: number; PasswordReusePrevention?: number } }>();
      const weak = p.PasswordPolicy.MinimumPasswordLength < 14 || (p.PasswordPolicy.PasswordReusePrevention ?? 0) < 24;
      assert.deepEqual(kinds, weak && consoleUsers.length ? ['weak-password-policy'] : [], account.id);
    }
    assert.ok(
      findings.some((f) => f.kind === 'weak-password-policy'),
      'the scenario has a weak policy',
    );
    assert.ok(
      findings.some((f) => f.kind === 'no-password-policy'),
      'and accounts without one',
    );
  });

  it('plan names each kept IAM user that signs in without MFA', async () => {
    const plan = parse(readFileSync(planPath, 'utf8')) as MigrationPlan;
    const kept = plan.users.filter((u) => u.action === 'keep');
    const withoutMfa = kept
      .filter((u) => {
        const user = sandbox.world.account(u.accountId).iam.users.get(u.userName)!;
        return user.loginProfile && user.mfaDevices.length === 0;
      })
      .map((u) => `${u.accountId}/${u.userName}`);
    const named = plan.problems
      .filter((p) => p.id === 'kept-user.without-mfa')
      .map((p) => `${p.accountId}/${p.userName}`);
    assert.ok(withoutMfa.length > 0, 'the scenario keeps a user without MFA');
    assert.deepEqual(named.sort(), withoutMfa.sort());
  });
});
