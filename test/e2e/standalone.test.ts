import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateInstanceCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { parse } from 'yaml';
import { awsCli, hasAwsCli, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

type Check = { id: string; status: string; title: string; evidence: string; fix?: string };

describe('a standalone account (--scenario standalone)', { skip: !hasAwsCli && 'needs /usr/bin/aws' }, () => {
  let sandbox: RunningSandbox;
  let dir: string;
  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'standalone', seed: 1 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-standalone-'));
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('audit reads the account alone, plan decides on direct SAML federation with no Identity Center object, and doctor says which way is possible and why', async () => {
    const org = await awsCli(sandbox, ['organizations', 'describe-organization']);
    assert.notEqual(org.status, 0);
    assert.match(org.stderr, /AWSOrganizationsNotInUseException/);
    const entra = sandbox.info.entra!;
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, entra.tlsCertificatePem);
    const env = sandboxEnv(sandbox, {
      AZURE_TENANT_ID: entra.tenantId,
      AZURE_CLIENT_ID: entra.clientId,
      AZURE_CLIENT_SECRET: entra.clientSecret,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      IAM2SSO_GRAPH_ENDPOINT: entra.graphEndpoint,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    const state = join(dir, 'state.db');
    const audit = await runIam2sso(['audit', '--state', state, '--no-progress', '--json'], env);
    assert.equal(audit.status, 0, audit.stderr);
    const accounts = audit.json<{ accounts: { id: string; status: string }[] }>().accounts;
    assert.deepEqual(
      accounts.map((a) => [a.id, a.status]),
      [[sandbox.info.managementAccountId, 'ok']],
    );
    // The plan states the decision, with the reason and the AWS documentation, and makes nothing for Identity Center.
    const planPath = join(dir, 'migration-plan.yaml');
    const plan = await runIam2sso(['plan', '--state', state, '--out', planPath], env);
    assert.equal(plan.status, 0, plan.stderr);
    const written = parse(readFileSync(planPath, 'utf8')) as MigrationPlan;
    const id = sandbox.info.managementAccountId;
    const decision = written.problems.find((p) => p.id === 'iic.standalone');
    assert.equal(decision?.accountId, id);
    assert.match(
      decision?.message ?? '',
      new RegExp(`^${id} is in no organization: outside Identity Center: direct SAML federation\\.`),
    );
    assert.match(decision?.message ?? '', /applications only.*identity-center-instances\.html/);
    assert.match(plan.stderr, /problem iic\.standalone: /);
    assert.deepEqual(written.permissionSets, []);
    assert.deepEqual(
      written.groups.flatMap((g) => g.assignments),
      [],
    );
    assert.deepEqual(
      written.users.flatMap((u) => u.permissionSets),
      [],
    );
    assert.ok(
      written.users.some((u) => u.action === 'migrate' && u.groups.length > 0),
      'people keep their groups',
    );

    // An account instance of Identity Center (for applications), made with the SDK (the AWS CLI 2.9 predates
    // CreateInstance) and listed with the AWS CLI.
    const admin = new SSOAdminClient(sdkConfig(sandbox));
    const arn = (await admin.send(new CreateInstanceCommand({ Name: 'apps' }))).InstanceArn!;
    admin.destroy();
    const listed = await awsCli(sandbox, ['sso-admin', 'list-instances']);
    assert.deepEqual(
      listed.json<{ Instances: { InstanceArn: string }[] }>().Instances.map((i) => i.InstanceArn),
      [arn],
    );

    // --sso-region skips the search of every region for an instance this account cannot have.
    const doctor = await runIam2sso(['doctor', '--json', '--state', state, '--sso-region', 'us-east-1'], env);
    assert.equal(doctor.status, 1, doctor.stderr);
    assert.ok(doctor.stdout.trim().startsWith('{'), `${doctor.stdout}\n${doctor.stderr}`);
    const check = doctor.json<{ checks: Check[] }>().checks.find((c) => c.id === 'prereq.organizations');
    assert.equal(check?.status, 'error');
    assert.equal(check?.title, 'standalone account: not in an organization');
    assert.match(check?.fix ?? '', /direct SAML federation to IAM/);
    const checks = doctor.json<{ checks: Check[] }>().checks;
    const status = (c: string) => checks.find((x) => x.id === c);
    assert.equal(status('standalone.account-instance')?.status, 'warning');
    assert.ok(
      status('standalone.account-instance')?.evidence.endsWith(
        `this account has one (${arn}): keep it for applications`,
      ),
    );
    assert.match(
      status('standalone.account-instance')?.evidence ?? '',
      /applications .*no permission sets, account assignments/,
    );
    assert.equal(status('standalone.organization-instance')?.status, 'warning');
    assert.match(
      status('standalone.organization-instance')?.fix ?? '',
      new RegExp(`Create an organization .*${id} becomes its management account`),
    );
    assert.equal(status('standalone.direct-saml')?.status, 'warning');
    assert.match(
      status('standalone.direct-saml')?.title ?? '',
      /possible \(the plan's decision: outside Identity Center: direct SAML federation\)/,
    );
    assert.match(
      status('standalone.direct-saml')?.fix ?? '',
      new RegExp(`^1\\. iam2sso plan --outside-identity-center ${id} `),
    );
    // No Identity Center instance check that would send the operator to a management account that does not exist.
    assert.equal(status('prereq.instance'), undefined);
  });
});
