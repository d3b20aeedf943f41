/**
 * Which Entra groups and users the sync covers: the groups in scope (by name or prefix) and, for each, its
 * transitive user members: nested groups are flattened, since the Identity Store has no nested groups.
 */
import type { DirectoryGroup, EntraUser, SyncScope } from './types.js';

/** The live groups the scope names, in name order. Names compare case-insensitively, as Entra's do. */
export function groupsInScope(groups: Iterable<DirectoryGroup>, scope: SyncScope): DirectoryGroup[] {
  const names = scope.kind === 'names' ? new Set(scope.names.map((n) => n.toLowerCase())) : null;
  const prefix = scope.kind === 'prefix' ? scope.prefix.toLowerCase() : '';
  const out: DirectoryGroup[] = [];
  for (const group of groups) {
    if (group.deleted) continue;
    const name = group.displayName.toLowerCase();
    if (names ? names.has(name) : name.startsWith(prefix)) out.push(group);
  }
  return out.sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0));
}

/**
 * The user ids reachable from `group` through nested groups (each once; cycles and deleted objects ignored).
 * `memo` caches results per group across calls, so flattening many groups that share subgroups stays linear.
 */
export function transitiveUserIds(
  group: DirectoryGroup,
  groups: ReadonlyMap<string, DirectoryGroup>,
  users: ReadonlyMap<string, EntraUser>,
  memo: Map<string, Set<string>> = new Map(),
): Set<string> {
  const cached = memo.get(group.id);
  if (cached) return cached;
  const out = new Set<string>();
  const seen = new Set<string>([group.id]);
  const queue = [...group.members];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const user = users.get(id);
    if (user) {
      if (!user.deleted) out.add(id);
      continue;
    }
    const nested = groups.get(id);
    if (!nested || nested.deleted) continue;
    const done = memo.get(id);
    if (done) for (const u of done) out.add(u);
    else queue.push(...nested.members);
  }
  memo.set(group.id, out);
  return out;
}

/** Each in-scope group's transitive user members (live users only; disabled ones included). */
export function flattenScope(
  scoped: DirectoryGroup[],
  groups: ReadonlyMap<string, DirectoryGroup>,
  users: ReadonlyMap<string, EntraUser>,
): Map<string, Set<string>> {
  const memo = new Map<string, Set<string>>();
  return new Map(scoped.map((g) => [g.id, transitiveUserIds(g, groups, users, memo)]));
}
