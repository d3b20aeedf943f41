/**
 * Carries out a sync diff through the write port, in the order the Identity Store needs (groups and users
 * before memberships, memberships before deletes), a bounded number of calls at a time. Each success updates the
 * mirror of the store and the links; a failure is recorded with its reason and the rest goes on.
 */

import { type Change, changeId, undoOf } from '../core/reconcile/changes.js';
import type { StoreGroup, StoreMembership, StoreUser, SyncConflict, SyncDiff, SyncLink } from '../core/sync/types.js';
import type { Journal } from '../reconcile/journal.js';
import type { SyncStoreWriter } from './ports.js';

/** The Identity Store as the sync knows it, changed as writes succeed. */
export type StoreMirror = {
  users: Map<string, StoreUser>;
  groups: Map<string, StoreGroup>;
  memberships: Map<string, StoreMembership>;
};

export type WriteFailure = { item: string; error: string };
export type WriteOutcome = {
  writes: number;
  failed: WriteFailure[];
  /** Renames the store refused as duplicates (someone holds the name since the store was last read). */
  conflicts: SyncConflict[];
  links: SyncLink[];
};

/** Runs `fn` over `items`, at most `limit` at once. */
export async function runPool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function message(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(error)}`;
}

/** The writes a diff asks for. */
export function countWrites(diff: SyncDiff): number {
  return (
    diff.groups.create.length +
    diff.groups.update.length +
    diff.groups.delete.length +
    diff.users.create.length +
    diff.users.update.length +
    diff.users.delete.length +
    diff.memberships.add.length +
    diff.memberships.remove.length
  );
}

/** Applies the diff; returns how many writes were made, what failed, and the links to keep. */
export async function applySyncDiff(
  diff: SyncDiff,
  writer: SyncStoreWriter,
  mirror: StoreMirror,
  options: {
    concurrency: number;
    onWrite?: (done: number, total: number) => void;
    /** Called before a create is sent (records the object as the tool's, so a killed run's successor knows it). */
    onCreating?: (kind: 'store-user' | 'store-group', name: string) => void;
    /** Called when a create succeeded, with the new id. */
    onCreated?: (kind: 'store-user' | 'store-group', name: string, id: string) => void;
    /** The journal of the run (none for a dry run). */
    journal?: Journal;
    /** Aborted: no new write starts. */
    signal?: AbortSignal;
    /** Called when a create was refused (the name is held by an object the tool does not own). */
    onRefused?: (kind: 'store-user' | 'store-group', name: string) => void;
  },
): Promise<WriteOutcome> {
  const links = new Map(diff.links.map((l) => [l.entraId, l]));
  // Objects to delete keep their link until the delete succeeds, so a failed delete is tried again next run.
  for (const u of diff.users.delete)
    links.set(u.entraId, { entraId: u.entraId, kind: 'user', targetId: u.userId, origin: 'created' });
  for (const g of diff.groups.delete)
    links.set(g.entraId, { entraId: g.entraId, kind: 'group', targetId: g.groupId, origin: 'created' });
  const groupIds = new Map<string, string>();
  const userIds = new Map<string, string>();
  for (const m of diff.matches) (m.kind === 'user' ? userIds : groupIds).set(m.entraId, m.targetId);
  const failed: WriteFailure[] = [];
  const total = countWrites(diff);
  let writes = 0;
  const step = async (item: string, call: () => Promise<undefined | false>, change?: Change) => {
    if (options.signal?.aborted) return;
    // Every write is journaled: intent (with the typed change and its undo where there is one) before, result after.
    const entry = options.journal?.begin({
      stepId: change ? changeId(change) : `sync:${item}`,
      kind: change?.kind ?? `sync.${item.split(' ').slice(0, 2).join('-')}`,
      target: item,
      payload: { change: change ?? null },
      undo: change ? undoOf(change) : null,
    });
    try {
      if ((await call()) === false) {
        if (entry !== undefined) options.journal?.finish(entry, { status: 'failed', error: 'refused' });
        return;
      }
      if (entry !== undefined) options.journal?.finish(entry, { status: 'done' });
      writes++;
      options.onWrite?.(writes, total);
    } catch (error) {
      if (entry !== undefined) options.journal?.finish(entry, { status: 'failed', error: message(error) });
      failed.push({ item, error: message(error) });
    }
  };
  const pool = <T>(items: T[], fn: (item: T) => Promise<void>) => runPool(items, options.concurrency, fn);

  const conflicts: SyncConflict[] = [];
  /** A create refused because the name is held by an object the tool does not own: a conflict, never "created". */
  const refused = (error: unknown, kind: 'store-user' | 'store-group', entraId: string, name: string) => {
    if ((error as Error).name !== 'NotManaged') throw error;
    options.onRefused?.(kind, name);
    conflicts.push({
      id: kind === 'store-user' ? 'user-name-held-by-other' : 'group-name-held-by-other',
      entraId,
      name,
      targetIds: [],
      message: (error as Error).message,
    });
    return false as const;
  };
  await pool(diff.groups.create, (g) =>
    step(
      `create group ${g.displayName}`,
      async () => {
        options.onCreating?.('store-group', g.displayName);
        let groupId: string;
        try {
          groupId = await writer.createGroup(g.displayName, g.description);
        } catch (error) {
          return refused(error, 'store-group', g.entraId, g.displayName);
        }
        options.onCreated?.('store-group', g.displayName, groupId);
        groupIds.set(g.entraId, groupId);
        mirror.groups.set(groupId, {
          groupId,
          displayName: g.displayName,
          description: g.description,
          externalIds: [],
        });
        links.set(g.entraId, { entraId: g.entraId, kind: 'group', targetId: groupId, origin: 'created' });
      },
      { kind: 'store.group.create', name: g.displayName },
    ),
  );
  await pool(diff.users.create, (u) =>
    step(
      `create user ${u.attributes.userName}`,
      async () => {
        options.onCreating?.('store-user', u.attributes.userName);
        let userId: string;
        try {
          userId = await writer.createUser(u.attributes);
        } catch (error) {
          return refused(error, 'store-user', u.entraId, u.attributes.userName);
        }
        options.onCreated?.('store-user', u.attributes.userName, userId);
        userIds.set(u.entraId, userId);
        const a = u.attributes;
        mirror.users.set(userId, {
          userId,
          userName: a.userName,
          displayName: a.displayName,
          givenName: a.givenName,
          familyName: a.familyName,
          emails: a.email ? [a.email] : [],
          externalIds: [],
        });
        links.set(u.entraId, { entraId: u.entraId, kind: 'user', targetId: userId, origin: 'created' });
      },
      { kind: 'store.user.create', upn: u.attributes.userName },
    ),
  );
  await pool(diff.users.update, (u) =>
    step(`update user ${u.attributes.userName}`, async () => {
      try {
        await writer.updateUser(u.userId, u.attributes, u.changes);
      } catch (error) {
        if ((error as Error).name !== 'ConflictException' || !u.changes.includes('userName')) throw error;
        conflicts.push({
          id: 'user-name-held-by-other',
          entraId: u.entraId,
          name: u.attributes.userName,
          targetIds: [u.userId],
          message: `cannot rename ${u.userId} to ${u.attributes.userName}: another Identity Store user has that userName`,
        });
        return false;
      }
      const current = mirror.users.get(u.userId);
      const a = u.attributes;
      if (current) {
        Object.assign(current, {
          userName: a.userName,
          displayName: a.displayName,
          givenName: a.givenName,
          familyName: a.familyName,
          emails: a.email ? [a.email] : [],
        });
      }
    }),
  );
  await pool(diff.groups.update, (g) =>
    step(`update group ${g.displayName}`, async () => {
      await writer.updateGroup(g.groupId, g.displayName, g.description);
      const current = mirror.groups.get(g.groupId);
      if (current) Object.assign(current, { displayName: g.displayName, description: g.description });
    }),
  );
  await pool(diff.memberships.add, async (m) => {
    const groupId = groupIds.get(m.groupEntraId);
    const userId = userIds.get(m.userEntraId);
    if (!groupId || !userId) return;
    await step(`add ${userId} to ${groupId}`, async () => {
      const membershipId = await writer.addMembership(groupId, userId);
      mirror.memberships.set(membershipId, { membershipId, groupId, userId });
    });
  });
  await pool(diff.memberships.remove, (m) =>
    step(`remove ${m.userId} from ${m.groupId}`, async () => {
      await writer.removeMembership(m.membershipId);
      mirror.memberships.delete(m.membershipId);
    }),
  );
  await pool(diff.users.delete, (u) =>
    step(
      `delete user ${u.userName}`,
      async () => {
        await writer.deleteUser(u.userId);
        mirror.users.delete(u.userId);
        for (const [id, m] of mirror.memberships) if (m.userId === u.userId) mirror.memberships.delete(id);
        links.delete(u.entraId);
      },
      { kind: 'store.user.delete', upn: u.userName },
    ),
  );
  await pool(diff.groups.delete, (g) =>
    step(
      `delete group ${g.displayName}`,
      async () => {
        await writer.deleteGroup(g.groupId);
        mirror.groups.delete(g.groupId);
        for (const [id, m] of mirror.memberships) if (m.groupId === g.groupId) mirror.memberships.delete(id);
        links.delete(g.entraId);
      },
      { kind: 'store.group.delete', name: g.displayName, members: [] },
    ),
  );
  return { writes, failed, conflicts, links: [...links.values()] };
}
