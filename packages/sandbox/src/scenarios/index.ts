/** Builds a sandbox world from scenario options: a seeded built-in size or a YAML file describing an estate. */

import { buildEntraTenant } from '../entra/tenant.js';
import { World } from '../world/world.js';
import { seedDirectSaml } from './direct-saml.js';
import { seedExistingIdentityCenter } from './existing-iic.js';
import { generateEstate, operatorUser, SIZES } from './generate.js';
import { generateHistory } from './history.js';
import {
  addAbandonedMfaDevices,
  type MaterializeContext,
  materializeAccountIam,
  type UserActivity,
} from './materialize-iam.js';
import { materializeOrganization } from './materialize-org.js';
import type { EstateSpec } from './spec.js';
import { ageMigratedPeople, generateSsoHistory } from './sso-history.js';
import { rootTraits, userTraits } from './traits.js';
import type { Manifest, ManifestUser, OperatorCredentials, ScenarioName, ScenarioOptions } from './types.js';
import { loadScenarioFile } from './yaml-load.js';

export type BuiltScenario = { world: World; manifest: Manifest; operator: OperatorCredentials };

/**
 * The other starting points: a built-in size changed after it is built (`existing-iic`: Identity Center already in
 * use with its own directory).
 */
const STARTING_POINTS: Record<string, { base: ScenarioName; accounts?: number; extend(built: BuiltScenario): void }> = {
  'existing-iic': {
    base: 'small',
    extend(built) {
      built.manifest.existingIdentityCenter = seedExistingIdentityCenter(built.world, built.manifest);
    },
  },
  // One account outside any organization: no Organizations, no Identity Center instance.
  standalone: {
    base: 'small',
    accounts: 1,
    extend(built) {
      built.world.organization = undefined;
      built.world.sso = undefined;
    },
  },
  'direct-saml': {
    base: 'small',
    extend(built) {
      built.manifest.directSaml = seedDirectSaml(built.world, built.manifest);
    },
  },
};

/** True when `scenario` names a built-in size or starting point rather than a file. */
export function isBuiltInScenario(scenario: string): boolean {
  return Object.hasOwn(SIZES, scenario) || Object.hasOwn(STARTING_POINTS, scenario);
}

function manifestUser(a: UserActivity, traits: ManifestUser['traits']): ManifestUser {
  const { spec } = a;
  const entry: ManifestUser = { accountId: a.accountId, userName: a.user.userName, category: spec.category, traits };
  if (spec.upn) entry.upn = spec.upn;
  if (spec.givenName) entry.givenName = spec.givenName;
  if (spec.surname) entry.surname = spec.surname;
  if (spec.leaver) entry.leaver = true;
  if (spec.operator) entry.operator = true;
  return entry;
}

function ensureOperator(estate: EstateSpec): void {
  const management = estate.accounts.find((a) => a.management)!;
  if (!management.users.some((u) => u.name === 'sandbox-operator')) management.users.unshift(operatorUser());
}

/** Turns an estate into world state, CloudTrail history and the manifest that describes it. */
export function materializeEstate(world: World, estate: EstateSpec, options: ScenarioOptions, at: Date): BuiltScenario {
  ensureOperator(estate);
  const ctx: MaterializeContext = { world, rng: world.rng, nowMs: Math.floor(at.getTime() / 1000) * 1000 };
  const now = new Date(ctx.nowMs);
  const accounts = materializeOrganization(ctx, estate);
  const activities = estate.accounts.flatMap((spec, i) => materializeAccountIam(ctx, accounts[i], spec));
  for (const account of accounts) addAbandonedMfaDevices(ctx, account, estate.abandonedMfaDevices?.[account.id] ?? []);
  ageMigratedPeople(options.seed, ctx.nowMs, activities);
  generateHistory(ctx, accounts, activities);
  const management = accounts[estate.accounts.findIndex((a) => a.management)];
  const operatorKey = management.iam.users.get('sandbox-operator')!.accessKeys[0];
  const manifest: Manifest = {
    seed: options.seed,
    scenario: options.scenario,
    domain: estate.domain,
    managementAccountId: management.id,
    accounts: estate.accounts.map((spec, i) => ({
      id: accounts[i].id,
      name: spec.name,
      email: spec.email,
      ...(spec.alias ? { alias: spec.alias } : {}),
      ou: spec.ou,
      rootTraits: rootTraits(accounts[i].iam),
    })),
    users: activities.map((a) => manifestUser(a, userTraits(a.user, world.account(a.accountId).iam, now))),
  };
  generateSsoHistory(world, options.seed, ctx.nowMs, activities, manifest.users);
  buildEntraTenant(world, manifest);
  return {
    world,
    manifest,
    operator: { accessKeyId: operatorKey.accessKeyId, secretAccessKey: operatorKey.secretAccessKey },
  };
}

/** A world with the organization, accounts, people and history the options describe. */
export function buildScenario(options: ScenarioOptions): BuiltScenario {
  const start = Object.hasOwn(STARTING_POINTS, options.scenario) ? STARTING_POINTS[options.scenario] : null;
  if (start) {
    const built = buildScenario({ ...options, scenario: start.base, accounts: start.accounts ?? options.accounts });
    built.manifest.scenario = options.scenario;
    start.extend(built);
    return built;
  }
  const at = options.now ?? new Date();
  const world = new World({ seed: options.seed, start: at });
  world.cloudTrailDeliveryDelayMs = options.cloudTrailDeliveryDelayMs;
  let estate: EstateSpec;
  if (isBuiltInScenario(options.scenario)) {
    const size = SIZES[options.scenario as ScenarioName];
    const accounts = options.accounts ?? size.accounts;
    const users = options.usersPerAccount ?? size.usersPerAccount;
    estate = generateEstate(world.rng, accounts, users);
  } else {
    estate = loadScenarioFile(options.scenario, world.rng);
  }
  return materializeEstate(world, estate, options, at);
}
