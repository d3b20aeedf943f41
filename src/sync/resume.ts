/**
 * What a killed sync (or a killed rollback of one) left open in the journal is settled from the Identity Store before
 * anything is read or diffed: each open Identity Store change is looked for in the store. A create whose object is
 * there was made by that intent (the run read the store before it, and journaled the intent before the call): it is
 * marked done with its id, and its ownership record gets the id, so that the next diff knows it as the tool's. A
 * delete whose object is gone, a membership that is there (or gone), a rename that took, are marked done (their undo
 * stays available to rollback); anything else is marked superseded, and the fresh read decides again.
 */
import type { Change, ObjectRef } from '../core/reconcile/changes.js';
import type { IdentityStoreReader } from '../ports/identity-store.js';
import type { Journal } from '../reconcile/journal.js';
import type { JournalEntry } from '../store/journal-repo.js';
import type { Ownership } from '../store/ownership-repo.js';

type Found = { happened: boolean; objectId?: string | null };

const lower = (s: string) => s.toLowerCase();

async function lookFor(c: Change, ids: Record<string, string>, store: IdentityStoreReader): Promise<Found | null> {
  switch (c.kind) {
    case 'store.user.create': {
      const id = await store.findUserId(c.attributes?.userName ?? c.upn);
      return { happened: id !== null, objectId: id };
    }
    case 'store.group.create': {
      const id = await store.findGroupId(c.name);
      return { happened: id !== null, objectId: id };
    }
    case 'store.user.delete':
      return { happened: (await store.findUserId(c.upn)) === null };
    case 'store.group.delete':
      return { happened: (await store.findGroupId(c.name)) === null };
    case 'store.member.add': {
      if (!ids.groupId || !ids.userId) return { happened: false };
      const id = await store.findMembershipId(ids.groupId, ids.userId);
      return { happened: id !== null, objectId: id };
    }
    case 'store.member.remove':
      if (!ids.groupId || !ids.userId) return { happened: false };
      return { happened: (await store.findMembershipId(ids.groupId, ids.userId)) === null };
    case 'store.user.update':
      return {
        happened: lower(c.to.userName) !== lower(c.upn) && (await store.findUserId(c.to.userName)) === ids.userId,
        objectId: ids.userId,
      };
    case 'store.group.update':
      return {
        happened:
          lower(c.to.displayName) !== lower(c.name) && (await store.findGroupId(c.to.displayName)) === ids.groupId,
        objectId: ids.groupId,
      };
    default:
      return null;
  }
}

/** Moves ownership to what the store shows after the change (created: its id; renamed: the new name). */
function settleOwnership(c: Change, found: Found, ownership: Ownership, runId: string): void {
  const user = (name: string): ObjectRef => ({ kind: 'store-user', key: lower(name) });
  const group = (name: string): ObjectRef => ({ kind: 'store-group', key: lower(name) });
  if (c.kind === 'store.user.create' || c.kind === 'store.group.create') {
    const ref = c.kind === 'store.user.create' ? user(c.upn) : group(c.name);
    if (found.happened) ownership.record(ref, runId, found.objectId ?? null);
    else ownership.release(ref);
  }
  if (!found.happened) return;
  if (c.kind === 'store.user.delete') ownership.release(user(c.upn));
  if (c.kind === 'store.group.delete') ownership.release(group(c.name));
  if (c.kind === 'store.user.update' && ownership.isOwned(user(c.upn))) {
    ownership.release(user(c.upn));
    ownership.record(user(c.to.userName), runId, found.objectId ?? null);
  }
  if (c.kind === 'store.group.update' && ownership.isOwned(group(c.name))) {
    ownership.release(group(c.name));
    ownership.record(group(c.to.displayName), runId, found.objectId ?? null);
  }
}

function isSyncEntry(entry: JournalEntry): boolean {
  return entry.runId.startsWith('sync-') || entry.planHash.startsWith('sync-');
}

/** Settles the open Identity Store entries; returns a line per entry for the log. Other kinds are left as they are. */
export async function resumeStoreEntries(
  journal: Journal,
  store: IdentityStoreReader,
  ownership: Ownership,
): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of journal.open()) {
    // Only what a sync, or a rollback of one, left open: an apply running at the same time settles its own.
    if (!isSyncEntry(entry)) continue;
    const payload = entry.payload as { change?: Change; ids?: Record<string, string> };
    if (!payload.change) continue;
    const found = await lookFor(payload.change, payload.ids ?? {}, store);
    if (!found) continue;
    settleOwnership(payload.change, found, ownership, entry.runId);
    journal.finish(
      entry.entryId,
      found.happened
        ? { status: 'done', result: { objectId: found.objectId ?? null, resumed: true } }
        : {
            status: 'superseded',
            result: { reason: 'interrupted before the call took effect; re-read from the store' },
          },
    );
    lines.push(`resumed ${entry.target}: ${found.happened ? 'done' : 'not made, decided again'}`);
  }
  return lines;
}
