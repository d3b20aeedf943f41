/**
 * iam2sso runs under exactly the policies `iam2sso permissions` prints: the sandbox evaluates every call against
 * the caller's policies, so a missing action fails here as it would in AWS.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { makeAwsId } from '@iam2sso/sandbox/rng.js';
import { newIamUser } from '@iam2sso/sandbox/world/iam-state.js';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { runIam2sso } from '../helpers/cli.js';
import { syncEnv } from './sync-helpers.js';

type Permissions = { management: { Statement: { Action: string[] }[] }; member: object };

const ROLE = 'iam2sso-least';
const RUNNER = 'iam2sso-runner';

describe('iam2sso under the least-privilege policies it prints', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let state: string;
  let env: Record<string, string>;
  const run = (args: string[]) => runIam2sso(args, env, 180_000);

  /** What an administrator does with the printed policies: a user for the management account, a role per member. */
  function grant(permissions: Permissions): Record<string, string> {
    const world = sandbox.world;
    const managementId = sandbox.info.managementAccountId;
    const management = world.account(managementId);
    const user = newIamUser(RUNNER, makeAwsId(world.rng, 'AIDA'), world.clock.now());
    user.inlinePolicies.set('iam2sso', JSON.stringify(permissions.management));
    const key = world.issueAccessKey(managementId, RUNNER, world.clock.now());
    user.accessKeys.push(key);
    management.iam.users.set(RUNNER, user);
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementId}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
    for (const account of world.accounts.values()) {
      if (account.id === managementId) continue;
      account.iam.roles.set(ROLE, {
        roleName: ROLE,
        roleId: makeAwsId(world.rng, 'AROA'),
        path: '/',
        createDate: world.clock.now(),
        assumeRolePolicyDocument: trust,
        description: '',
        maxSessionDuration: 3600,
        attachedPolicies: [],
        inlinePolicies: new Map([['iam2sso', JSON.stringify(permissions.member)]]),
        tags: [],
      });
    }
    world.authzGeneration++;
    return { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey };
  }

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 1 });
    if (sandbox.world.sso) sandbox.world.sso.asyncDelayMs = 60;
    ({ dir, state, env } = syncEnv(sandbox));
    const printed = await runIam2sso(
      ['permissions', '--for', 'audit,apply,sync', '--format', 'json', '--assume-role', ROLE],
      env,
    );
    assert.equal(printed.status, 0, printed.stderr);
    env = { ...env, ...grant(printed.json<Permissions>()), IAM2SSO_IDENTITY_CENTER_RPS: '400' };
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('audits, plans, applies and syncs with nothing but those policies', async () => {
    const audit = await run(['audit', '--assume-role', ROLE, '--state', state, '--no-progress', '--json']);
    assert.equal(audit.status, 0, audit.stderr);
    const accounts = audit.json<{ accounts: { id: string; status: string }[] }>().accounts;
    assert.deepEqual(
      accounts.map((a) => a.status),
      sandbox.info.accounts.map(() => 'ok'),
      'every account read completely',
    );
    const plan = `${dir}/migration-plan.yaml`;
    const planned = await run(['plan', '--state', state, '--out', plan]);
    assert.equal(planned.status, 0, planned.stderr);
    const applied = await run(['apply', '--auto-approve', '--plan', plan, '--state', state, '--assume-role', ROLE]);
    assert.equal(applied.status, 0, applied.stderr);
    assert.ok(sandbox.world.sso!.permissionSets.size > 0, 'apply made permission sets');
    const synced = await run(['sync', '--groups', 'Engineering,Security', '--state', state, '--json']);
    assert.equal(synced.status, 0, synced.stderr);
  });

  it('fails with AccessDenied naming the action when the policy lacks one', async () => {
    const user = sandbox.world.account(sandbox.info.managementAccountId).iam.users.get(RUNNER)!;
    const policy = JSON.parse(user.inlinePolicies.get('iam2sso')!) as Permissions['management'];
    for (const s of policy.Statement) s.Action = s.Action.filter((a) => a !== 'identitystore:ListUsers');
    user.inlinePolicies.set('iam2sso', JSON.stringify(policy));
    sandbox.world.authzGeneration++;
    const r = await run(['sync', '--full', '--groups', 'Engineering,Security', '--state', state]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /AccessDenied/);
    assert.match(r.stderr, /iam2sso permissions --for/, 'says where the needed policy is printed');
    assert.match(
      r.stderr,
      new RegExp(
        `user/${RUNNER} is not authorized to perform: identitystore:ListUsers because no identity-based policy allows`,
      ),
    );
  });
});
