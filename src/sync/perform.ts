/**
 * The performer of Identity Store changes (sync's, and the undos rollback makes of a sync run) over the one Identity
 * Store port: names resolved to ids from the store as read and from this run's creates and renames, and a rename's
 * ownership record moved to the new name once it succeeded.
 */
import type { Change, ObjectRef } from '../core/reconcile/changes.js';
import type { StoreMembership, StoreState } from '../core/sync/types.js';
import type { IdentityStorePort } from '../ports/identity-store.js';
import type { Performer, Resolved } from '../reconcile/executor.js';
import type { Ownership } from '../store/ownership-repo.js';

const lower = (s: string) => s.toLowerCase();
const pair = (groupId: string, userId: string) => `${groupId}\n${userId}`;

/** Ids by name as the run goes: users by lower-cased userName, groups by lower-cased name, memberships by pair. */
export type StoreIndex = {
  users: Map<string, string>;
  groups: Map<string, string>;
  memberships: Map<string, string>;
};

/** The index of a store as read. */
export function indexStore(store: StoreState): StoreIndex {
  return {
    users: new Map(store.users.map((u) => [lower(u.userName), u.userId])),
    groups: new Map(store.groups.map((g) => [lower(g.displayName), g.groupId])),
    memberships: new Map(store.memberships.map((m) => [pair(m.groupId, m.userId), m.membershipId])),
  };
}

/** The memberships an index holds (for the state the sync saves). */
export function membershipsOf(index: StoreIndex): StoreMembership[] {
  return [...index.memberships].map(([key, membershipId]) => {
    const [groupId, userId] = key.split('\n');
    return { membershipId, groupId, userId };
  });
}

function need(map: Map<string, string>, name: string, what: string): string {
  const id = map.get(lower(name));
  if (!id) throw new Error(`${what} ${name} does not exist in the Identity Store`);
  return id;
}

function resolveOrThrow(c: Change, index: StoreIndex): Resolved {
  const user = (upn: string) => need(index.users, upn, 'user');
  const group = (name: string) => need(index.groups, name, 'group');
  switch (c.kind) {
    case 'store.group.create':
    case 'store.user.create':
      return {};
    case 'store.user.update':
    case 'store.user.delete':
      return { userId: user(c.upn) };
    case 'store.group.update':
    case 'store.group.delete':
      return { groupId: group(c.name) };
    case 'store.member.add':
      return { groupId: group(c.group), userId: user(c.upn) };
    case 'store.member.remove': {
      const ids = { groupId: group(c.group), userId: user(c.upn) };
      const membershipId = index.memberships.get(pair(ids.groupId, ids.userId));
      if (!membershipId) throw new Error(`${c.upn} is not a member of Identity Store group ${c.group}`);
      return { ...ids, membershipId };
    }
    default:
      throw new Error(`${c.kind} is not an Identity Store change`);
  }
}

/** Moves an owned object's record to its new name (a rename keeps it the tool's). */
function rekey(ownership: Ownership | undefined, from: ObjectRef, to: ObjectRef, runId: string, id: string): void {
  if (!ownership || from.key === to.key || !ownership.isOwned(from)) return;
  ownership.release(from);
  ownership.record(to, runId, id);
}

/** What the performer needs: the port, the index, the run's limits, and ownership (for renames). */
export type StorePerformOptions = {
  port: IdentityStorePort;
  index: StoreIndex;
  /** Identity Store calls in flight at once (the client's rate limiter paces them). */
  concurrency: number;
  ownership?: Ownership;
  runId: string;
};

/** The performer of Identity Store changes. */
export function storePerformer({ port, index, concurrency, ownership, runId }: StorePerformOptions): Performer {
  const perform: Performer['perform'] = async (c, ids) => {
    switch (c.kind) {
      case 'store.group.create': {
        const id = await port.createGroup(c.name, c.description ?? null);
        index.groups.set(lower(c.name), id);
        return { objectId: id };
      }
      case 'store.user.create': {
        if (!c.attributes) throw new Error(`no attributes recorded to create Identity Store user ${c.upn}`);
        const id = await port.createUser(c.attributes);
        index.users.set(lower(c.upn), id);
        // The undo of a delete re-adds the user to the groups it was in (those that still exist).
        for (const name of c.groups ?? []) {
          const groupId = index.groups.get(lower(name)) ?? (await port.findGroupId(name));
          if (groupId) index.memberships.set(pair(groupId, id), await port.addMembership(groupId, id));
        }
        return { objectId: id };
      }
      case 'store.user.update':
        await port.updateUser(ids.userId, c.to, c.changes);
        if (lower(c.to.userName) !== lower(c.upn)) {
          index.users.delete(lower(c.upn));
          index.users.set(lower(c.to.userName), ids.userId);
          const ref = (name: string): ObjectRef => ({ kind: 'store-user', key: lower(name) });
          rekey(ownership, ref(c.upn), ref(c.to.userName), runId, ids.userId);
        }
        return { objectId: ids.userId };
      case 'store.group.update':
        await port.updateGroup(ids.groupId, c.to.displayName, c.to.description);
        if (lower(c.to.displayName) !== lower(c.name)) {
          index.groups.delete(lower(c.name));
          index.groups.set(lower(c.to.displayName), ids.groupId);
          const ref = (name: string): ObjectRef => ({ kind: 'store-group', key: lower(name) });
          rekey(ownership, ref(c.name), ref(c.to.displayName), runId, ids.groupId);
        }
        return { objectId: ids.groupId };
      case 'store.member.add': {
        const membershipId = await port.addMembership(ids.groupId, ids.userId);
        index.memberships.set(pair(ids.groupId, ids.userId), membershipId);
        return { objectId: membershipId };
      }
      case 'store.member.remove':
        await port.removeMembership(ids.membershipId);
        index.memberships.delete(pair(ids.groupId, ids.userId));
        return;
      case 'store.user.delete':
        await port.deleteUser(ids.userId);
        index.users.delete(lower(c.upn));
        for (const key of index.memberships.keys()) if (key.endsWith(`\n${ids.userId}`)) index.memberships.delete(key);
        return;
      case 'store.group.delete':
        await port.deleteGroup(ids.groupId);
        index.groups.delete(lower(c.name));
        for (const key of index.memberships.keys())
          if (key.startsWith(`${ids.groupId}\n`)) index.memberships.delete(key);
        return;
      default:
        throw new Error(`${c.kind} is not an Identity Store change`);
    }
  };
  return {
    resolve(c) {
      try {
        return resolveOrThrow(c, index);
      } catch (error) {
        return (error as Error).message;
      }
    },
    perform,
    limit: (_c, fn) => fn(),
    concurrency: () => concurrency,
  };
}
