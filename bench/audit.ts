/**
 * `iam2sso audit` against the per-user CLI loop of the seed guide, on the `large` sandbox estate
 * (50 accounts x 100 users) with 20 ms of latency injected into every AWS call.
 *
 * The baseline is the seed's audit-iam-users.sh, per account: the credential report (generate, wait, get),
 * list-users, then per user get-login-profile, list-access-keys, list-attached-user-policies,
 * list-user-policies (+ get-user-policy for each), list-groups-for-user and list-mfa-devices, one after the
 * other as the script runs them. It is written here with the AWS SDK v3 (no CLI process start per call, so
 * it is faster than the real script). By default it is measured on the first 3 accounts and extrapolated by
 * users; `--baseline-accounts 50` measures it on the whole `large` estate (about 15 minutes).
 *
 *   node --import tsx bench/audit.ts [--scenario large] [--latency-ms 20] [--baseline-accounts 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetUserPolicyCommand,
  IAMClient,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListUserPolicies,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type RunningSandbox, startSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { ApiCallCounter } from '../src/aws/clients.js';
import { printBenchHeader } from './machine.js';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'large' },
    seed: { type: 'string', default: '1' },
    'latency-ms': { type: 'string', default: '20' },
    'baseline-accounts': { type: 'string', default: '3' },
  },
});

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

type AuditResult = { wallMs: number; apiCalls: number; users: number; accounts: number; retries: number };

function runAuditCli(sandbox: RunningSandbox, state: string, extra: string[]): Promise<AuditResult> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...sandboxClientEnv(sandbox.info),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    NODE_NO_WARNINGS: '1',
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=iam2sso-source',
        '--import',
        'tsx',
        MAIN,
        'audit',
        '--json',
        '--no-progress',
        '--state',
        state,
        ...extra,
      ],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`audit exited ${code}: ${err}`));
      const j = JSON.parse(out) as { apiCalls: number; users: number; accounts: unknown[]; retries: number };
      resolve({
        wallMs: performance.now() - started,
        apiCalls: j.apiCalls,
        users: j.users,
        accounts: j.accounts.length,
        retries: j.retries,
      });
    });
  });
}

/** The seed guide's per-user loop in one account, sequential like the shell script. */
async function baselineAccount(iam: IAMClient): Promise<number> {
  let users = 0;
  await iam.send(new GenerateCredentialReportCommand({}));
  for (;;) {
    const gen = await iam.send(new GenerateCredentialReportCommand({}));
    if (gen.State === 'COMPLETE') break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  await iam.send(new GetCredentialReportCommand({}));
  const names: string[] = [];
  for await (const page of paginateListUsers({ client: iam }, {}))
    for (const u of page.Users ?? []) names.push(u.UserName!);
  for (const user of names) {
    users++;
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: user }));
    } catch {
      // "Console access: DISABLED"
    }
    for await (const _ of paginateListAccessKeys({ client: iam }, { UserName: user })) {
    }
    for await (const _ of paginateListAttachedUserPolicies({ client: iam }, { UserName: user })) {
    }
    for await (const page of paginateListUserPolicies({ client: iam }, { UserName: user }))
      for (const name of page.PolicyNames ?? [])
        await iam.send(new GetUserPolicyCommand({ UserName: user, PolicyName: name }));
    for await (const _ of paginateListGroupsForUser({ client: iam }, { UserName: user })) {
    }
    for await (const _ of paginateListMFADevices({ client: iam }, { UserName: user })) {
    }
  }
  return users;
}

function counted<T extends { middlewareStack: IAMClient['middlewareStack'] }>(client: T, counter: ApiCallCounter): T {
  client.middlewareStack.add(
    (next) => (a) => {
      counter.attempts.set('all', (counter.attempts.get('all') ?? 0) + 1);
      return next(a);
    },
    { step: 'initialize', name: 'benchCounter' },
  );
  return client;
}

