/**
 * The sync diff: what the Identity Store must change to hold exactly Entra's users and groups in scope, with
 * nested groups flattened to their user members, leavers (disabled, deleted, out of scope) deactivated or
 * deleted, and conflicts reported instead of duplicated. Pure: the engine reads and writes.
 */
import { attributeChanges, desiredAttributes } from './attributes.js';
import { diffGroups, groupLinks } from './diff-groups.js';
import { matchUsers } from './match.js';
import { flattenScope, groupsInScope } from './scope.js';
import type {
  DirectoryGroup,
  EntraUser,
  LeaverAction,
  StoreState,
  SyncDiff,
  SyncLink,
  SyncMatch,
  SyncScope,
  UserLeave,
} from './types.js';

export type SyncInput = {
  /** Entra's users as mirrored (deleted ones flagged). */
  users: EntraUser[];
  groups: DirectoryGroup[];
  store: StoreState;
  /** Links from earlier runs. */
  links: SyncLink[];
  scope: SyncScope;
  leavers: LeaverAction;
  /** Identity Store ids the tool owns (created, recorded in the state database): only those are ever deleted. */
  ownedTargets?: ReadonlySet<string>;
};

type UserPart = Pick<SyncDiff, 'users' | 'conflicts'> & { matches: Map<string, SyncMatch>; links: SyncLink[] };

function leaverOf(user: EntraUser | undefined, inScope: Set<string>): UserLeave['reason'] | null {
  if (!user || user.deleted) return 'deleted';
  if (!inScope.has(user.id)) return 'out-of-scope';
  if (!user.accountEnabled) return 'disabled';
  return null;
}

function diffUsers(input: SyncInput, inScope: Set<string>): UserPart {
  const users = new Map(input.users.map((u) => [u.id, u]));
  const storeById = new Map(input.store.users.map((u) => [u.userId, u]));
  const candidates = [...inScope].map((id) => users.get(id)!).filter((u) => u && !u.deleted);
  const known = new Set(users.keys());
  const { matches, conflicts } = matchUsers(candidates, input.store.users, input.links, known);
  const out: UserPart = {
    users: { create: [], update: [], deactivate: [], delete: [], unchanged: 0 },
    conflicts: conflicts.filter((c) => users.get(c.entraId)?.accountEnabled),
    matches,
    links: [],
  };
  const takenNames = new Map(input.store.users.map((u) => [u.userName.toLowerCase(), u.userId]));
  const previous = new Map(input.links.filter((l) => l.kind === 'user').map((l) => [l.entraId, l]));
  const leave = (entraId: string, userId: string, reason: UserLeave['reason'], link?: SyncLink) => {
    const target = storeById.get(userId);
    if (!target) return;
    const entry: UserLeave = { entraId, userId, userName: target.userName, reason };
    // Only a user the tool created is deleted; one it matched (made by a person, by SCIM) is only deactivated.
    const owned = link?.origin === 'created' || input.ownedTargets?.has(userId) === true;
    if (input.leavers === 'delete' && owned) out.users.delete.push(entry);
    else {
      if (link?.deactivated) out.users.unchanged++;
      else out.users.deactivate.push(entry);
      out.links.push({
        entraId,
        kind: 'user',
        targetId: userId,
        origin: link?.origin ?? 'user-name',
        deactivated: true,
      });
    }
  };
  for (const user of candidates.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const match = matches.get(user.id);
    const link = previous.get(user.id);
    if (!user.accountEnabled) {
      if (match) leave(user.id, match.targetId, 'disabled', link?.targetId === match.targetId ? link : undefined);
      continue;
    }
    const attributes = desiredAttributes(user);
    if (!match) {
      if (!out.conflicts.some((c) => c.entraId === user.id)) out.users.create.push({ entraId: user.id, attributes });
      continue;
    }
    const origin =
      link?.targetId === match.targetId
        ? link.origin
        : input.ownedTargets?.has(match.targetId)
          ? 'created'
          : (match.rule as SyncLink['origin']);
    out.links.push({ entraId: user.id, kind: 'user', targetId: match.targetId, origin });
    const current = storeById.get(match.targetId)!;
    const changes = attributeChanges(attributes, current);
    const holder = takenNames.get(attributes.userName.toLowerCase());
    if (changes.includes('userName') && holder && holder !== current.userId) {
      out.conflicts.push({
        id: 'user-name-held-by-other',
        entraId: user.id,
        name: user.userPrincipalName,
        targetIds: [holder],
        message: `cannot rename ${current.userName} to ${attributes.userName}: another Identity Store user has that userName`,
      });
      out.users.unchanged++;
    } else if (changes.length > 0) {
      out.users.update.push({ entraId: user.id, userId: match.targetId, attributes, changes });
    } else out.users.unchanged++;
  }
  for (const link of previous.values()) {
    if (matches.has(link.entraId)) continue;
    const reason = leaverOf(users.get(link.entraId), inScope);
    if (reason) leave(link.entraId, link.targetId, reason, link);
  }
  return out;
}

/** Computes the whole sync diff. */
export function diffSync(input: SyncInput): SyncDiff {
  const groupsById = new Map(input.groups.map((g) => [g.id, g]));
  const usersById = new Map(input.users.map((u) => [u.id, u]));
  const scoped = groupsInScope(input.groups, input.scope);
  const flat = flattenScope(scoped, groupsById, usersById);
  const inScope = new Set<string>();
  for (const members of flat.values()) for (const id of members) inScope.add(id);
  const users = diffUsers(input, inScope);
  const deleted = new Set(users.users.delete.map((u) => u.userId));
  const active = new Map<string, string | null>();
  for (const [entraId, match] of users.matches) {
    if (usersById.get(entraId)?.accountEnabled) active.set(entraId, match.targetId);
  }
  for (const create of users.users.create) active.set(create.entraId, null);
  const groups = diffGroups({
    scoped,
    flat,
    store: input.store,
    links: input.links,
    activeUsers: active,
    deletedUsers: deleted,
    knownIds: new Set(groupsById.keys()),
    ownedTargets: input.ownedTargets,
  });
  return {
    users: users.users,
    groups: groups.groups,
    memberships: groups.memberships,
    matches: [...users.matches.values(), ...groups.matches.values()],
    conflicts: [...users.conflicts, ...groups.conflicts],
    links: [...users.links, ...groupLinks(groups.matches, input.links, input.ownedTargets)],
  };
}

/** Counts per kind of change, for the summary printed before any write. */
export function syncCounts(diff: SyncDiff) {
  return {
    users: {
      create: diff.users.create.length,
      update: diff.users.update.length,
      deactivate: diff.users.deactivate.length,
      delete: diff.users.delete.length,
      unchanged: diff.users.unchanged,
    },
    groups: {
      create: diff.groups.create.length,
      update: diff.groups.update.length,
      delete: diff.groups.delete.length,
      unchanged: diff.groups.unchanged,
    },
    memberships: {
      add: diff.memberships.add.length,
      remove: diff.memberships.remove.length,
      unchanged: diff.memberships.unchanged,
    },
    conflicts: diff.conflicts.length,
  };
}

/** True when the diff changes nothing. */
export function isEmptySyncDiff(diff: SyncDiff): boolean {
  const c = syncCounts(diff);
  return (
    c.users.create + c.users.update + c.users.deactivate + c.users.delete === 0 &&
    c.groups.create + c.groups.update + c.groups.delete === 0 &&
    c.memberships.add + c.memberships.remove === 0
  );
}
