/**
 * The policies that apply to a caller: identity policies (inline and attached, the user's groups' too), the
 * permissions boundary, the session policies of an assumed-role session, and the SCPs on the path of a member
 * account. Resolved once per principal and kept until IAM, Organizations or Identity Center changes
 * (the world's authorization generation).
 */
import { awsManagedPolicyByArn, isAwsManagedPolicyArn } from '@iam2sso/managed-policies';
import { iamArn, type Tag } from '../../world/iam-state.js';
import type { AccountState, Principal, World } from '../../world/world.js';

/** Policy documents (JSON text) that decide a caller's requests. */
export type PolicySet = {
  identity: string[];
  /** The permissions boundary's document, when one is set. */
  boundary?: string[];
  /** Session policies passed to AssumeRole, when any were. */
  session?: string[];
  /** SCPs per level of a member account's path (root first, the account last); undefined outside SCPs' reach. */
  scpLevels?: string[][];
  principalArn: string;
  tags: Tag[];
};

/** The document of a managed policy (AWS managed or the account's own); undefined when it does not exist. */
function managedDocument(account: AccountState, arn: string): string | undefined {
  if (isAwsManagedPolicyArn(arn)) return awsManagedPolicyByArn(arn)?.document;
  const policy = account.iam.policies.get(arn);
  return policy?.versions.find((v) => v.isDefault)?.document;
}

function documents(account: AccountState, attached: readonly string[], inline: ReadonlyMap<string, string>): string[] {
  const out = [...inline.values()];
  for (const arn of attached) {
    const doc = managedDocument(account, arn);
    if (doc) out.push(doc);
  }
  return out;
}

function boundaryOf(account: AccountState, arn: string | undefined): string[] | undefined {
  if (!arn) return undefined;
  const doc = managedDocument(account, arn);
  return doc ? [doc] : [];
}

/** SCPs attached at each level from the root down to the account; undefined when SCPs do not apply. */
function scpLevels(world: World, accountId: string, principal: Principal): string[][] | undefined {
  const org = world.organization;
  const entry = org?.accounts.get(accountId);
  // SCPs never restrict the management account, and stop applying when the policy type is disabled.
  if (!org || !entry || accountId === org.managementAccountId || org.scpEnabled === false) return undefined;
  // Service-linked roles are not affected by SCPs (Organizations user guide, "Tasks and entities not restricted by SCPs").
  if (principal.kind === 'role-session' && principal.rolePath.startsWith('/aws-service-role/')) return undefined;
  const chain: string[] = [accountId];
  let parent: string | undefined = entry.parentId;
  while (parent && parent !== org.rootId) {
    chain.unshift(parent);
    parent = org.units.get(parent)?.parentId;
  }
  chain.unshift(org.rootId);
  const policies = [...org.policies.values()];
  return chain.map((target) => policies.filter((p) => p.targets.has(target)).map((p) => p.content));
}

function resolve(world: World, principal: Principal): PolicySet | undefined {
  const account = world.accounts.get(principal.accountId);
  if (!account || principal.kind === 'root') return undefined;
  const scps = scpLevels(world, account.id, principal);
  if (principal.kind === 'user') {
    const user = account.iam.users.get(principal.userName);
    if (!user) return { identity: [], scpLevels: scps, principalArn: '', tags: [] };
    const identity = documents(account, user.attachedPolicies, user.inlinePolicies);
    for (const name of user.groups) {
      const group = account.iam.groups.get(name);
      if (group) identity.push(...documents(account, group.attachedPolicies, group.inlinePolicies));
    }
    return {
      identity,
      boundary: boundaryOf(account, user.permissionsBoundary),
      scpLevels: scps,
      principalArn: iamArn(account.id, 'user', user.path, user.userName),
      tags: user.tags,
    };
  }
  const role = account.iam.roles.get(principal.roleName);
  const principalArn = iamArn(account.id, 'role', principal.rolePath, principal.roleName);
  if (!role || role.roleId !== principal.roleId) return { identity: [], scpLevels: scps, principalArn, tags: [] };
  return {
    identity: documents(account, role.attachedPolicies, role.inlinePolicies),
    boundary: boundaryOf(account, role.permissionsBoundary),
    session: principal.sessionPolicies,
    scpLevels: scps,
    principalArn,
    tags: role.tags,
  };
}

type CacheEntry = { generation: number; set: PolicySet | undefined };
const caches = new WeakMap<World, Map<string, CacheEntry>>();

function cacheKey(principal: Principal, accessKeyId: string): string {
  if (principal.kind === 'user') return `u:${principal.accountId}:${principal.userName}`;
  if (principal.kind === 'role-session') return `s:${accessKeyId}`;
  return `r:${principal.accountId}`;
}

/** The caller's policy set (undefined for the root user), from the cache while nothing it reads has changed. */
export function policySetFor(world: World, principal: Principal, accessKeyId: string): PolicySet | undefined {
  let cache = caches.get(world);
  if (!cache) {
    cache = new Map();
    caches.set(world, cache);
  }
  const key = cacheKey(principal, accessKeyId);
  const hit = cache.get(key);
  if (hit && hit.generation === world.authzGeneration) return hit.set;
  const set = resolve(world, principal);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { generation: world.authzGeneration, set });
  return set;
}
