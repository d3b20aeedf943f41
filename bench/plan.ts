/**
 * Plan time on a `large`-like estate: 50 accounts × 100 IAM users (5,000), a realistic mix of AWS managed job
 * functions, group policies, customer managed and per-user inline policies, then `planMigration` end to end
 * (bundles, permission sets, groups, identity mapping, parity for every human). Target: under 30 seconds.
 *
 *     node --import tsx bench/plan.ts [accounts] [usersPerAccount]
 */
import { loadActionCatalog } from '../src/catalog/action-catalog.js';
import { awsManagedDocuments } from '../src/catalog/managed-policies.js';
import { resolveIdentities } from '../src/core/identity-map.js';
import type { Category } from '../src/core/model.js';
import { planMigration } from '../src/core/plan.js';
import { defaultPlanSettings } from '../src/core/plan-settings.js';
import { createPolicyCompiler } from '../src/core/policy/compile.js';
import { createExpander } from '../src/core/policy/expand.js';
import { SnapshotBuilder } from '../test/helpers/snapshot-builder.js';

const accounts = Number(process.argv[2] ?? 50);
const perAccount = Number(process.argv[3] ?? 100);
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
  `plan time (identity mapping + planMigration): ${planSeconds.toFixed(2)} s; with catalog load: ${((tPlan - tBuild) / 1000).toFixed(2)} s`,
);
console.log(
  `target: under ${TARGET_S} s → ${planSeconds < TARGET_S ? 'met' : 'MISSED'} (${(TARGET_S / planSeconds).toFixed(1)}× headroom)`,
);
