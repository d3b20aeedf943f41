/**
 * What a sync run's executed changes mean for the state it saves: the links between Entra and Identity Store objects
 * (a create that succeeded links its object; a delete keeps its link until it succeeds, so a failed one is tried
 * again), the store as it now is, and which failures are conflicts (a name another object holds) rather than errors.
 */
import { type Change, changeId, describeChange } from '../core/reconcile/changes.js';
import type { StoreGroup, StoreState, StoreUser, SyncConflict, SyncDiff, SyncLink } from '../core/sync/types.js';
import type { ExecutionReport } from '../reconcile/executor.js';
import { membershipsOf, type StoreIndex } from './perform.js';

const lower = (s: string) => s.toLowerCase();

/** The links to save after the run. */
export function linksAfter(diff: SyncDiff, report: ExecutionReport, index: StoreIndex): SyncLink[] {
  const done = new Set(report.done.map(changeId));
  const links = new Map(diff.links.map((l) => [l.entraId, l]));
  const link = (entraId: string, kind: 'user' | 'group', targetId: string) =>
    links.set(entraId, { entraId, kind, targetId, origin: 'created' });
  for (const u of diff.users.delete) link(u.entraId, 'user', u.userId);
  for (const g of diff.groups.delete) link(g.entraId, 'group', g.groupId);
  for (const g of diff.groups.create) {
    const id = index.groups.get(lower(g.displayName));
    if (done.has(changeId({ kind: 'store.group.create', name: g.displayName })) && id) link(g.entraId, 'group', id);
  }
  for (const u of diff.users.create) {
    const id = index.users.get(lower(u.attributes.userName));
    if (done.has(changeId({ kind: 'store.user.create', upn: u.attributes.userName })) && id)
      link(u.entraId, 'user', id);
  }
  for (const u of diff.users.delete)
    if (done.has(changeId({ kind: 'store.user.delete', upn: u.userName }))) links.delete(u.entraId);
  for (const g of diff.groups.delete)
    if (done.has(changeId({ kind: 'store.group.delete', name: g.displayName, members: [] }))) links.delete(g.entraId);
  return [...links.values()];
}

/** The store as the run left it (what the next incremental run diffs against). */
export function storeAfter(store: StoreState, report: ExecutionReport, index: StoreIndex): StoreState {
  const users = new Map<string, StoreUser>(store.users.map((u) => [u.userId, { ...u }]));
  const groups = new Map<string, StoreGroup>(store.groups.map((g) => [g.groupId, { ...g }]));
  for (const c of report.done) {
    if (c.kind === 'store.user.create' || c.kind === 'store.user.update') {
      const a = c.kind === 'store.user.create' ? c.attributes : c.to;
      const userId = index.users.get(lower(a?.userName ?? c.upn));
      if (!a || !userId) continue;
      const externalIds = users.get(userId)?.externalIds ?? [];
      const { email, ...rest } = a;
      users.set(userId, { userId, ...rest, emails: email ? [email] : [], externalIds });
    }
    if (c.kind === 'store.group.create' || c.kind === 'store.group.update') {
      const name = c.kind === 'store.group.create' ? c.name : c.to.displayName;
      const groupId = index.groups.get(lower(name));
      if (!groupId) continue;
      const description = c.kind === 'store.group.create' ? (c.description ?? null) : c.to.description;
      groups.set(groupId, {
        groupId,
        displayName: name,
        description,
        externalIds: groups.get(groupId)?.externalIds ?? [],
      });
    }
  }
  const liveUsers = new Set(index.users.values());
  const liveGroups = new Set(index.groups.values());
  return {
    users: [...users.values()].filter((u) => liveUsers.has(u.userId)),
    groups: [...groups.values()].filter((g) => liveGroups.has(g.groupId)),
    memberships: membershipsOf(index),
  };
}

function entraIdOf(diff: SyncDiff, c: Change): string {
  if (c.kind === 'store.user.create')
    return diff.users.create.find((u) => u.attributes.userName === c.upn)?.entraId ?? '';
  if (c.kind === 'store.user.update')
    return diff.users.update.find((u) => u.attributes.userName === c.to.userName)?.entraId ?? '';
  if (c.kind === 'store.group.create') return diff.groups.create.find((g) => g.displayName === c.name)?.entraId ?? '';
  return '';
}

/** Failures that are conflicts: a create refused because an object the tool does not own holds the name, a rename
 * onto a userName another user holds. The rest stay failures. */
export function splitConflicts(
  diff: SyncDiff,
  failed: ExecutionReport['failed'],
): { conflicts: SyncConflict[]; failed: { item: string; error: string }[] } {
  const conflicts: SyncConflict[] = [];
  const rest: { item: string; error: string }[] = [];
  for (const f of failed) {
    const c = f.change;
    const held = /^NotManaged: /.test(f.error) && (c.kind === 'store.user.create' || c.kind === 'store.group.create');
    const renameHeld =
      c.kind === 'store.user.update' && c.changes.includes('userName') && /^ConflictException/.test(f.error);
    if (held || renameHeld) {
      const user = c.kind !== 'store.group.create';
      conflicts.push({
        id: user ? 'user-name-held-by-other' : 'group-name-held-by-other',
        entraId: entraIdOf(diff, c),
        name: c.kind === 'store.user.update' ? c.to.userName : c.kind === 'store.user.create' ? c.upn : c.name,
        targetIds: [],
        message: renameHeld
          ? `cannot rename ${c.kind === 'store.user.update' ? c.upn : ''} to ${c.kind === 'store.user.update' ? c.to.userName : ''}: another Identity Store user has that userName`
          : f.error.replace(/^NotManaged: /, ''),
      });
    } else rest.push({ item: describeChange(c).slice(2), error: f.error });
  }
  return { conflicts, failed: rest };
}
