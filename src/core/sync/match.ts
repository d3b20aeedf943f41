/**
 * Identity matching between Entra and the Identity Store, strongest rule first: the Entra object id (an
 * ExternalId set by SCIM provisioning, or the link the state database kept from an earlier run), then the
 * UPN as userName, then the email. A rule only claims an Identity Store object nobody else holds; when the
 * object a weaker rule finds already belongs to someone else, that is a conflict, reported, never duplicated.
 */
import type {
  DirectoryGroup,
  EntraUser,
  MatchRule,
  StoreGroup,
  StoreUser,
  SyncConflict,
  SyncLink,
  SyncMatch,
} from './types.js';

export type MatchResult = { matches: Map<string, SyncMatch>; conflicts: SyncConflict[] };

const lower = (s: string) => s.toLowerCase();

function indexBy<T>(items: T[], keys: (item: T) => string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keys(item))) {
      const list = out.get(key);
      if (list) list.push(item);
      else out.set(key, [item]);
    }
  }
  return out;
}

/** The addresses an Entra user is known by in the store's `emails`: the mail, else the UPN. */
export function userEmail(user: EntraUser): string {
  return user.mail ?? user.userPrincipalName;
}

type Claims = { byTarget: Map<string, string>; matches: Map<string, SyncMatch> };

function claim(claims: Claims, kind: 'user' | 'group', entraId: string, targetId: string, rule: MatchRule): void {
  claims.byTarget.set(targetId, entraId);
  claims.matches.set(entraId, { entraId, kind, targetId, rule });
}

/** Pass 1 for users and groups: ExternalId equal to the object id, then the state database's link. */
function matchStableIds(
  kind: 'user' | 'group',
  ids: string[],
  targets: { id: string; externalIds: string[] }[],
  links: SyncLink[],
  claims: Claims,
): void {
  const byExternal = indexBy(targets, (t) => t.externalIds);
  const live = new Set(targets.map((t) => t.id));
  const linked = new Map(links.filter((l) => l.kind === kind).map((l) => [l.entraId, l.targetId]));
  for (const id of ids) {
    const external = byExternal.get(id)?.find((t) => !claims.byTarget.has(t.id));
    if (external) {
      claim(claims, kind, id, external.id, 'external-id');
      continue;
    }
    const targetId = linked.get(id);
    if (targetId && live.has(targetId) && !claims.byTarget.has(targetId)) claim(claims, kind, id, targetId, 'state');
  }
}

/** True when the target's ExternalIds name another Entra object than `entraId` (provisioned for someone else). */
function heldByOther(externalIds: string[], entraId: string, known: Set<string>): boolean {
  return externalIds.some((e) => e !== entraId && known.has(e));
}

function conflict(
  id: SyncConflict['id'],
  entraId: string,
  name: string,
  targetIds: string[],
  message: string,
): SyncConflict {
  return { id, entraId, name, targetIds, message };
}

/** Matches the Entra users the sync covers to Identity Store users. */
export function matchUsers(
  entra: EntraUser[],
  store: StoreUser[],
  links: SyncLink[],
  allEntraIds: Set<string>,
): MatchResult {
  const claims: Claims = { byTarget: new Map(), matches: new Map() };
  const sorted = [...entra].sort((a, b) => (a.id < b.id ? -1 : 1));
  const targets = store.map((u) => ({ id: u.userId, externalIds: u.externalIds }));
  matchStableIds(
    'user',
    sorted.map((u) => u.id),
    targets,
    links,
    claims,
  );
  const byId = new Map(store.map((u) => [u.userId, u]));
  const byName = indexBy(store, (u) => [lower(u.userName)]);
  const byEmail = indexBy(store, (u) => u.emails.map(lower));
  const conflicts: SyncConflict[] = [];
  const blocked = new Set<string>();
  for (const user of sorted) {
    if (claims.matches.has(user.id)) continue;
    const named = byName.get(lower(user.userPrincipalName))?.[0];
    if (!named) continue;
    if (claims.byTarget.has(named.userId) || heldByOther(named.externalIds, user.id, allEntraIds)) {
      const holder = claims.byTarget.get(named.userId) ?? named.externalIds[0];
      conflicts.push(
        conflict(
          'user-name-held-by-other',
          user.id,
          user.userPrincipalName,
          [named.userId],
          `userName ${named.userName} already belongs to the Identity Store user of Entra object ${holder}`,
        ),
      );
      blocked.add(user.id);
    } else claim(claims, 'user', user.id, named.userId, 'user-name');
  }
  for (const user of sorted) {
    if (claims.matches.has(user.id) || blocked.has(user.id)) continue;
    const email = lower(userEmail(user));
    const found = (byEmail.get(email) ?? []).filter((t) => !heldByOther(t.externalIds, user.id, allEntraIds));
    const free = found.filter((t) => !claims.byTarget.has(t.userId));
    const all = byEmail.get(email) ?? [];
    if (free.length === 1) claim(claims, 'user', user.id, free[0].userId, 'email');
    else if (free.length > 1) {
      conflicts.push(
        conflict(
          'email-ambiguous',
          user.id,
          user.userPrincipalName,
          free.map((t) => t.userId),
          `${free.length} Identity Store users have the email ${email}: ${free.map((t) => byId.get(t.userId)!.userName).join(', ')}`,
        ),
      );
    } else if (all.length > 0) {
      const holder = all[0];
      conflicts.push(
        conflict(
          'email-held-by-other',
          user.id,
          user.userPrincipalName,
          all.map((t) => t.userId),
          `email ${email} already belongs to Identity Store user ${holder.userName} (another Entra user)`,
        ),
      );
    }
  }
  return { matches: claims.matches, conflicts };
}

/** Matches the Entra groups in scope to Identity Store groups (object id, then display name). */
export function matchGroups(
  entra: DirectoryGroup[],
  store: StoreGroup[],
  links: SyncLink[],
  allEntraIds: Set<string>,
): MatchResult {
  const claims: Claims = { byTarget: new Map(), matches: new Map() };
  const sorted = [...entra].sort((a, b) => (a.id < b.id ? -1 : 1));
  matchStableIds(
    'group',
    sorted.map((g) => g.id),
    store.map((g) => ({ id: g.groupId, externalIds: g.externalIds })),
    links,
    claims,
  );
  const byName = indexBy(store, (g) => [lower(g.displayName)]);
  const conflicts: SyncConflict[] = [];
  for (const group of sorted) {
    if (claims.matches.has(group.id)) continue;
    const named = byName.get(lower(group.displayName))?.[0];
    if (!named) continue;
    if (claims.byTarget.has(named.groupId) || heldByOther(named.externalIds, group.id, allEntraIds)) {
      conflicts.push(
        conflict(
          'group-name-held-by-other',
          group.id,
          group.displayName,
          [named.groupId],
          `group name ${named.displayName} already belongs to the Identity Store group of another Entra group`,
        ),
      );
    } else claim(claims, 'group', group.id, named.groupId, 'display-name');
  }
  return { matches: claims.matches, conflicts };
}
