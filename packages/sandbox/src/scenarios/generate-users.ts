/**
 * Builders for each kind of IAM user in a generated estate. Variations (no MFA, old keys, a second key,
 * AdministratorAccess attached directly...) cycle on an organization-wide counter per category, so that
 * every variation appears even in the small scenario; seeded draws pick names, ages and clients.
 * Every age keeps clear of the 90-day threshold: "recent" is at most 60 days, "old" at least 150.
 */
import type { Rng } from '../rng.js';
import { DEV_S3_EC2_DOC, FULL_ACCESS_INLINE_DOC, serviceInlineDoc } from './catalog.js';
import { humanIps, serviceIps } from './clients.js';
import { LEGACY_SERVICE_NAMES, type NamingStyle, type Person, personUserName, serviceIdentity } from './names.js';
import { blankUser, type ClientName, type KeySpec, type UserSpec } from './spec.js';

/** What the builders share within one account. */
export type AccountContext = {
  rng: Rng;
  accountName: string;
  env: string;
  style: NamingStyle;
  /** User names already taken in the account. */
  taken: Set<string>;
  /** Groups people of this account join, most common first. */
  humanGroups: string[];
  /** Organization-wide counters per category, driving the variations. */
  counters: Record<'console' | 'programmatic' | 'service' | 'stale', number>;
  /** Services built in this account so far (names come from a list in order). */
  servicesHere: number;
  legacyHere: number;
};

const range = (rng: Rng, min: number, max: number) => min + rng.next() * (max - min);
const HUMAN_CLIENTS: ClientName[] = ['aws-cli', 'terraform', 'boto3-laptop'];

function uniqueName(ctx: AccountContext, base: string): string {
  let name = base;
  for (let n = 2; ctx.taken.has(name); n++) name = `${base}${n}`;
  ctx.taken.add(name);
  return name;
}

function personUser(ctx: AccountContext, person: Person, category: UserSpec['category'], created: number): UserSpec {
  const user = blankUser(uniqueName(ctx, personUserName(person, ctx.style)), category, created);
  user.upn = person.upn;
  user.givenName = person.givenName;
  user.surname = person.surname;
  user.sourceIps = humanIps(ctx.rng);
  return user;
}

function pickGroups(ctx: AccountContext): string[] {
  const groups = [ctx.humanGroups[0]];
  if (ctx.humanGroups.length > 1 && ctx.rng.chance(0.5)) {
    const other = ctx.rng.pick(ctx.humanGroups.slice(1));
    groups.push(other);
  }
  return groups;
}

function recentKey(rng: Rng, client: string, maxLastUsed: number, old: boolean): KeySpec {
  const ageDays = old ? range(rng, 150, 700) : range(rng, 12, 60);
  return { ageDays, lastUsedDaysAgo: range(rng, 0.02, Math.min(maxLastUsed, ageDays - 1)), status: 'Active', client };
}

/** A person who signs in to the console, most with MFA, some with a CLI key too. */
export function consoleUser(ctx: AccountContext, person: Person): UserSpec {
  const { rng } = ctx;
  const c = ctx.counters.console++;
  const user = personUser(ctx, person, 'human-console', range(rng, 200, 1500));
  user.password = { lastUsedDaysAgo: range(rng, 0.05, 30), createdDaysAgo: user.createdDaysAgo - range(rng, 0, 2) };
  user.mfa = c % 5 !== 3;
  if (c % 4 === 1) user.keys.push(recentKey(rng, rng.pick(HUMAN_CLIENTS), 25, c % 8 === 1));
  if (c % 7 === 2) user.policies.push('AdministratorAccess');
  else user.groups = pickGroups(ctx);
  if (c % 6 === 4) user.inlinePolicies['my-app-bucket-access'] = DEV_S3_EC2_DOC;
  if (c % 5 === 0) user.policies.push('DevS3AndEC2Access');
  if (c % 4 === 3) user.policies.push('IAMUserChangePassword');
  if (c % 9 === 5) user.permissionsBoundary = 'DeveloperBoundary';
  if (c % 3 === 0) user.tags.email = person.upn;
  if (c % 4 === 0) user.tags.team = rng.pick(['platform', 'payments', 'data', 'web', 'mobile', 'sre']);
  return user;
}

/** A person who works only through keys: the CLI, Terraform or scripts from a laptop. */
export function programmaticUser(ctx: AccountContext, person: Person): UserSpec {
  const { rng } = ctx;
  const p = ctx.counters.programmatic++;
  const user = personUser(ctx, person, 'human-programmatic', range(rng, 200, 1200));
  user.keys.push(recentKey(rng, HUMAN_CLIENTS[p % 3], 20, p % 3 === 1));
  if (p % 8 === 2) user.keys.push({ ageDays: range(rng, 10, 45), status: 'Active', client: 'aws-cli' });
  if (p % 8 === 6) {
    const ageDays = range(rng, 300, 800);
    user.keys.unshift({ ageDays, lastUsedDaysAgo: range(rng, 150, 280), status: 'Active', client: 'aws-cli' });
  }
  if (p % 5 === 3) user.sshKeys = 1;
  if (p % 6 === 4) user.policies.push('AdministratorAccess');
  else user.groups = pickGroups(ctx);
  if (p % 4 === 0) user.permissionsBoundary = 'DeveloperBoundary';
  if (p % 5 === 1) user.inlinePolicies['my-app-bucket-access'] = DEV_S3_EC2_DOC;
  if (p % 2 === 0) user.tags.email = person.upn;
  return user;
}

