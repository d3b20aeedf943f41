import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { parse } from 'yaml';
import { awsCli, hasAwsCli, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
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

  it('plan --adopt-existing brings the permission sets in as adoptions and names who would lose sign-in; apply adopts them unchanged', async () => {
    const truth = sandbox.manifest.existingIdentityCenter!;
    const state = join(dir, 'state.db');
    const planPath = join(dir, 'migration-plan.yaml');
    const audit = await runIam2sso(['audit', '--state', state, '--no-progress'], env);
    assert.equal(audit.status, 0, audit.stderr);
    const r = await runIam2sso(['plan', '--adopt-existing', '--state', state, '--out', planPath], env);
    assert.equal(r.status, 0, r.stderr);
    const plan = parse(readFileSync(planPath, 'utf8')) as MigrationPlan;
    assert.deepEqual(
      (plan.adopt ?? []).map((a) => (a.kind === 'assignment' ? '' : `${a.kind} ${a.name}`)).sort(),
      truth.permissionSets.map((p) => `permission-set ${p}`).sort(),
    );
    const admin = plan.permissionSets.find((p) => p.name === 'LegacyAdmin');
    assert.deepEqual(admin?.managedPolicies, ['arn:aws:iam::aws:policy/AdministratorAccess']);
    assert.equal(admin?.sessionDuration, 'PT4H');
    const losing = plan.problems.filter((p) => p.id === 'iic.loses-sign-in').map((p) => p.message.split(' ')[0]);
    assert.deepEqual(losing.sort(), truth.unmatched.map((u) => u.userName).sort());
    assert.ok(
      plan.problems.some((p) => p.id === 'iic.group-replacement' && p.message.startsWith('directory group Developers')),
    );
    assert.ok(plan.problems.some((p) => p.id === 'iic.user-assignment'));

    const dry = await runIam2sso(['apply', '--dry-run', '--plan', planPath, '--state', state], env, 300_000);
    assert.equal(dry.status, 0, dry.stderr);
    for (const name of truth.permissionSets)
      assert.ok(dry.stdout.includes(`= adopt permission set ${name} (arn:`), dry.stdout);
    assert.match(dry.stdout, new RegExp(`^${truth.permissionSets.length} to adopt, `, 'm'));
    // Adopted as they are: no change to their settings or policies is planned.
    assert.doesNotMatch(dry.stdout, /^[+~-] .*permission set Legacy/m);
    assert.match(dry.stdout, / 3 unchanged, /);
  });
});
