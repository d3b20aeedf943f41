/**
 * Directory operations on the Entra state that keep the delta bookkeeping right: every change to a user,
 * group or group membership goes through here (Graph handlers, the tenant builder and the provisioning engine).
 */
import type { EntraGroup, EntraState, EntraUser } from '../world/entra-state.js';

/** Records that an object changed now, for delta queries. */
export function markChanged(entra: EntraState, id: string, kind: 'user' | 'group', at: Date): void {
  entra.changeSeq += 1;
  entra.changes.set(id, { seq: entra.changeSeq, at, kind });
}

/** Adds a direct member to a group; false when it already was one. */
export function addMember(entra: EntraState, group: EntraGroup, memberId: string, at: Date): boolean {
  if (group.members.has(memberId)) return false;
  group.members.add(memberId);
  markChanged(entra, group.id, 'group', at);
  entra.memberChanges ??= [];
  entra.memberChanges.push({ seq: entra.changeSeq, groupId: group.id, memberId, removed: false });
  return true;
}

/** Removes a direct member from a group; false when it was not one. */
export function removeMember(entra: EntraState, group: EntraGroup, memberId: string, at: Date): boolean {
  if (!group.members.delete(memberId)) return false;
  markChanged(entra, group.id, 'group', at);
  entra.memberChanges ??= [];
  entra.memberChanges.push({ seq: entra.changeSeq, groupId: group.id, memberId, removed: true });
  return true;
}

/** A live (not deleted) user by object id or UPN (case-insensitive). */
export function findUser(entra: EntraState, idOrUpn: string): EntraUser | undefined {
  const byId = entra.users.get(idOrUpn);
  if (byId) return byId.deletedDateTime ? undefined : byId;
  const lower = idOrUpn.toLowerCase();
  for (const user of entra.users.values()) {
    if (!user.deletedDateTime && user.userPrincipalName.toLowerCase() === lower) return user;
  }
  return undefined;
}

/** A live group by object id. */
export function findGroup(entra: EntraState, id: string): EntraGroup | undefined {
  const group = entra.groups.get(id);
  return group && !group.deletedDateTime ? group : undefined;
}

/** Live users in creation order. */
export function liveUsers(entra: EntraState): EntraUser[] {
  return [...entra.users.values()].filter((u) => !u.deletedDateTime);
}

/** Live groups in creation order. */
export function liveGroups(entra: EntraState): EntraGroup[] {
  return [...entra.groups.values()].filter((g) => !g.deletedDateTime);
}

/** Every live user and group reachable through nested membership (each once, groups included). */
export function transitiveMemberIds(entra: EntraState, group: EntraGroup): string[] {
  const seen = new Set<string>();
  const queue = [...group.members];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id) || id === group.id) continue;
    seen.add(id);
    const nested = findGroup(entra, id);
    if (nested) queue.push(...nested.members);
  }
  return [...seen].filter((id) => findUser(entra, id) || findGroup(entra, id));
}

/** Groups an object is a direct member of. */
export function memberOfIds(entra: EntraState, objectId: string): string[] {
  return liveGroups(entra)
    .filter((g) => g.members.has(objectId))
    .map((g) => g.id);
}

/** Groups an object is a member of directly or through nesting. */
export function transitiveMemberOfIds(entra: EntraState, objectId: string): string[] {
  const seen = new Set<string>();
  const queue = memberOfIds(entra, objectId);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...memberOfIds(entra, id));
  }
  return [...seen];
}

/** Soft-deletes a user: it disappears from Graph reads, stays in delta as `@removed`, and leaves its groups. */
export function deleteUser(entra: EntraState, user: EntraUser, at: Date): void {
  user.deletedDateTime = at;
  for (const group of liveGroups(entra)) removeMember(entra, group, user.id, at);
  markChanged(entra, user.id, 'user', at);
}

/** Soft-deletes a group (it leaves the groups it was nested in). */
export function deleteGroup(entra: EntraState, group: EntraGroup, at: Date): void {
  group.deletedDateTime = at;
  for (const parent of liveGroups(entra)) removeMember(entra, parent, group.id, at);
  markChanged(entra, group.id, 'group', at);
}
