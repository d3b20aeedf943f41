/**
 * The `existing-iic` starting point: the small organization, whose Identity Center is already in use with its own
 * directory. Directory users (most named by their Entra UPN; one by a short name whose email is an Entra user's
 * mail; a contractor Entra does not know; one whose Entra account is disabled), directory groups with members,
 * permission sets made by hand and provisioned, group and user assignments. The manifest names who would lose
 * sign-in when the identity source becomes Entra, and why, for the product's tests.
 */
import { newResourceId } from '../aws/identitystore/store.js';
import type { EntraUser } from '../world/entra-state.js';
import type { AccountAssignment, IdentityStoreUser, PermissionSet, SsoState } from '../world/sso-state.js';
import type { World } from '../world/world.js';
import { AWS_MANAGED_ARNS } from './catalog.js';
import type { Manifest } from './types.js';

/** What the directory holds and who would lose sign-in on the switch (userName, reason). */
export type ExistingIdentityCenterTruth = {
  users: string[];
  groups: string[];
  permissionSets: string[];
  unmatched: { userName: string; reason: 'no-entra-user' | 'not-a-upn' | 'entra-disabled' }[];
};

const CONTRACTOR = 'k.osei@partner-consulting.example';

function addUser(world: World, sso: SsoState, userName: string, given: string, family: string, email: string) {
  const now = world.clock.now();
  const user: IdentityStoreUser = {
    userId: newResourceId(world),
    identityStoreId: sso.identityStoreId,
    userName,
    displayName: `${given} ${family}`,
    name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
    emails: [{ value: email, type: 'work', primary: true }],
    externalIds: [],
    active: true,
    createdBy: 'identitystore',
    createdAt: now,
    updatedAt: now,
  };
  sso.users.set(user.userId, user);
  return user;
}

function addPermissionSet(world: World, sso: SsoState, name: string, policies: string[], duration: string) {
  const instanceId = sso.instanceArn.split('/').pop();
  const ps: PermissionSet = {
    permissionSetArn: `arn:aws:sso:::permissionSet/${instanceId}/ps-${world.rng.hex(16)}`,
    name,
    description: `${name} (made in the console)`,
    sessionDuration: duration,
    createdDate: world.clock.now(),
    managedPolicies: policies.map((p) => AWS_MANAGED_ARNS[p]),
    customerManagedPolicies: [],
    tags: [],
    revision: 1,
    provisionedRevision: new Map(),
  };
  sso.permissionSets.set(ps.permissionSetArn, ps);
  return ps;
}

const split = (u: EntraUser) => ({
  given: u.givenName ?? u.displayName.split(' ')[0],
  family: u.surname ?? (u.displayName.split(' ').slice(1).join(' ') || 'Unknown'),
});

/** Fills the organization's Identity Center with a directory in use; returns what the tests check against. */
export function seedExistingIdentityCenter(world: World, manifest: Manifest): ExistingIdentityCenterTruth {
  const sso = world.sso!;
  const entraUsers = [...world.entra!.users.values()].filter((u) => !u.deletedDateTime);
  const enabled = entraUsers.filter((u) => u.accountEnabled && u.mail).slice(0, 8);
  // Someone who left: the directory still has them, Entra has their account disabled.
  const disabled = entraUsers.find((u) => !u.accountEnabled) ?? enabled[7];
  disabled.accountEnabled = false;
  const unmatched: ExistingIdentityCenterTruth['unmatched'] = [];
  const users = enabled.slice(0, 6).map((u) => {
    const n = split(u);
    return addUser(world, sso, u.userPrincipalName, n.given, n.family, u.mail ?? u.userPrincipalName);
  });
  // Made before the company's UPN convention: a short name, the person's mail as its email.
  const renamed = enabled[6];
  const short = `${(renamed.givenName ?? 'x')[0].toLowerCase()}.${(renamed.surname ?? 'user').toLowerCase()}`;
  const shortUser = addUser(world, sso, short, split(renamed).given, split(renamed).family, renamed.mail!);
  unmatched.push({ userName: short, reason: 'not-a-upn' });
  const contractor = addUser(world, sso, CONTRACTOR, 'Kwame', 'Osei', CONTRACTOR);
  unmatched.push({ userName: CONTRACTOR, reason: 'no-entra-user' });
  const all = [...users, shortUser, contractor];
  const n = split(disabled);
  all.push(addUser(world, sso, disabled.userPrincipalName, n.given, n.family, disabled.userPrincipalName));
  unmatched.push({ userName: disabled.userPrincipalName, reason: 'entra-disabled' });
  const groupMembers: Record<string, IdentityStoreUser[]> = {
    'Platform-Admins': [users[0], users[1], contractor],
    Developers: [users[2], users[3], users[4], shortUser, ...all.slice(8)],
    Auditors: [users[5], users[0]],
  };
  const groupIds = new Map<string, string>();
  const now = world.clock.now();
  for (const [name, members] of Object.entries(groupMembers)) {
    const groupId = newResourceId(world);
    groupIds.set(name, groupId);
    sso.groups.set(groupId, {
      groupId,
      identityStoreId: sso.identityStoreId,
      displayName: name,
      description: `${name} (Identity Center directory)`,
      externalIds: [],
      createdBy: 'identitystore',
      createdAt: now,
      updatedAt: now,
    });
    for (const m of members) {
      const membershipId = newResourceId(world);
      sso.memberships.set(membershipId, { membershipId, groupId, userId: m.userId, createdAt: now });
    }
  }
  const admin = addPermissionSet(world, sso, 'LegacyAdmin', ['AdministratorAccess'], 'PT4H');
  const dev = addPermissionSet(world, sso, 'LegacyDeveloper', ['PowerUserAccess'], 'PT8H');
  const audit = addPermissionSet(world, sso, 'LegacyAudit', ['SecurityAudit', 'ReadOnlyAccess'], 'PT2H');
  const accounts = manifest.accounts.map((a) => a.id);
  const assign = (ps: PermissionSet, accountId: string, principalType: 'USER' | 'GROUP', principalId: string) => {
    const a: AccountAssignment = { accountId, permissionSetArn: ps.permissionSetArn, principalType, principalId };
    sso.assignments.push(a);
    ps.provisionedRevision.set(accountId, ps.revision);
  };
  assign(admin, manifest.managementAccountId, 'GROUP', groupIds.get('Platform-Admins')!);
  for (const id of accounts.slice(1, 3)) assign(dev, id, 'GROUP', groupIds.get('Developers')!);
  for (const id of accounts) assign(audit, id, 'GROUP', groupIds.get('Auditors')!);
  assign(audit, accounts[1], 'USER', contractor.userId);
  return {
    users: all.map((u) => u.userName),
    groups: [...groupIds.keys()],
    permissionSets: [admin.name, dev.name, audit.name],
    unmatched,
  };
}