const PURPOSE_POLICIES: Record<string, string[]> = {
  ci: ['CiDeployPolicy', 'AmazonEC2ContainerRegistryPowerUser'],
  backup: ['S3BackupWriter'],
  monitoring: ['CloudWatchReadOnlyAccess'],
  app: ['ReadAppSecrets'],
  etl: ['AmazonS3FullAccess', 'AmazonAthenaFullAccess'],
};

/** A pipeline, application or integration using keys through an SDK. */
export function serviceUser(ctx: AccountContext): UserSpec {
  const { rng } = ctx;
  const s = ctx.counters.service++;
  const identity = serviceIdentity(ctx.servicesHere++, ctx.env);
  const user = blankUser(uniqueName(ctx, identity.name), 'service', range(rng, 200, 1500));
  user.path = s % 5 === 2 ? '/service-accounts/' : '/';
  const client = identity.client;
  const main: KeySpec = {
    ageDays: s % 2 === 0 ? range(rng, 200, 1000) : range(rng, 15, 60),
    lastUsedDaysAgo: range(rng, 0.002, 2),
    status: 'Active',
    client,
  };
  user.keys.push(main);
  if (s % 10 === 9) user.keys.push({ ageDays: range(rng, 10, 40), status: 'Active', client });
  else if (s % 4 === 1) user.keys.push({ ...main, ageDays: range(rng, 5, 30), lastUsedDaysAgo: range(rng, 0.002, 1) });
  if (s % 6 === 3 && user.keys.length === 1) {
    // Rotated: the current key replaced one that is now deactivated (and was used until the switch).
    main.ageDays = range(rng, 10, 30);
    const switched = main.ageDays - range(rng, 0.5, 2);
    user.keys.unshift({ ageDays: range(rng, 40, 60), lastUsedDaysAgo: switched, status: 'Inactive', client });
  }
  if (s % 7 === 5) user.policies.push('AdministratorAccess');
  else user.policies.push(...PURPOSE_POLICIES[identity.purpose]);
  if (identity.purpose !== 'ci' && identity.purpose !== 'etl')
    user.inlinePolicies[`${identity.purpose}-access`] = serviceInlineDoc(identity.purpose, ctx.accountName);
  if (identity.purpose === 'ci' && s % 3 === 0) user.groups.push('Deployers');
  if (s % 9 === 7) user.codeCommitCredential = true;
  if (s % 11 === 8) user.signingCertificates = 1;
  if (s % 4 !== 3) {
    user.tags.purpose = identity.purpose;
    user.tags.owner = `team-${rng.pick(['platform', 'payments', 'data', 'web', 'sre'])}`;
    user.tags.environment = ctx.env;
  }
  user.sourceIps = serviceIps(rng, client);
  return user;
}

/** The organization's emergency admin: password and MFA, AdministratorAccess, signed in once a quarter. */
export function breakGlassUser(ctx: AccountContext, owner: Person): UserSpec {
  const { rng } = ctx;
  const user = blankUser(uniqueName(ctx, 'breakglass-admin'), 'break-glass', range(rng, 700, 1200));
  user.upn = owner.upn;
  user.givenName = owner.givenName;
  user.surname = owner.surname;
  user.password = { lastUsedDaysAgo: range(rng, 35, 55), createdDaysAgo: user.createdDaysAgo - 1 };
  user.mfa = true;
  user.policies.push('AdministratorAccess');
  user.tags = { purpose: 'break-glass', owner: owner.upn };
  user.sourceIps = humanIps(rng);
  return user;
}

/** Someone or something gone: no activity for months, keys never used, or nothing at all. */
export function staleUser(ctx: AccountContext, leaver: Person): UserSpec {
  const { rng } = ctx;
  const t = ctx.counters.stale++;
  const kind = t % 5;
  const created = range(rng, 500, 1500);
  const oldKey = (client: string): KeySpec => {
    const ageDays = range(rng, 300, Math.min(900, created - 1));
    return { ageDays, lastUsedDaysAgo: range(rng, 150, Math.min(400, ageDays - 5)), status: 'Active', client };
  };
  let user: UserSpec;
  if (kind === 3) {
    const base = LEGACY_SERVICE_NAMES[ctx.legacyHere++ % LEGACY_SERVICE_NAMES.length];
    user = blankUser(uniqueName(ctx, base), 'stale', created);
    user.keys.push(oldKey(rng.pick(['boto3', 'sdk-java', 'jenkins'])));
    user.sourceIps = serviceIps(rng, 'boto3');
    if (t % 10 === 8) user.password = { lastUsedDaysAgo: range(rng, 200, 480), createdDaysAgo: created - 2 };
    user.policies.push(rng.pick(['AmazonS3FullAccess', 'PowerUserAccess', 'AmazonEC2FullAccess']));
    if (t % 3 === 0) user.inlinePolicies['legacy-full-access'] = FULL_ACCESS_INLINE_DOC;
    return user;
  }
  user = personUser(ctx, leaver, 'stale', created);
  user.leaver = true;
  user.groups = pickGroups(ctx);
  if (kind === 0) {
    user.password = { lastUsedDaysAgo: range(rng, 150, 480), createdDaysAgo: created - 1 };
    user.mfa = t % 3 !== 2;
  } else if (kind === 1) {
    user.keys.push(oldKey('aws-cli'));
  } else if (kind === 2) {
    user.keys.push({ ageDays: range(rng, 150, Math.min(600, created - 1)), status: 'Active', client: 'aws-cli' });
    user.tags.contractor = 'true';
  } else if (t % 10 !== 9) {
    user.password = { lastUsedDaysAgo: range(rng, 150, 400), createdDaysAgo: created - 1 };
    user.keys.push(oldKey('aws-cli'));
  }
  return user;
}
