/**
 * Plan time, two ways.
 * 1. The core alone: an in-memory `large`-like estate (50 accounts × 100 IAM users, a realistic mix of AWS managed
 *    job functions, group policies, customer managed and per-user inline policies) through identity mapping and
 *    `planMigration` (bundles, permission sets, groups, parity for every human). No I/O, no CLI.
 * 2. The real command: `iam2sso plan` through the built CLI (`bin/iam2sso.js`, so `npm run build` first) on the
 *    `large` sandbox estate, after an `iam2sso audit` into a fresh state database (not timed): process start,
 *    reading the audit from SQLite, the catalog, planning, and writing the plan file.
 * Target: under 30 seconds.
 *
 *     node --import tsx bench/plan.ts [accounts] [usersPerAccount] [--skip-cli]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { loadActionCatalog } from '../src/catalog/action-catalog.js';
import { awsManagedDocuments } from '../src/catalog/managed-policies.js';
import { resolveIdentities } from '../src/core/identity-map.js';
import type { Category } from '../src/core/model.js';
import { planMigration } from '../src/core/plan.js';
import { defaultPlanSettings } from '../src/core/plan-settings.js';
import { createPolicyCompiler } from '../src/core/policy/compile.js';
import { createExpander } from '../src/core/policy/expand.js';
import { SnapshotBuilder } from '../test/helpers/snapshot-builder.js';
import { printBenchHeader } from './machine.js';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const skipCli = process.argv.includes('--skip-cli');
const accounts = Number(positional[0] ?? 50);
const perAccount = Number(positional[1] ?? 100);
const BIN = fileURLToPath(new URL('../bin/iam2sso.js', import.meta.url));
const TARGET_S = 30;

const JOB_FUNCTIONS = [
  ['AdministratorAccess'],
  ['PowerUserAccess'],
  ['ReadOnlyAccess'],
  ['ViewOnlyAccess'],
  ['ReadOnlyAccess', 'Billing'],
  ['SecurityAudit'],
];
const SERVICES = [
  'AmazonS3FullAccess',
  'AmazonEC2FullAccess',
  'AmazonDynamoDBFullAccess',
  'AWSLambda_FullAccess',
  'CloudWatchFullAccess',
  'AmazonSQSFullAccess',
];

function build() {
  const b = new SnapshotBuilder('bench-run');
  let rng = 42;
  const next = (n: number) => {
    rng = (rng * 1103515245 + 12345) % 2147483648;
    return (rng >>> 8) % n;
  };
  for (let a = 0; a < accounts; a++) {
    const id = String(100000000000 + a);
    const acct = b.account(id, `account-${a}`, `acct${a}`);
    const team = acct.customerPolicy('TeamData', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
          Resource: `arn:aws:dynamodb:eu-west-1:${id}:table/team-*`,
        },
        { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' },
      ],
    });
    acct.group('Developers', {
      managed: ['AmazonS3ReadOnlyAccess'],
      inline: {
        app: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::app-${a % 5}/*` },
            { Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:StartInstances', 'ec2:StopInstances'], Resource: '*' },
          ],
        },
      },
    });
    acct.group('Data', { managed: [team, 'AmazonAthenaFullAccess'] });
    for (let u = 0; u < perAccount; u++) {
      const roll = next(100);
      const name = `user-${a}-${u}`;
      const tags = { email: `${name}@example.com` };
      const category: Category =
        roll < 70
          ? 'human-console'
          : roll < 80
            ? 'human-programmatic'
            : roll < 93
              ? 'service'
              : roll < 95
                ? 'break-glass'
                : 'stale';
      if (category === 'service') {
        acct.user(`svc-${a}-${u}`, {
          category,
          managed: [SERVICES[next(SERVICES.length)]],
          tags: { repository: `acme/app-${u}` },
        });
        continue;
      }
      const kind = next(10);
      if (kind < 4) acct.user(name, { category, managed: JOB_FUNCTIONS[next(JOB_FUNCTIONS.length)], tags });
      else if (kind < 7)
        acct.user(name, { category, groups: next(3) === 0 ? ['Developers', 'Data'] : ['Developers'], tags });
      else if (kind < 9)
        acct.user(name, {
          category,
          managed: [SERVICES[next(SERVICES.length)], SERVICES[next(SERVICES.length)]],
          tags,
        });
      else {
        acct.user(name, {
          category,
          tags,
          inline: {
            personal: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject', 's3:ListBucket'],
                  Resource: [`arn:aws:s3:::home-${name}`, `arn:aws:s3:::home-${name}/*`],
                },
                {
                  Effect: 'Allow',
                  Action: 'logs:*',
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
                },
              ],
            },
          },
        });
      }
    }
  }
  return b.build();
}

printBenchHeader();
const t0 = performance.now();
const built = build();
const tBuild = performance.now();
const catalog = await loadActionCatalog();
const tCatalog = performance.now();
const settings = defaultPlanSettings();
const users = built.snapshot.accounts.flatMap((a) => a.users);
const identities = await resolveIdentities(users, { settings: settings.identity, mapping: [] }, null);
const { plan } = planMigration({
  snapshot: built.snapshot,
  classifications: built.classifications,
  settings,
  compiler: createPolicyCompiler(createExpander(catalog)),
  managedDocuments: awsManagedDocuments,
  identities,
  previous: null,
  createdAt: new Date().toISOString(),
});
const tPlan = performance.now();

const migrating = plan.users.filter((u) => u.action === 'migrate');
const planSeconds = (tPlan - tCatalog) / 1000;
console.log(
  `estate: ${accounts} accounts × ${perAccount} users = ${users.length} IAM users (built in ${((tBuild - t0) / 1000).toFixed(2)} s)`,
);
console.log(
  `catalog: ${catalog.size.toLocaleString('en-US')} actions loaded in ${((tCatalog - tBuild) / 1000).toFixed(2)} s`,
);
console.log(
  `plan: ${plan.permissionSets.length} permission sets, ${plan.groups.length} groups, ${migrating.length} users migrating with parity checked, ${plan.serviceAccounts.length} service accounts`,
);
console.log(
  `core plan time (in memory: identity mapping + planMigration): ${planSeconds.toFixed(2)} s; with catalog load: ${((tPlan - tBuild) / 1000).toFixed(2)} s`,
);
console.log(
  `target: under ${TARGET_S} s → ${planSeconds < TARGET_S ? 'met' : 'MISSED'} (${(TARGET_S / planSeconds).toFixed(1)}× headroom)`,
);
if (!skipCli) await timeCliPlan();

/** Runs the built CLI with `args` against the sandbox's environment; fails the benchmark on a non-zero exit. */
function runBuiltCli(args: string[], env: Record<string, string>): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`iam2sso ${args[0]} exited ${r.status}: ${r.stderr}`);
  return performance.now() - started;
}

