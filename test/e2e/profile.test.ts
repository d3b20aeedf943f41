/**
 * The AWS admin's setup: nothing but a named profile in AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (the region
 * and the endpoint come from the profile; no AWS_* variable is set), as after `aws configure --profile`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { runIam2sso } from '../helpers/cli.js';

describe('iam2sso with only an AWS profile (config and credentials files)', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  const state = () => join(dir, 'state.db');
  const plan = () => join(dir, 'migration-plan.yaml');

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-profile-'));
    const { endpoint, credentials } = sandbox.info;
    writeFileSync(
      join(dir, 'config'),
      [
        '[profile migration]',
        'region = eu-west-1',
        `endpoint_url = ${endpoint}`,
        '',
        '[profile corp-admin]',
        'sso_session = corp',
        'sso_account_id = 111111111111',
        'sso_role_name = AdministratorAccess',
        'region = eu-west-1',
        '',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = eu-west-1',
        'sso_registration_scopes = sso:account:access',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'credentials'),
      `[migration]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`,
    );
    const entra = sandbox.info.entra!;
    writeFileSync(join(dir, 'ca.pem'), entra.tlsCertificatePem);
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AZURE_TENANT_ID: entra.tenantId,
      AZURE_CLIENT_ID: entra.clientId,
      AZURE_CLIENT_SECRET: entra.clientSecret,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      IAM2SSO_GRAPH_ENDPOINT: entra.graphEndpoint,
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    };
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("audits every account with --profile, signing in the profile's region", async () => {
    const r = await runIam2sso(['audit', '--profile', 'migration', '--json', '--state', state()], env);
    assert.equal(r.status, 0, r.stderr);
    const summary = r.json<{ accounts: { status: string }[]; users: number }>();
    assert.equal(summary.accounts.length, sandbox.manifest.accounts.length);
    assert.ok(summary.accounts.every((a) => a.status === 'ok'));
    assert.equal(summary.users, sandbox.manifest.users.length);
    const management = sandbox.world.account(sandbox.info.accounts[0]!.id);
    const own = management.trail.events.filter((e) => e.record.userAgent.includes('app/iam2sso'));
    assert.ok(own.length > 0);
    assert.deepEqual([...new Set(own.map((e) => e.record.awsRegion))], ['eu-west-1']);
    assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning|Multiple credential sources/);
  });

  it("compares the plan with Identity Center through AWS_PROFILE, finding Identity Center outside the profile's region (plan --detailed-exitcode: changes pending)", async () => {
    const planned = await runIam2sso(
      ['plan', '--state', state(), '--out', plan(), '--detailed-exitcode', '--no-color'],
      { ...env, AWS_PROFILE: 'migration' },
    );
    assert.equal(planned.status, 2, planned.stderr);
    assert.match(planned.stderr, /^\+ permission set /m);
    // Identity Center is enabled in the sandbox's region, not the profile's: the region search finds it.
    const home = sandbox.info.region;
    assert.notEqual(home, 'eu-west-1');
    assert.ok(
      planned.stderr.includes(`IAM Identity Center found in ${home} (not in eu-west-1); pass --sso-region ${home}`),
      planned.stderr,
    );
    assert.equal(sandbox.world.sso!.permissionSets.size, 0, 'nothing was written');
  });

  it('tells the user to run aws sso login for an SSO profile that is not logged in, and names an unknown profile', async () => {
    const r = await runIam2sso(['audit', '--profile', 'corp-admin', '--state', join(dir, 'other.db')], env);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /aws sso login --profile corp-admin/);
    const unknown = await runIam2sso(['audit', '--profile', 'typo', '--state', join(dir, 'other.db')], env);
    assert.equal(unknown.status, 1, unknown.stderr);
    assert.match(unknown.stderr, /no credentials for profile typo[\s\S]*aws configure list-profiles/);
  });
});
