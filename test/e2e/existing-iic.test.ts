import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { awsCli, hasAwsCli, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { cliJson } from '../apply/kit.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

type Check = { id: string; status: string; title: string; evidence: string; fix?: string };

describe('Identity Center already in use with its own directory (--scenario existing-iic)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
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
});
