import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { makeAwsId } from '@iam2sso/sandbox/rng.js';
import { newIamUser } from '@iam2sso/sandbox/world/iam-state.js';
import { awsCli, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { skipWithoutTool } from '../../packages/sandbox/test/helpers/tools.js';
import { rolesAnywhereClient } from '../../src/aws/rolesanywhere.js';
import type { MigrationPlan, PlannedServiceAccount } from '../../src/core/plan-types.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';
import { iam2ssoArgv, sandboxEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

type Replaced = {
  roleArn: string;
  changes: string[];
  applied: boolean;
  run: string | null;
  steps: string[];
  policy: string;
};
/** A test CA certificate (public material only; its key was thrown away): what an operator's CA bundle holds. */
const CA_PEM = readFileSync(fileURLToPath(new URL('../fixtures/rolesanywhere/ca.pem', import.meta.url)), 'utf8');

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::builds/*' }],
});

function planWith(accounts: PlannedServiceAccount[]): MigrationPlan {
  return {
    formatVersion: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    fingerprint: { runId: 'audit-test', takenAt: '2026-12-01T00:00:00.000Z', accounts: [] },
    permissionSets: [],
    groups: [],
    users: [],
    serviceAccounts: accounts,
    problems: [],
  };
}

async function whoAmI(sandbox: RunningSandbox, credentials: Creds): Promise<string> {
  const out = await new STSClient({ ...sdkConfig(sandbox), credentials }).send(new GetCallerIdentityCommand({}));
  return out.Arn ?? '';
}

describe('iam2sso replace against the sandbox', () => {
  let sandbox: RunningSandbox;
  let env: Record<string, string>;
  let dir: string;
  let account: string;
  let iam: IAMClient;
  const replace = async (user: string, ...extra: string[]) => {
    const out = await runInProcess(
      ['replace', user, '--json', '--plan', join(dir, 'plan.yaml'), '--state', join(dir, 'state.db'), ...extra],
      env,
    );
    assert.equal(out.status, 0, out.stderr);
    return out.json<Replaced>();
  };
  const control = async (path: string, body: unknown) =>
    (await fetch(`${sandbox.info.endpoint}${path}`, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<
      Record<string, string>
    >;

  before(async () => {
    sandbox = await startTestSandbox();
    env = sandboxEnv(sandbox);
    account = sandbox.info.managementAccountId;
    iam = new IAMClient(sdkConfig(sandbox));
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-replace-'));
    const base = { accountId: account, reason: 'test', policy: POLICY };
    const plan = planWith([
      {
        ...base,
        userName: 'ci-deployer',
        recommendation: 'github-actions-oidc',
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRoleWithWebIdentity',
              Principal: { Federated: 'x' },
              Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' } },
            },
          ],
        }),
      },
      {
        ...base,
        userName: 'edge-agent',
        recommendation: 'iam-roles-anywhere',
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      },
      {
        ...base,
        userName: 'batch-worker',
        recommendation: 'iam-role-on-compute',
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
    ]);
    writeFileSync(join(dir, 'plan.yaml'), renderPlanYaml(plan));
    writeFileSync(join(dir, 'ca.pem'), CA_PEM);
  });
  after(() => sandbox.close());

  it('shows the GitHub OIDC replacement without making it, then makes a role a workflow of the branch can assume', async (t) => {
    const shown = await replace('ci-deployer');
    assert.equal(shown.applied, false);
    assert.deepEqual(shown.changes, [
      `+ IAM OIDC provider token.actions.githubusercontent.com in ${account}`,
      `+ IAM role iam2sso-ci-deployer in ${account}`,
      `~ IAM role iam2sso-ci-deployer in ${account} inline policy iam2sso-least-privilege`,
    ]);
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'iam2sso-ci-deployer' })), {
      name: 'NoSuchEntityException',
    });
    assert.ok(shown.steps.some((l) => l.includes(`role-to-assume: arn:aws:iam::${account}:role/iam2sso-ci-deployer`)));

    const made = await replace('ci-deployer', '--apply', '--auto-approve');
    assert.ok(made.run);
    const token = (await control('/_sandbox/oidc/github/token', { repository: 'acme/app', ref: 'refs/heads/main' }))
      .token;
    if (skipWithoutTool(t, 'aws')) return;
    const assumed = await awsCli(sandbox, [
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      made.roleArn,
      '--role-session-name',
      'gha',
      '--web-identity-token',
      token,
    ]);
    assert.equal(assumed.status, 0, assumed.stderr);
    const c = assumed.json<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>()
      .Credentials;
    const arn = await whoAmI(sandbox, {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    assert.equal(arn, `arn:aws:sts::${account}:assumed-role/iam2sso-ci-deployer/gha`);
    const otherBranch = (
      await control('/_sandbox/oidc/github/token', { repository: 'acme/app', ref: 'refs/heads/dev' })
    ).token;
    const anonymous = new STSClient({
      ...sdkConfig(sandbox),
      credentials: { accessKeyId: 'none', secretAccessKey: 'none' },
    });
    const refused = anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: made.roleArn,
        RoleSessionName: 'gha',
        WebIdentityToken: otherBranch,
      }),
    );
    await assert.rejects(refused, { name: 'AccessDenied' });
  });

  it('resumes a Roles Anywhere replacement killed right after the trust anchor was made, and rolls both runs back', async () => {
    const args = ['replace', 'edge-agent', '--plan', join(dir, 'plan.yaml'), '--state', join(dir, 'state.db')];
    const apply = [...args, '--apply', '--auto-approve', '--ca-bundle', join(dir, 'ca.pem')];
    const child = spawn(process.execPath, iam2ssoArgv(apply), {
      env: { ...env, NODE_PATH: `${ROOT}node_modules`, IAM2SSO_KILL_AT: 'result:1' },
      stdio: 'ignore',
    });
    assert.equal(await new Promise((r) => child.on('exit', (_code, signal) => r(signal))), 'SIGKILL');
    const ra = rolesAnywhereClient({
      region: sandbox.info.region,
      credentials: sdkConfig(sandbox).credentials,
      endpoint: sandbox.info.endpoint,
      maxAttempts: 1,
    });
    const [anchor] = await ra.listTrustAnchors();
    assert.equal(anchor?.name, 'iam2sso-edge-agent', 'the anchor was made before the kill');
    const resumed = await replace('edge-agent', '--apply', '--auto-approve');
    assert.equal(resumed.changes.length, 3, 'the role, its policy and the profile; the anchor is not made twice');
    assert.equal((await ra.listTrustAnchors()).length, 1);
    const back = await runInProcess([...args, '--rollback', '--auto-approve'], env);
    assert.equal(back.status, 0, back.stderr);
    const killed = /made by run (\S+): `iam2sso rollback \1` removes it/.exec(back.stderr)?.[1];
    assert.ok(killed, back.stderr);
    assert.equal((await ra.listProfiles()).length, 0);
    const rest = await runInProcess(['rollback', killed, '--auto-approve', '--state', join(dir, 'state.db')], env);
    assert.equal(rest.status, 0, rest.stderr);
    assert.deepEqual(await ra.listTrustAnchors(), []);
  });

  let keys: Promise<Record<string, string>> | undefined;
  /** The keys of that user, made once for the file. */
  const replacerKeys = () => {
    keys ??= leastPrivilegeKeys();
    return keys;
  };

  /** A user of the management account holding only what `iam2sso permissions --for replace` prints. */
  async function leastPrivilegeKeys(): Promise<Record<string, string>> {
    const printed = await runInProcess(['permissions', '--for', 'replace', '--json'], env);
    assert.equal(printed.status, 0, printed.stderr);
    const world = sandbox.world;
    const user = newIamUser('replacer', makeAwsId(world.rng, 'AIDA'), world.clock.now());
    user.inlinePolicies.set('iam2sso', JSON.stringify(printed.json<{ management: unknown }>().management));
    const key = world.issueAccessKey(account, 'replacer', world.clock.now());
    user.accessKeys.push(key);
    world.account(account).iam.users.set('replacer', user);
    world.authzGeneration++;
    return { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey };
  }

  it('makes an IAM Roles Anywhere trust anchor from the CA bundle, a role that trusts only it and a profile naming the role; a re-run changes nothing; rollback removes them', async (t) => {
    const state = ['--plan', join(dir, 'plan.yaml'), '--state', join(dir, 'state.db')];
    const missing = await runInProcess(['replace', 'edge-agent', ...state, '--apply', '--auto-approve'], env);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--ca-bundle FILE/);
    const bad = await runInProcess(
      ['replace', 'edge-agent', ...state, '--apply', '--auto-approve', '--ca-bundle', join(dir, 'plan.yaml')],
      env,
    );
    assert.match(bad.stderr, /plan\.yaml: no PEM certificate/);

    // Made by a user holding only what `iam2sso permissions --for replace` prints.
    const asReplacer = async () => {
      const out = await runInProcess(
        ['replace', 'edge-agent', '--json', ...state, '--apply', '--auto-approve', '--ca-bundle', join(dir, 'ca.pem')],
        { ...env, ...(await replacerKeys()) },
      );
      assert.equal(out.status, 0, out.stderr);
      return out.json<Replaced>();
    };
    const made = await asReplacer();
    const region = sandbox.info.region;
    assert.deepEqual(made.changes, [
      `+ IAM Roles Anywhere trust anchor iam2sso-edge-agent in ${account} ${region}`,
      `+ IAM role iam2sso-edge-agent in ${account}`,
      `~ IAM role iam2sso-edge-agent in ${account} inline policy iam2sso-least-privilege`,
      `+ IAM Roles Anywhere profile iam2sso-edge-agent in ${account} ${region} for ${made.roleArn}`,
    ]);
    // Read back through the product's signed client and, independently, the AWS CLI.
    const ra = rolesAnywhereClient({
      region,
      credentials: sdkConfig(sandbox).credentials,
      endpoint: sandbox.info.endpoint,
      maxAttempts: 1,
    });
    const [anchor] = (await ra.listTrustAnchors()).filter((a) => a.name === 'iam2sso-edge-agent');
    const [profile] = (await ra.listProfiles()).filter((p) => p.name === 'iam2sso-edge-agent');
    assert.deepEqual(
      [anchor?.enabled, anchor?.sourceType, profile?.roleArns],
      [true, 'CERTIFICATE_BUNDLE', [made.roleArn]],
    );
    const role = await iam.send(new GetRoleCommand({ RoleName: 'iam2sso-edge-agent' }));
    const trust = JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '{}'));
    assert.deepEqual(trust.Statement[0].Condition, { ArnEquals: { 'aws:SourceArn': anchor.arn } });
    assert.ok(
      made.steps.some((l) =>
        l.includes(
          `aws_signing_helper credential-process --certificate cert.pem --private-key key.pem --trust-anchor-arn ${anchor.arn} --profile-arn ${profile.arn} --role-arn ${made.roleArn}`,
        ),
      ),
      made.steps.join('\n'),
    );

    const again = await asReplacer();
    assert.deepEqual([again.changes, again.run], [[], null]);

    const undone = await runInProcess(
      ['rollback', made.run ?? '', '--auto-approve', '--json', '--state', join(dir, 'state.db')],
      env,
    );
    assert.equal(undone.status, 0, undone.stderr);
    assert.equal(undone.json<{ undone: number }>().undone, 4);
    assert.deepEqual([await ra.listTrustAnchors(), await ra.listProfiles()], [[], []]);
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'iam2sso-edge-agent' })), {
      name: 'NoSuchEntityException',
    });
    if (skipWithoutTool(t, 'aws')) return;
    const cli = await awsCli(sandbox, ['rolesanywhere', 'list-trust-anchors']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(cli.json<{ trustAnchors: unknown[] }>().trustAnchors, []);
  });

  let batchRun = '';
  it('makes an instance role and its instance profile for EC2, under the printed least-privilege policy', async () => {
    const keys = await replacerKeys();
    const out = await runInProcess(
      [
        'replace',
        'batch-worker',
        '--json',
        '--plan',
        join(dir, 'plan.yaml'),
        '--state',
        join(dir, 'state.db'),
        '--apply',
        '--auto-approve',
      ],
      { ...env, ...keys },
    );
    assert.equal(out.status, 0, out.stderr);
    const made = out.json<Replaced>();
    batchRun = made.run ?? '';
    assert.deepEqual(made.changes, [
      `+ IAM role iam2sso-batch-worker in ${account}`,
      `~ IAM role iam2sso-batch-worker in ${account} inline policy iam2sso-least-privilege`,
      `+ IAM instance profile iam2sso-batch-worker in ${account}`,
      `+ IAM instance profile iam2sso-batch-worker in ${account} role iam2sso-batch-worker`,
    ]);
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'iam2sso-batch-worker' }));
    assert.deepEqual(
      profile.InstanceProfile?.Roles?.map((r) => r.RoleName),
      ['iam2sso-batch-worker'],
    );
    const creds = await control('/_sandbox/workload-credentials', {
      roleArn: made.roleArn,
      service: 'ec2.amazonaws.com',
    });
    const arn = await whoAmI(sandbox, {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.Token,
    });
    assert.match(arn, new RegExp(`^arn:aws:sts::${account}:assumed-role/iam2sso-batch-worker/`));
    assert.ok(made.steps.some((l) => l.includes('associate-iam-instance-profile')));
    assert.ok(!made.steps.some((l) => l.includes('create-instance-profile')), 'no longer a step for the owner');
  });

  it('rolls back both replacements (`replace --rollback`, `rollback RUN`): roles, instance profile and OIDC provider are gone', async () => {
    await replace('ci-deployer', '--rollback', '--auto-approve');
    const out = await runInProcess(
      ['rollback', batchRun, '--auto-approve', '--json', '--state', join(dir, 'state.db')],
      env,
    );
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.json<{ target: string; undone: number }>().undone, 4);
    for (const RoleName of ['iam2sso-ci-deployer', 'iam2sso-batch-worker'])
      await assert.rejects(iam.send(new GetRoleCommand({ RoleName })), { name: 'NoSuchEntityException' });
    await assert.rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'iam2sso-batch-worker' })), {
      name: 'NoSuchEntityException',
    });
    const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(providers.OpenIDConnectProviderList ?? [], []);
  });
});
