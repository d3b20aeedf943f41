/**
 * Creates the organization of an estate: accounts (management first), OUs, placement, aliases, the root
 * users, `OrganizationAccountAccessRole` in every member account, the service-linked roles in every account, and
 * Identity Center in the management account.
 */
import { makeAwsId } from '../rng.js';
import {
  addAccountToOrganization,
  addOrganizationalUnit,
  createOrganization,
  createSsoInstance,
} from '../world/bootstrap.js';
import type { AccountState } from '../world/world.js';
import { ADMIN_ARN } from './catalog.js';
import { daysAgo, type MaterializeContext } from './materialize-iam.js';
import { addServiceLinkedRoles } from './service-linked-roles.js';
import type { AccountSpec, EstateSpec } from './spec.js';

/** The trust policy Organizations gives the role it creates in a new member account. */
export function organizationRoleTrust(managementAccountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
}

function ouPaths(estate: EstateSpec): string[] {
  const paths: string[] = [];
  const add = (path: string) => {
    if (!path || paths.includes(path)) return;
    const parent = path.split('/').slice(0, -1).join('/');
    add(parent);
    paths.push(path);
  };
  for (const p of estate.organizationalUnits) add(p);
  for (const a of estate.accounts) add(a.ou);
  return paths;
}

function setUpRoot(ctx: MaterializeContext, account: AccountState, spec: AccountSpec, ageDays: number): void {
  const root = account.iam.root;
  root.createDate = daysAgo(ctx, ageDays);
  root.mfaActive = spec.rootMfa;
  root.passwordLastUsed = daysAgo(ctx, 150 + ctx.rng.next() * 500);
  if (spec.rootAccessKeys) {
    const key = ctx.world.issueAccessKey(account.id, null, daysAgo(ctx, Math.min(ageDays - 1, 700)));
    key.lastUsed = { date: daysAgo(ctx, 200 + ctx.rng.next() * 200), serviceName: 's3', region: 'us-east-1' };
    root.accessKeys.push(key);
  }
}

/**
 * Account password policies as estates have them (no random draw, so seeds build what they did): the management
 * account a weak one (8 characters, reuse allowed, no expiry), the second account one that meets the CIS benchmark,
 * the others none.
 */
function setUpPasswordPolicy(account: AccountState, index: number): void {
  const base = {
    requireSymbols: true,
    requireNumbers: true,
    requireUppercaseCharacters: true,
    requireLowercaseCharacters: true,
    allowUsersToChangePassword: true,
    hardExpiry: false,
  };
  if (index === 0)
    account.iam.passwordPolicy = { ...base, minimumPasswordLength: 8, maxPasswordAge: 0, passwordReusePrevention: 0 };
  if (index === 1)
    account.iam.passwordPolicy = {
      ...base,
      minimumPasswordLength: 14,
      maxPasswordAge: 90,
      passwordReusePrevention: 24,
    };
}

function addOrganizationRole(ctx: MaterializeContext, account: AccountState, managementId: string, age: number) {
  account.iam.roles.set('OrganizationAccountAccessRole', {
    roleName: 'OrganizationAccountAccessRole',
    roleId: makeAwsId(ctx.rng, 'AROA'),
    path: '/',
    createDate: daysAgo(ctx, age),
    assumeRolePolicyDocument: organizationRoleTrust(managementId),
    description: '',
    maxSessionDuration: 3600,
    attachedPolicies: [ADMIN_ARN],
    inlinePolicies: new Map(),
    tags: [],
  });
}

/** Creates every account and the organization around them; returns the accounts in spec order. */
export function materializeOrganization(ctx: MaterializeContext, estate: EstateSpec): AccountState[] {
  const { world, rng } = ctx;
  const managementSpec = estate.accounts.find((a) => a.management)!;
  const management = world.addAccount(managementSpec.id, managementSpec.name, managementSpec.email);
  const org = createOrganization(world, management);
  const ouIds = new Map<string, string>([['', org.rootId]]);
  for (const path of ouPaths(estate)) {
    const parent = path.split('/').slice(0, -1).join('/');
    ouIds.set(path, addOrganizationalUnit(world, path.split('/').pop()!, ouIds.get(parent)!));
  }
  const orgAge = 1800 + rng.next() * 600;
  const accounts: AccountState[] = [];
  estate.accounts.forEach((spec, i) => {
    const account = spec.management ? management : world.addAccount(spec.id, spec.name, spec.email);
    const age = spec.management ? orgAge : orgAge - 30 - i * ((orgAge - 200) / estate.accounts.length);
    if (spec.management) {
      const entry = org.accounts.get(account.id)!;
      entry.joinedTimestamp = daysAgo(ctx, age);
      entry.parentId = ouIds.get(spec.ou) ?? org.rootId;
    }
    if (!spec.management)
      addAccountToOrganization(world, account, ouIds.get(spec.ou)!, 'CREATED').joinedTimestamp = daysAgo(ctx, age);
    if (spec.alias) account.iam.aliases.push(spec.alias);
    setUpRoot(ctx, account, spec, age);
    setUpPasswordPolicy(account, i);
    if (!spec.management) addOrganizationRole(ctx, account, management.id, age);
    addServiceLinkedRoles(account, daysAgo(ctx, age));
    accounts.push(account);
  });
  createSsoInstance(world, management.id);
  return accounts;
}
