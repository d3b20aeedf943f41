/**
 * The Identity Store changes `sync` adds to the change union: updates of a user's attributes and of a group's name
 * and description, and the snapshot a user's create and delete carry (attributes, and the groups the user is in), so
 * that undoing the delete of a user recreates it with its attributes and memberships. Pure.
 */
import type { UserAttributes } from '../sync/types.js';

/** A group's fields the sync writes. */
export type StoreGroupFields = { displayName: string; description: string | null };

/**
 * What a store user's create or delete may carry: the attributes (sync creates from Entra's; a delete records the
 * user's as they were) and the names of the groups the user is in (re-added when a delete is undone).
 */
export type StoreUserSnapshot = { attributes?: UserAttributes; groups?: string[] };

/** The kinds `sync` adds. */
export type SyncChange =
  | {
      kind: 'store.user.update';
      upn: string;
      to: UserAttributes;
      from: UserAttributes;
      changes: (keyof UserAttributes)[];
    }
  | { kind: 'store.group.update'; name: string; to: StoreGroupFields; from: StoreGroupFields };

/** The kinds of SyncChange. */
export type SyncChangeKind = SyncChange['kind'];

/** True for a change of a kind defined here. */
export function isSyncChange(c: { kind: string }): c is SyncChange {
  return c.kind === 'store.user.update' || c.kind === 'store.group.update';
}

const lower = (s: string) => s.toLowerCase();

/** The stable id of a sync change (the object it acts on, by its name before the change). */
export function syncChangeId(c: SyncChange): string {
  return c.kind === 'store.user.update' ? `${c.kind}:${lower(c.upn)}` : `${c.kind}:${lower(c.name)}`;
}

/** The object that must be the tool's for the change to run (only owned users and groups are ever changed). */
export function syncOwnerCheck(c: SyncChange): { kind: 'store-user' | 'store-group'; key: string } {
  return c.kind === 'store.user.update'
    ? { kind: 'store-user', key: lower(c.upn) }
    : { kind: 'store-group', key: lower(c.name) };
}

/** The change reverting it: the attributes or fields as they were. */
export function undoOfSync(c: SyncChange): SyncChange {
  if (c.kind === 'store.user.update') return { ...c, upn: c.to.userName, to: c.from, from: c.to };
  return { ...c, name: c.to.displayName, to: c.from, from: c.to };
}

/** One line for people. */
export function describeSyncChange(c: SyncChange): string {
  if (c.kind === 'store.user.update')
    return `~ Identity Store user ${c.upn} (${c.changes.map((k) => `${k} ${JSON.stringify(c.to[k])}`).join(', ')})`;
  const renamed = c.to.displayName !== c.from.displayName ? ` -> ${c.to.displayName}` : '';
  return `~ Identity Store group ${c.name}${renamed}${c.to.description !== c.from.description ? ' (description)' : ''}`;
}
