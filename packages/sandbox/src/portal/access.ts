/**
 * What the AWS access portal shows a signed-in person: the accounts and permission sets assigned to them
 * directly or through their Identity Store groups, and role credentials for one of them. The credentials are a
 * real sandbox session of the permission set's provisioned `AWSReservedSSO_` role in that account, named after
 * the user, for the permission set's session duration, so `sts get-caller-identity` answers
 * `assumed-role/AWSReservedSSO_<PermissionSet>_<hex>/<userName>`.
 */
import { randomBytes } from 'node:crypto';
import { durationSeconds, reservedRoleName, ssoSamlProviderArn } from '../aws/sso-admin/provision-role.js';
import type { IdentityStoreUser, PermissionSet } from '../world/sso-state.js';
import type { Principal, World } from '../world/world.js';

export type PortalAccount = { accountId: string; accountName: string; emailAddress: string };

export type PortalRole = { accountId: string; roleName: string; permissionSet: PermissionSet };

export type RoleCredentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds, as the portal API returns it. */
  expiration: number;
};

/** The group ids the user is a direct member of in the Identity Store. */
function groupIdsOf(world: World, userId: string): Set<string> {
  const out = new Set<string>();
  for (const m of world.sso!.memberships.values()) if (m.userId === userId) out.add(m.groupId);
  return out;
}

/** Every (account, permission set) the user is assigned, deduplicated, sorted by account then name. */
export function rolesOf(world: World, user: IdentityStoreUser): PortalRole[] {
  const sso = world.sso!;
  const groups = groupIdsOf(world, user.userId);
  const seen = new Map<string, PortalRole>();
  for (const a of sso.assignments) {
    const mine = a.principalType === 'USER' ? a.principalId === user.userId : groups.has(a.principalId);
    const ps = mine ? sso.permissionSets.get(a.permissionSetArn) : undefined;
    if (!ps || !world.accounts.has(a.accountId)) continue;
    seen.set(`${a.accountId}|${ps.name}`, { accountId: a.accountId, roleName: ps.name, permissionSet: ps });
  }
  return [...seen.values()].sort((x, y) =>
    x.accountId === y.accountId ? x.roleName.localeCompare(y.roleName) : x.accountId.localeCompare(y.accountId),
  );
}

/** The accounts the user sees in the portal. */
export function accountsOf(world: World, user: IdentityStoreUser): PortalAccount[] {
  const ids = [...new Set(rolesOf(world, user).map((r) => r.accountId))];
  return ids.map((id) => {
    const account = world.account(id);
    return { accountId: id, accountName: account.name, emailAddress: account.email };
  });
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function temporaryKeyId(): string {
  let id = 'ASIA';
  for (const b of randomBytes(16)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/**
 * Issues credentials for the user's role in the account; null when the user has no such assignment or the
 * permission set is not provisioned there (no role in the account's IAM).
 */
export function issueRoleCredentials(
  world: World,
  user: IdentityStoreUser,
  accountId: string,
  roleName: string,
): RoleCredentials | null {
  const sso = world.sso!;
  const role = rolesOf(world, user).find((r) => r.accountId === accountId && r.roleName === roleName);
  if (!role) return null;
  const iamRole = world.accounts.get(accountId)?.iam.roles.get(reservedRoleName(sso, role.permissionSet, accountId));
  if (!iamRole) return null;
  const now = world.clock.now();
  const seconds = durationSeconds(role.permissionSet.sessionDuration) || 3600;
  const expiration = new Date(Math.floor(now.getTime() / 1000) * 1000 + seconds * 1000);
  const accessKeyId = temporaryKeyId();
  const principal: Principal = {
    kind: 'role-session',
    accountId,
    roleName: iamRole.roleName,
    rolePath: iamRole.path,
    roleId: iamRole.roleId,
    sessionName: user.userName,
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(320).toString('base64')}`,
    expiration,
    sourceArn: ssoSamlProviderArn(sso, accountId),
  };
  const secretAccessKey = randomBytes(30).toString('base64');
  world.sessions.set(accessKeyId, { accessKeyId, secretAccessKey, principal });
  iamRole.roleLastUsed = { date: now, region: sso.region };
  return { accessKeyId, secretAccessKey, sessionToken: principal.sessionToken, expiration: expiration.getTime() };
}
