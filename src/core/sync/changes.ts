/**
 * A sync diff as typed changes, for the one executor: Identity Store users, groups and memberships named by their
 * userName and display name (resolved to ids when each runs, so a create feeds the memberships after it). A user's
 * delete records the user's attributes and groups first, so that its undo recreates the user. Pure.
 */
import type { Change } from '../reconcile/changes.js';
import type { DirectoryGroup, EntraUser, StoreState, StoreUser, SyncDiff, UserAttributes } from './types.js';

/** The attributes a store user holds, in the form the sync writes them. */
export function attributesOf(u: StoreUser): UserAttributes {
  return {
    userName: u.userName,
    displayName: u.displayName,
    givenName: u.givenName ?? '',
    familyName: u.familyName ?? '',
    email: u.emails[0] ?? null,
  };
}

/** What the changes are built from: the diff, the store it was made against, and Entra's objects by id. */
export type SyncChangeInput = {
  diff: SyncDiff;
  store: StoreState;
  users: ReadonlyMap<string, EntraUser>;
  groups: ReadonlyMap<string, DirectoryGroup>;
};

/** Every change of a sync diff. */
export function syncChanges({ diff, store, users, groups }: SyncChangeInput): Change[] {
  const storeUsers = new Map(store.users.map((u) => [u.userId, u]));
  const storeGroups = new Map(store.groups.map((g) => [g.groupId, g]));
  // The names objects will have once this run's creates and renames are made (what later changes resolve).
  const userName = new Map<string, string>();
  const groupName = new Map<string, string>();
  const userNameById = new Map<string, string>();
  const groupNameById = new Map<string, string>();
  for (const m of diff.matches) {
    if (m.kind === 'user') {
      const name = storeUsers.get(m.targetId)?.userName;
      if (name) userName.set(m.entraId, name);
    } else {
      const name = storeGroups.get(m.targetId)?.displayName;
      if (name) groupName.set(m.entraId, name);
    }
  }
  for (const u of store.users) userNameById.set(u.userId, u.userName);
  for (const g of store.groups) groupNameById.set(g.groupId, g.displayName);
  const out: Change[] = [];
  for (const g of diff.groups.create) {
    out.push({ kind: 'store.group.create', name: g.displayName, description: g.description });
    groupName.set(g.entraId, g.displayName);
  }
  for (const g of diff.groups.update) {
    const current = storeGroups.get(g.groupId)!;
    const from = { displayName: current.displayName, description: current.description };
    out.push({
      kind: 'store.group.update',
      name: current.displayName,
      from,
      to: {
        displayName: g.displayName,
        description: g.changes.includes('description') ? g.description : from.description,
      },
    });
    groupName.set(g.entraId, g.displayName);
    groupNameById.set(g.groupId, g.displayName);
  }
  for (const u of diff.users.create) {
    out.push({ kind: 'store.user.create', upn: u.attributes.userName, attributes: u.attributes, groups: [] });
    userName.set(u.entraId, u.attributes.userName);
  }
  for (const u of diff.users.update) {
    const current = storeUsers.get(u.userId)!;
    out.push({
      kind: 'store.user.update',
      upn: current.userName,
      from: attributesOf(current),
      to: u.attributes,
      changes: u.changes,
    });
    userName.set(u.entraId, u.attributes.userName);
    userNameById.set(u.userId, u.attributes.userName);
  }
  for (const m of diff.memberships.add) {
    const group = groupName.get(m.groupEntraId) ?? groups.get(m.groupEntraId)?.displayName;
    const upn = userName.get(m.userEntraId) ?? users.get(m.userEntraId)?.userPrincipalName;
    if (group && upn) out.push({ kind: 'store.member.add', group, upn });
  }
  for (const m of diff.memberships.remove) {
    const group = groupNameById.get(m.groupId);
    const upn = userNameById.get(m.userId);
    if (group && upn) out.push({ kind: 'store.member.remove', group, upn });
  }
  for (const u of diff.users.delete) {
    const current = storeUsers.get(u.userId);
    if (!current) continue;
    const inGroups = store.memberships
      .filter((m) => m.userId === u.userId)
      .map((m) => groupNameById.get(m.groupId))
      .filter((n): n is string => Boolean(n));
    out.push({ kind: 'store.user.delete', upn: current.userName, attributes: attributesOf(current), groups: inGroups });
  }
  for (const g of diff.groups.delete) {
    const members = store.memberships
      .filter((m) => m.groupId === g.groupId)
      .map((m) => userNameById.get(m.userId)?.toLowerCase())
      .filter((n): n is string => Boolean(n));
    out.push({ kind: 'store.group.delete', name: g.displayName, members });
  }
  return out;
}
