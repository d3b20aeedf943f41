/**
 * The sync's mirror of Entra's directory, kept in the state database between runs and brought up to date by
 * each delta round: a full round replaces it, an incremental one merges changed objects, member changes and
 * removals (deleted objects stay, flagged, so the diff can tell leavers from strangers).
 */
import type { DirectoryGroup } from '../core/sync/types.js';
import type { DeltaRound, EntraUser, GroupChange } from '../entra/ports.js';

/** Entra's users and groups as the sync last saw them. */
export type EntraMirror = { users: Map<string, EntraUser>; groups: Map<string, DirectoryGroup> };

/** An empty mirror. */
export function emptyMirror(): EntraMirror {
  return { users: new Map(), groups: new Map() };
}

/** Applies a users delta round to the mirror (in place). */
export function applyUsersRound(mirror: EntraMirror, round: DeltaRound<EntraUser>): void {
  if (round.fullResync) mirror.users.clear();
  for (const u of round.changed) {
    mirror.users.set(u.id, {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      mail: u.mail,
      givenName: u.givenName,
      surname: u.surname,
      displayName: u.displayName,
      accountEnabled: u.accountEnabled,
    });
  }
  for (const id of round.removed) {
    const user = mirror.users.get(id);
    if (user) user.deleted = true;
  }
}

/**
 * Applies a groups delta round (in place). A group can appear on several pages of one round (Graph splits
 * large member lists), so member changes are merged, never replaced.
 */
export function applyGroupsRound(mirror: EntraMirror, round: DeltaRound<GroupChange>): void {
  if (round.fullResync) mirror.groups.clear();
  const members = new Map<string, Set<string>>();
  for (const [id, g] of mirror.groups) members.set(id, new Set(g.members));
  for (const g of round.changed) {
    const set = members.get(g.id) ?? new Set<string>();
    for (const m of g.membersAdded) if (m.type !== 'other') set.add(m.id);
    for (const m of g.membersRemoved) set.delete(m.id);
    members.set(g.id, set);
    mirror.groups.set(g.id, { id: g.id, displayName: g.displayName, description: g.description, members: [] });
  }
  for (const id of round.removed) {
    const group = mirror.groups.get(id);
    if (group) group.deleted = true;
  }
  for (const [id, group] of mirror.groups) group.members = [...(members.get(id) ?? [])];
}