async function runBaseline(
  sandbox: RunningSandbox,
  accounts: string[],
): Promise<{ wallMs: number; apiCalls: number; users: number }> {
  const counter = new ApiCallCounter();
  const config = { endpoint: sandbox.info.endpoint, region: sandbox.info.region, maxAttempts: 10 };
  const sts = counted(new STSClient({ ...config, credentials: sandbox.info.credentials }), counter);
  const started = performance.now();
  let users = 0;
  for (const id of accounts) {
    let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = sandbox.info.credentials;
    if (id !== sandbox.info.managementAccountId) {
      const role = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
          RoleSessionName: 'seed-script',
        }),
      );
      credentials = {
        accessKeyId: role.Credentials!.AccessKeyId!,
        secretAccessKey: role.Credentials!.SecretAccessKey!,
        sessionToken: role.Credentials!.SessionToken,
      };
    }
    const iam = counted(new IAMClient({ ...config, credentials }), counter);
    users += await baselineAccount(iam);
    iam.destroy();
  }
  sts.destroy();
  return { wallMs: performance.now() - started, apiCalls: counter.total, users };
}

const fmt = (ms: number) => (ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`);

async function main(): Promise<void> {
  printBenchHeader();
  const latencyMs = Number(args['latency-ms']);
  const built = performance.now();
  const sandbox = await startSandbox({ scenario: args.scenario!, seed: Number(args.seed), port: 0, latencyMs });
  const accounts = sandbox.info.accounts.map((a) => a.id);
  const totalUsers = sandbox.manifest.users.length;
  console.log(
    `estate: ${args.scenario} (${accounts.length} accounts, ${totalUsers} IAM users), ${latencyMs} ms latency per call; built in ${fmt(performance.now() - built)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-bench-'));
  try {
    const rows: [string, AuditResult][] = [];
    for (const [name, extra] of [
      ['iam2sso audit', []],
      ['iam2sso audit --key-ids', ['--key-ids']],
      ['iam2sso audit --activity', ['--activity']],
    ] as [string, string[]][]) {
      // Let the previous run's credential reports expire (4 hours), so every run generates its own.
      sandbox.world.clock.advance(5 * 3600_000);
      rows.push([name, await runAuditCli(sandbox, join(dir, `${rows.length}.db`), extra)]);
    }
    const sample = accounts.slice(0, Math.min(accounts.length, Number(args['baseline-accounts'])));
    sandbox.world.clock.advance(5 * 3600_000);
    const base = await runBaseline(sandbox, sample);
    const scale = totalUsers / base.users;
    const baseline = { wallMs: base.wallMs * scale, apiCalls: Math.round(base.apiCalls * scale) };
    const whole = sample.length === accounts.length;
    console.log(
      `baseline (seed per-user loop, SDK, sequential): measured on ${sample.length} of ${accounts.length} accounts / ${base.users} users: ` +
        `${base.apiCalls} calls in ${fmt(base.wallMs)}; ` +
        (whole
          ? 'the whole estate, not extrapolated'
          : `extrapolated by users (x${scale.toFixed(1)}) to the whole estate`),
    );
    console.log('');
    console.log(
      `${'run'.padEnd(30)} ${'wall time'.padStart(10)} ${'API calls'.padStart(10)} ${'calls x fewer'.padStart(14)} ${'x faster'.padStart(9)}`,
    );
    console.log(
      `${(whole ? 'seed per-user loop' : 'seed per-user loop (extrap.)').padEnd(30)} ${fmt(baseline.wallMs).padStart(10)} ${String(baseline.apiCalls).padStart(10)} ${'1.0'.padStart(14)} ${'1.0'.padStart(9)}`,
    );
    for (const [name, r] of rows) {
      if (r.users !== totalUsers) console.log(`  warning: ${name} found ${r.users} of ${totalUsers} users`);
      console.log(
        `${name.padEnd(30)} ${fmt(r.wallMs).padStart(10)} ${String(r.apiCalls).padStart(10)} ${(baseline.apiCalls / r.apiCalls).toFixed(1).padStart(14)} ${(baseline.wallMs / r.wallMs).toFixed(1).padStart(9)}`,
      );
    }
    console.log('');
    console.log('Target: at least 50x fewer API calls and 20x less time than the per-user loop.');
    console.log(
      'Wall time of iam2sso includes starting Node; the baseline excludes the AWS CLI start per call (~0.3 s each in the real script).',
    );
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
