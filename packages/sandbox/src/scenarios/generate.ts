/**
 * The seeded generator: an organization of a given size with the people, services, groups and policies a
 * legacy estate has grown, as an EstateSpec. The same rng state always yields the same spec.
 */
import type { Rng } from '../rng.js';
import { GROUP_INLINE_DOCS, standardPolicies } from './catalog.js';
import {
  type AccountContext,
  breakGlassUser,
  consoleUser,
  programmaticUser,
  serviceUser,
  staleUser,
} from './generate-users.js';
import { drawPeople, memberAccount, type Person } from './names.js';
import { type AccountSpec, blankUser, type EstateSpec, type GroupSpec, type UserSpec } from './spec.js';
import type { ScenarioName } from './types.js';

/** Accounts and users per account of the built-in sizes. */
export const SIZES: Record<ScenarioName, { accounts: number; usersPerAccount: number }> = {
  small: { accounts: 4, usersPerAccount: 15 },
  medium: { accounts: 10, usersPerAccount: 30 },
  large: { accounts: 50, usersPerAccount: 100 },
};

/** The management account's id in generated estates. */
export const MANAGEMENT_ACCOUNT_ID = '111111111111';

/** OUs every generated organization has, parents first. */
export const STANDARD_OUS = [
  'Security',
  'Infrastructure',
  'Workloads',
  'Workloads/Prod',
  'Workloads/NonProd',
  'Sandbox',
];

const DOMAIN = 'example.com';

function group(name: string, policies: string[], inline: string[] = []): GroupSpec {
  return {
    name,
    path: '/',
    policies,
    inlinePolicies: Object.fromEntries(inline.map((n) => [n, GROUP_INLINE_DOCS[n]])),
  };
}

/** The groups of an account, and the ones its people join (most common first). */
function accountGroups(name: string, management: boolean): { groups: GroupSpec[]; human: string[] } {
  const groups = [
    group('Admins', ['AdministratorAccess']),
    group('Developers', ['PowerUserAccess'], ['DenyProductionDeletes', 'AllowPassRoleToLambda']),
    group('ReadOnly', ['ReadOnlyAccess', 'job-function/ViewOnlyAccess'], ['ManageOwnCredentials']),
    group('Deployers', ['CiDeployPolicy']),
  ];
  const human = ['Developers', 'ReadOnly', 'Admins'];
  if (management) {
    groups.push(group('Billing', ['job-function/Billing', 'AWSBillingReadOnlyAccess']));
    human.splice(1, 0, 'Billing');
  }
  if (name === 'data' || name === 'analytics') {
    groups.push(
      group(
        'DataEngineers',
        ['AmazonS3FullAccess', 'AmazonAthenaFullAccess', 'AWSGlueConsoleFullAccess'],
        ['AthenaResultsBucket'],
      ),
    );
    human.unshift('DataEngineers');
  }
  if (name === 'security' || name === 'logging') {
    groups.push(group('SecurityAuditors', ['SecurityAudit', 'job-function/ViewOnlyAccess']));
    human.unshift('SecurityAuditors');
  }
  if (name === 'production') {
    groups.push(group('Operators', ['job-function/SystemAdministrator', 'CloudWatchLogsFullAccess']));
    human.splice(1, 0, 'Operators');
  }
  if (name === 'network') {
    groups.push(group('NetworkAdmins', ['job-function/NetworkAdministrator']));
    human.unshift('NetworkAdmins');
  }
  return { groups, human };
}