/** `iam2sso audit` (not timed), then `iam2sso plan` (timed), through the built CLI on the `large` sandbox. */
async function timeCliPlan(): Promise<void> {
  if (!existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))))
    throw new Error('dist/ is missing: run `npm run build` first (this part times the built CLI)');
  const sandbox = await startSandbox({ scenario: 'large', seed: 1, port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-bench-plan-'));
  try {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...sandboxClientEnv(sandbox.info),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      NODE_NO_WARNINGS: '1',
    };
    const state = join(dir, 'state.db');
    // spawnSync blocks this process, and the sandbox answers in it: audit runs asynchronously instead.
    const auditMs = await new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, [BIN, 'audit', '--no-progress', '--state', state], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      child.on('close', (code) =>
        code === 0 ? resolve(performance.now() - started) : reject(new Error(`audit exited ${code}: ${err}`)),
      );
    });
    const users = sandbox.manifest.users.length;
    await sandbox.close();
    // plan reads only the state database: the sandbox is closed, so nothing else competes for the CPU.
    const planMs = runBuiltCli(['plan', '--state', state, '--out', join(dir, 'migration-plan.yaml')], env);
    console.log(
      `iam2sso plan (built CLI, process start to exit) on the large sandbox estate (${sandbox.info.accounts.length} accounts, ${users} IAM users): ${(planMs / 1000).toFixed(2)} s (after an audit of ${(auditMs / 1000).toFixed(1)} s, not counted)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
