import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { awsCli, hasAwsCli, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { DirectSamlFederation } from '../../src/core/direct-saml.js';
import { loadAuditRun } from '../../src/store/audit-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { cliJson } from '../apply/kit.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

describe('direct SAML federation to IAM roles (--scenario direct-saml)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let sandbox: RunningSandbox;
  let dir: string;
  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'direct-saml', seed: 1 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-saml-'));
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('audit recognises each account’s SAML provider, the roles trusting it, and the provisioning user as a service account', async () => {
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
    const r = await runIam2sso(['audit', '--state', state, '--no-progress', '--json'], sandboxEnv(sandbox));
    assert.equal(r.status, 0, r.stderr);
    const found = r.json<{ directSaml: DirectSamlFederation[] }>().directSaml;
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
  });
});