function distinctAccountId(rng: Rng, used: Set<string>): string {
  for (;;) {
    const id = String(rng.int(1, 9)) + rng.chars(11, '0123456789');
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/** People for one account, none twice, drawn from the pool so that many people have users in several accounts. */
function drawFrom(rng: Rng, pool: Person[], count: number): Person[] {
  const chosen = new Set<number>();
  const limit = Math.min(count, pool.length);
  while (chosen.size < limit) chosen.add(rng.int(0, pool.length - 1));
  return [...chosen].map((i) => pool[i]);
}

function categoryCounts(users: number): { console: number; programmatic: number; service: number; stale: number } {
  const console = Math.round(users * 0.35);
  const programmatic = Math.round(users * 0.15);
  const service = Math.min(Math.round(users * 0.3), users - console - programmatic);
  return { console, programmatic, service, stale: users - console - programmatic - service };
}

/** The operator whose key the sandbox hands out: an admin of the management account using the CLI. */
export function operatorUser(owner?: Person): UserSpec {
  const user = blankUser('sandbox-operator', 'human-programmatic', 30);
  user.operator = true;
  if (owner) Object.assign(user, { upn: owner.upn, givenName: owner.givenName, surname: owner.surname });
  user.policies.push('AdministratorAccess');
  user.keys.push({ ageDays: 20, lastUsedDaysAgo: 1, status: 'Active', client: 'aws-cli' });
  user.tags = { purpose: 'sandbox-operator' };
  user.sourceIps = ['203.0.113.7'];
  return user;
}

/** Generates an estate of `accounts` accounts with `usersPerAccount` generated users each (plus the operator). */
export function generateEstate(rng: Rng, accounts: number, usersPerAccount: number): EstateSpec {
  const counts = categoryCounts(usersPerAccount);
  const humansPerAccount = counts.console + counts.programmatic;
  const activeCount = Math.max(humansPerAccount + 2, Math.min(20_000, Math.ceil(humansPerAccount * accounts * 0.6)));
  const leaverCount = Math.max(counts.stale + 1, Math.ceil(counts.stale * accounts * 0.5));
  const everyone = drawPeople(rng, activeCount + leaverCount, DOMAIN);
  const active = everyone.slice(0, activeCount);
  const leavers = everyone.slice(activeCount);
  const lead = active[0];
  const usedIds = new Set([MANAGEMENT_ACCOUNT_ID]);
  const noMfaIndex = accounts > 1 ? rng.int(1, accounts - 1) : 0;
  const rootKeysIndex = accounts > 2 ? (noMfaIndex % (accounts - 1)) + 1 : accounts - 1;
  const counters = { console: 0, programmatic: 0, service: 0, stale: 0 };
  const specs: AccountSpec[] = [];
  for (let i = 0; i < accounts; i++) {
    const management = i === 0;
    const member = management ? { name: 'management', ou: '', env: 'mgmt' } : memberAccount(i - 1);
    const { groups, human } = accountGroups(member.name, management);
    const ctx: AccountContext = {
      rng,
      accountName: member.name,
      env: member.env,
      style: i % 3 === 2 ? 'flast' : 'first.last',
      taken: new Set(),
      humanGroups: human,
      counters,
      servicesHere: 0,
      legacyHere: 0,
    };
    const users: UserSpec[] = [];
    let remaining = { ...counts };
    if (management) {
      users.push(operatorUser(lead));
      ctx.taken.add('sandbox-operator');
      if (usersPerAccount > 0) {
        users.push(breakGlassUser(ctx, lead));
        remaining = categoryCounts(usersPerAccount - 1);
      }
    }
    const people = drawFrom(rng, active, remaining.console + remaining.programmatic);
    for (let k = 0; k < remaining.console; k++) users.push(consoleUser(ctx, people[k % people.length]));
    for (let k = 0; k < remaining.programmatic; k++)
      users.push(programmaticUser(ctx, people[(remaining.console + k) % people.length]));
    for (let k = 0; k < remaining.service; k++) users.push(serviceUser(ctx));
    const gone = drawFrom(rng, leavers, remaining.stale);
    for (let k = 0; k < remaining.stale; k++) users.push(staleUser(ctx, gone[k % gone.length]));
    specs.push({
      id: management ? MANAGEMENT_ACCOUNT_ID : distinctAccountId(rng, usedIds),
      name: member.name,
      email: `aws-${member.name}@${DOMAIN}`,
      alias: i > 0 && i % 5 === 3 ? undefined : `acme-${member.name}`,
      ou: member.ou,
      management,
      rootMfa: i !== noMfaIndex,
      rootAccessKeys: i === rootKeysIndex,
      policies: standardPolicies(member.name),
      groups,
      users,
    });
  }
  const abandoned = specs.length > 1 ? { [specs[1].id]: ['new-hire-phone'] } : {};
  return { domain: DOMAIN, organizationalUnits: STANDARD_OUS, accounts: specs, abandonedMfaDevices: abandoned };
}
