import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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
import type { MigrationPlan, PlannedServiceAccount } from '../../src/core/plan-types.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';
import { sandboxEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

type Replaced = {
  roleArn: string;
  changes: string[];
  applied: boolean;
  run: string | null;
  steps: string[];
  policy: string;
};
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
        userName: 'batch-worker',
        recommendation: 'iam-role-on-compute',
        trustPolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      },
    ]);
    writeFileSync(join(dir, 'plan.yaml'), renderPlanYaml(plan));
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

  let batchRun = '';
  it('makes an instance role and its instance profile for EC2, under the printed least-privilege policy', async () => {
    const keys = await leastPrivilegeKeys();
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
