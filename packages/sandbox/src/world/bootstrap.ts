/**
 * Creates the organization, the Identity Center instance and the Entra tenant of a world. Scenarios call these;
 * protocol handlers then read and change the state they make.
 */
import { randomBytes } from 'node:crypto';
import type { EntraState } from './entra-state.js';
import type { OrgAccount, OrganizationState } from './organization-state.js';
import type { SsoState } from './sso-state.js';
import type { AccountState, World } from './world.js';

/** Content of the AWS managed SCP that every root, OU and account has attached by default. */
export const FULL_AWS_ACCESS_CONTENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/** Makes `management` the management account of a new organization with all features and FullAWSAccess. */
export function createOrganization(world: World, management: AccountState): OrganizationState {
  const orgId = `o-${world.rng.chars(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  const rootId = `r-${world.rng.chars(4, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  const org: OrganizationState = {
    id: orgId,
    arn: `arn:aws:organizations::${management.id}:organization/${orgId}`,
    managementAccountId: management.id,
    managementAccountEmail: management.email,
    rootId,
    accounts: new Map(),
    units: new Map(),
    policies: new Map(),
  };
  org.policies.set('p-FullAWSAccess', {
    id: 'p-FullAWSAccess',
    arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
    name: 'FullAWSAccess',
    description: 'Allows access to every operation',
    type: 'SERVICE_CONTROL_POLICY',
    awsManaged: true,
    content: FULL_AWS_ACCESS_CONTENT,
    targets: new Set([rootId]),
  });
  world.organization = org;
  addAccountToOrganization(world, management, rootId, 'CREATED');
  return org;
}

/** Creates an organizational unit under `parentId` (the root or another OU). */
export function addOrganizationalUnit(world: World, name: string, parentId: string): string {
  const org = world.organization!;
  const id = `ou-${org.rootId.slice(2)}-${world.rng.chars(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  org.units.set(id, {
    id,
    name,
    parentId,
    arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${id}`,
  });
  org.policies.get('p-FullAWSAccess')?.targets.add(id);
  return id;
}

/** Puts an account in the organization under `parentId`, with FullAWSAccess attached as AWS does. */
export function addAccountToOrganization(
  world: World,
  account: AccountState,
  parentId: string,
  joinedMethod: OrgAccount['joinedMethod'] = 'CREATED',
): OrgAccount {
  const org = world.organization!;
  const entry: OrgAccount = {
    id: account.id,
    name: account.name,
    email: account.email,
    arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${account.id}`,
    status: 'ACTIVE',
    joinedMethod,
    joinedTimestamp: world.clock.now(),
    parentId,
  };
  org.accounts.set(account.id, entry);
  org.policies.get('p-FullAWSAccess')?.targets.add(account.id);
  return entry;
}

/** Enables Identity Center (an organization instance) in the management account. */
export function createSsoInstance(world: World, ownerAccountId: string): SsoState {
  const sso: SsoState = {
    instanceArn: `arn:aws:sso:::instance/ssoins-${world.rng.hex(16)}`,
    identityStoreId: `d-${world.rng.chars(10, '0123456789abcdef')}`,
    ownerAccountId,
    region: world.region,
    users: new Map(),
    groups: new Map(),
    memberships: new Map(),
    permissionSets: new Map(),
    assignments: [],
    operations: new Map(),
  };
  world.sso = sso;
  return sso;
}

/** Creates an empty Entra tenant with the product's app registration (client id and a fresh secret). */
export function createEntraTenant(world: World, domain: string): EntraState {
  const entra: EntraState = {
    tenantId: world.rng.uuid(),
    clientId: world.rng.uuid(),
    // The secret is random per start, not seeded: it is a credential.
    clientSecret: randomBytes(30).toString('base64url'),
    domain,
    users: new Map(),
    groups: new Map(),
    applications: new Map(),
    servicePrincipals: new Map(),
    changeSeq: 0,
    changes: new Map(),
  };
  world.entra = entra;
  return entra;
}
