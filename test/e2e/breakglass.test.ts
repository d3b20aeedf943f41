import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetUserCommand, IAMClient, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { eventsCall } from '../../packages/sandbox/test/helpers/signed.js';
import { awsSettingsFromEnv } from '../../src/aws/clients.js';
import { breakGlassChecks } from '../../src/doctor/breakglass.js';
import { createIamChangePorts } from '../../src/iam-changes/runtime.js';
import { openStateDb } from '../../src/store/db.js';
import { iam2ssoArgv, runIam2sso, sandboxEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

/** Runs the CLI with `input` on stdin (the console password, as an operator pipes it). */
function runWithStdin(args: string[], env: Record<string, string>, input: string) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, iam2ssoArgv([...args]), { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(`${input}\n`);
  });
}

type Created = {
  run: string;
  user: string;
  account: string;
  rule: string;
  topic: string;
  consolePassword: string | null;
};

describe('iam2sso breakglass against the sandbox', () => {
  let sandbox: RunningSandbox;
  let env: Record<string, string>;
  let state: string;
  let iam: IAMClient;
  let created: Created;
  const args = () => ['--state', state, '--plan', join(state, '..', 'none.yaml')];
  before(async () => {
    sandbox = await startTestSandbox();
    env = sandboxEnv(sandbox);
    state = join(mkdtempSync(join(tmpdir(), 'iam2sso-bg-')), 'state.db');
    iam = new IAMClient(sdkConfig(sandbox));
    const out = await runInProcess(['breakglass', 'create', '--auto-approve', '--json', ...args()], env);
    assert.equal(out.status, 0, out.stderr);
    created = out.json<Created>();
  });
  after(() => sandbox.close());
  /** Doctor's break-glass checks over the product's own ports, pointed at the sandbox. */
  const doctorChecks = async () => {
    const settings = awsSettingsFromEnv({
      endpoint: sandbox.info.endpoint,
      region: sandbox.info.region,
      credentials: sandbox.info.credentials,
    });
    const ports = createIamChangePorts(settings, 'OrganizationAccountAccessRole');
    const db = await openStateDb(state);
    try {
      return await breakGlassChecks(db, ports, sandbox.info.region);
    } finally {
      ports.close();
      db.close();
    }
  };

  it('makes the user with the documented policy, tags and a console password shown once and stored nowhere', async () => {
    assert.equal(created.user, 'break-glass-admin');
    assert.ok(created.consolePassword && created.consolePassword.length >= 20);
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'break-glass-admin' }));
    assert.deepEqual(
      attached.AttachedPolicies?.map((p) => p.PolicyArn),
      ['arn:aws:iam::aws:policy/AdministratorAccess'],
    );
    assert.equal(
      readFileSync(state).includes(created.consolePassword!),
      false,
      'the password is not in the state database',
    );
    const again = await runInProcess(['breakglass', 'create', '--auto-approve', '--json', ...args()], env);
    assert.equal(again.json<Created>().consolePassword, null, 'a second run changes nothing and shows no password');
    const user = await iam.send(new GetUserCommand({ UserName: 'break-glass-admin' }));
    assert.deepEqual(user.User?.Tags?.find((x) => x.Key === 'purpose')?.Value, 'break-glass');
  });

  it('doctor reports the new user without MFA, its alarm in place', async () => {
    const checks = await doctorChecks();
    assert.deepEqual(
      checks.map((c) => [c.id, c.status]),
      [
        ['breakglass.mfa', 'error'],
        ['breakglass.alarm', 'ok'],
      ],
    );
  });

  it('delivers the alarm to the topic when someone signs in as the user', async () => {
    const rule = await eventsCall(sandbox, 'DescribeRule', { Name: created.rule });
    assert.equal(rule.State, 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    const out = await runWithStdin(
      ['breakglass', 'test', '--password-stdin', ...args()],
      { ...env, NODE_PATH: '' },
      created.consolePassword!,
    );
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /signed in to the console as break-glass-admin/);
    assert.match(
      out.stdout,
      /alarm delivered to arn:aws:sns:us-east-1:\d{12}:iam2sso-break-glass-alarm: AWS Console Sign In via CloudTrail ConsoleLogin/,
    );
  });

  it('rolls back what it made (`rollback RUN`), after which the test reports the alarm missing', async () => {
    const back = await runInProcess(['rollback', created.run, '--auto-approve', '--json', '--state', state], env);
    assert.equal(back.status, 0, back.stderr);
    assert.equal(back.json<{ undone: number }>().undone, 6);
    await assert.rejects(iam.send(new GetUserCommand({ UserName: 'break-glass-admin' })), {
      name: 'NoSuchEntityException',
    });
    const gone = await eventsCall(sandbox, 'DescribeRule', { Name: created.rule });
    assert.equal(gone.__type, 'ResourceNotFoundException');
    const afterRollback = await doctorChecks();
    assert.deepEqual(afterRollback, [], 'the user is no longer known as a break-glass user');
    const test = await runInProcess(['breakglass', 'test', ...args()], env);
    assert.equal(test.status, 1);
    assert.match(test.stdout, /no EventBridge rule watches break-glass-admin/);
  });
  it('finishes a run killed right after making the user, without making anything twice', async () => {
    const killedArgs = ['breakglass', 'create', '--user', 'bg-killed', '--auto-approve', '--json', ...args()];
    const killed = await runIam2sso(killedArgs, { ...env, IAM2SSO_KILL_AT: 'result:2' });
    assert.notEqual(killed.status, 0);
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'bg-killed' }))).User?.UserName, 'bg-killed');
    const resumed = await runInProcess(killedArgs, env);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.doesNotMatch(resumed.stderr, /^\+ IAM user bg-killed in \d+$/m, 'the user is not made again');
    assert.ok(resumed.json<Created>().consolePassword, 'the password comes with the run that set it');
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'bg-killed' }));
    assert.equal(attached.AttachedPolicies?.length, 1);
    const rule = await eventsCall(sandbox, 'ListTargetsByRule', { Rule: 'iam2sso-break-glass-bg-killed' });
    assert.equal(rule.Targets.length, 1);
    // Rolling back every run not undone yet removes the user the killed run made, too.
    const back = await runInProcess(['breakglass', 'rollback', '--auto-approve', '--json', '--state', state], env);
    assert.equal(back.status, 0, back.stderr);
    await assert.rejects(iam.send(new GetUserCommand({ UserName: 'bg-killed' })), { name: 'NoSuchEntityException' });
  });
});
