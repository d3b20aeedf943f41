import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { awsCli, hasAwsCli, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
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

  it('audit reads the account alone, and doctor says Identity Center needs an organization and direct SAML is the way', async () => {
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
    // --sso-region skips the search of every region for an instance this account cannot have.
    const doctor = await runIam2sso(['doctor', '--json', '--state', state, '--sso-region', 'us-east-1'], env);
    assert.equal(doctor.status, 1, doctor.stderr);
    assert.ok(doctor.stdout.trim().startsWith('{'), `${doctor.stdout}\n${doctor.stderr}`);
    const check = doctor.json<{ checks: Check[] }>().checks.find((c) => c.id === 'prereq.organizations');
    assert.equal(check?.status, 'error');
    assert.equal(check?.title, 'standalone account: not in an organization');
    assert.match(check?.fix ?? '', /direct SAML federation to IAM/);
  });
});
