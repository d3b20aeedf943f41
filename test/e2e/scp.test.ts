import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AttachRolePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { AttachPolicyCommand, CreatePolicyCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { awsCli, type CliResult, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { requireTool } from '../../packages/sandbox/test/helpers/tools.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';
import { doneSteps, killAtEach, lastEntryId, openJournalEntries, soakPoints } from '../helpers/kill-soak.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type ScpJson = {
  document: { Statement: { Condition: { ArnNotLike: Record<string, string[]> } }[] };
  characters: number;
};

const SCP_NAME = 'iam2sso-deny-iam-users';

describe('iam2sso scp (end to end on the sandbox)', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let member: string;
  let pipelineArn: string;
  const state = () => join(dir, 'state.db');
  const plan = () => join(dir, 'migration-plan.yaml');
  const run = (args: string[]) => runIam2sso([...args, '--state', state(), '--plan', plan()], env);

  async function roleCreds(accountId: string, roleName: string): Promise<Creds> {
    const sts = new STSClient(sdkConfig(sandbox));
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'scp-test' }),
    );
    sts.destroy();
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  }

  const createUser = (name: string, creds: Creds): Promise<CliResult> =>
    awsCli(sandbox, ['iam', 'create-user', '--user-name', name], creds);

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 1 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-scp-'));
    env = sandboxEnv(sandbox);
    member = sandbox.info.accounts.find((a) => a.id !== sandbox.info.managementAccountId)!.id;
    // A pipeline role in the member account, made by that account's admin role: the principal `--except` names.
    const admin = await roleCreds(member, 'OrganizationAccountAccessRole');
    const iam = new IAMClient({ ...sdkConfig(sandbox), credentials: admin });
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${sandbox.info.managementAccountId}:root` },
          Action: 'sts:AssumeRole',
        },
      ],
    });
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'pipeline-deployer', AssumeRolePolicyDocument: trust }),
    );
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'pipeline-deployer',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    iam.destroy();
    pipelineArn = role.Role!.Arn!;
    for (const step of [
      ['audit', '--no-progress'],
      ['plan', '--out', plan()],
    ]) {
      const r = await runIam2sso([...step, '--state', state()], env);
      assert.equal(r.status, 0, r.stderr);
    }
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plans a minified SCP that excepts the break-glass user, Identity Center roles and --except, writing nothing', async () => {
    const r = await run(['scp', 'plan', '--json', '--except', pipelineArn]);
    assert.equal(r.status, 0, r.stderr);
    const out = r.json<ScpJson>();
    const excepted = out.document.Statement[0].Condition.ArnNotLike['aws:PrincipalArn'];
    assert.ok(
      excepted.includes(`arn:aws:iam::${sandbox.info.managementAccountId}:user/breakglass-admin`),
      "the plan's break-glass user",
    );
    assert.ok(excepted.includes('arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*'));
    assert.ok(excepted.includes('arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*'));
    assert.ok(excepted.includes(pipelineArn));
    assert.ok(out.characters <= 5120);
    assert.match(r.stderr, /management account .*not restrict|do not restrict/);
    assert.ok(![...sandbox.world.organization!.policies.values()].some((p) => p.name === SCP_NAME), 'nothing written');
  });

  it('after apply, a member account admin role gets AccessDenied on create-user; the excepted role still can', async (t) => {
    requireTool(t, 'aws', 'the AWS CLI v2 is the client that is denied');
    const applied = await run(['scp', 'apply', '--auto-approve', '--json', '--except', pipelineArn]);
    assert.equal(applied.status, 0, applied.stderr);
    const org = sandbox.world.organization!;
    const policy = [...org.policies.values()].find((p) => p.name === SCP_NAME)!;
    assert.deepEqual([...policy.targets], [org.rootId]);

    const admin = await roleCreds(member, 'OrganizationAccountAccessRole');
    const denied = await createUser('after-scp', admin);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /AccessDenied/);
    assert.match(
      denied.stderr,
      new RegExp(
        `assumed-role/OrganizationAccountAccessRole/scp-test is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${member}:user/after-scp with an explicit deny in a service control policy`,
      ),
    );
    // The excepted role, and the management account (which SCPs never restrict), still can.
    const pipeline = new IAMClient({
      ...sdkConfig(sandbox),
      credentials: await roleCreds(member, 'pipeline-deployer'),
    });
    await pipeline.send(new CreateUserCommand({ UserName: 'made-by-pipeline' }));
    pipeline.destroy();
    const management = new IAMClient(sdkConfig(sandbox));
    await management.send(new CreateUserCommand({ UserName: 'management-still-can' }));
    management.destroy();

    const again = await run(['scp', 'apply', '--auto-approve', '--except', pipelineArn]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /No changes/);
  });

  it('--rollback detaches and deletes the SCP, and the admin role can create users again', async (t) => {
    requireTool(t, 'aws', 'the AWS CLI v2 is the client that is allowed again');
    const r = await run(['scp', '--rollback', '--auto-approve', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(![...sandbox.world.organization!.policies.values()].some((p) => p.name === SCP_NAME));
    const created = await createUser('after-rollback', await roleCreds(member, 'OrganizationAccountAccessRole'));
    assert.equal(created.status, 0, created.stderr);
  });

  it('refuses an SCP over 5,120 characters before any write', async () => {
    const many = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::${member}:role/pipelines/deployer-number-${i}`);
    const r = await run(['scp', 'apply', '--auto-approve', '--except', many.join(',')]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Organizations accepts at most 5120/);
    assert.ok(![...sandbox.world.organization!.policies.values()].some((p) => p.name === SCP_NAME));
  });

  it('refuses a sixth SCP on a target before any write', async () => {
    const orgs = new OrganizationsClient(sdkConfig(sandbox));
    const ou = [...sandbox.world.organization!.units.values()][0].id;
    // FullAWSAccess plus four more: the OU is full.
    for (let i = 0; i < 4; i++) {
      const p = await orgs.send(
        new CreatePolicyCommand({
          Name: `other-${i}`,
          Description: '',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        }),
      );
      await orgs.send(new AttachPolicyCommand({ PolicyId: p.Policy!.PolicySummary!.Id!, TargetId: ou }));
    }
    orgs.destroy();
    const r = await run(['scp', 'apply', '--auto-approve', '--target', ou]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`${ou} already has 5 SCPs attached directly`));
    assert.ok(![...sandbox.world.organization!.policies.values()].some((p) => p.name === SCP_NAME));
  });

  it('rollback RUN undoes an scp apply run like scp --rollback', async () => {
    const applied = await run(['scp', 'apply', '--auto-approve', '--json', '--except', pipelineArn]);
    assert.equal(applied.status, 0, applied.stderr);
    const runId = applied.json<{ run: string }>().run;
    assert.ok([...sandbox.world.organization!.policies.values()].some((p) => p.name === SCP_NAME));
    const back = await runIam2sso(['rollback', runId, '--auto-approve', '--json', '--state', state()], env);
    assert.equal(back.status, 0, back.stderr);
    assert.equal(back.json<{ target: string }>().target, runId);
    assert.ok(![...sandbox.world.organization!.policies.values()].some((p) => p.name === SCP_NAME));
  });

  it('apply killed after a call and before one resumes to exactly the planned SCP: nothing made twice, nothing open', async (t) => {
    const org = sandbox.world.organization!;
    assert.ok(![...org.policies.values()].some((p) => p.name === SCP_NAME), 'no SCP yet: every kill lands in work');
    const since = lastEntryId(state());
    const args = ['scp', 'apply', '--auto-approve', '--json', '--except', pipelineArn, '--state', state()];
    const apply = (extra: Record<string, string> = {}) => runIam2sso([...args, '--plan', plan()], { ...env, ...extra });
    // The SCP is created, then attached (Organizations answers at once: no request id to journal, so "after the
    // call, before its result" is `result`): killed after the create's call, then, once that is settled done, after
    // the attach's intent, before its call (settled as not made, and made by the resumed run).
    const chosen = ['result:1', 'intent:1'];
    const points = soakPoints(chosen, { states: ['intent', 'result', 'done'], upTo: 2, randomKills: 0 });
    const tally = await killAtEach(points, apply, state());
    t.diagnostic(`kills: ${tally.outcomes.join(' ')}`);
    assert.ok(tally.leftOpen >= chosen.length, `each chosen kill left its change open: ${tally.outcomes.join(' ')}`);

    const resumed = await apply();
    assert.equal(resumed.status, 0, resumed.stderr);
    const planned = resumed.json<{ document: unknown; target: string; done: number }>();
    const mine = [...org.policies.values()].filter((p) => p.name === SCP_NAME);
    assert.equal(mine.length, 1, 'one SCP, created once');
    assert.deepEqual(JSON.parse(mine[0].content), planned.document, 'with exactly the planned document');
    assert.deepEqual([...mine[0].targets], [org.rootId], 'attached exactly to the planned target');
    assert.equal(openJournalEntries(state()), 0, 'every entry a kill left open was settled');
    const done = doneSteps(state(), since);
    assert.deepEqual(
      [...done].sort(),
      [
        [`scp.attach:${SCP_NAME}:${org.rootId}`, 1],
        [`scp.create:${SCP_NAME}`, 1],
      ],
      'each change journaled done once, with its undo kept for rollback',
    );
    assert.equal(planned.done, 1, 'the resumed run made only the attach');
    assert.match(
      resumed.stderr,
      /Settled 1 change\(s\) an interrupted run left open: 0 had taken effect, 1 planned again/,
    );
  });
});
