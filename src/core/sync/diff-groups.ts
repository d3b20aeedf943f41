/**
 * The group half of the sync diff: groups in scope created, renamed or kept; groups the sync created that
 * left the scope deleted (adopted ones are only let go); and each group's memberships made equal to its
 * flattened active members.
 */
import { matchGroups } from './match.js';
import type {
  DirectoryGroup,
  MembershipAdd,
  StoreMembership,
  StoreState,
  SyncConflict,
  SyncDiff,
  SyncLink,
  SyncMatch,
} from './types.js';

export type GroupDiffInput = {
  scoped: DirectoryGroup[];
  /** Each scoped group's transitive user members. */
  flat: Map<string, Set<string>>;
  store: StoreState;
  links: SyncLink[];
  /** Entra user id to its Identity Store user id (null: created in this run) for users who stay active. */
  activeUsers: Map<string, string | null>;
  /** Identity Store users deleted in this run (their memberships go with them). */
  deletedUsers: Set<string>;
  /** Identity Store ids the tool owns (recorded in the state database when it created them). */
  ownedTargets?: ReadonlySet<string>;
  /** Every Entra group id the mirror knows (to tell groups provisioned for another Entra group). */
  knownIds: Set<string>;
};

export type GroupDiff = Pick<SyncDiff, 'groups' | 'memberships'> & {
  matches: Map<string, SyncMatch>;
  conflicts: SyncConflict[];
};

function membershipsOf(
  group: DirectoryGroup,
  targetId: string | null,
  input: GroupDiffInput,
  byGroup: Map<string, StoreMembership[]>,
  out: GroupDiff['memberships'],
): void {
  const wanted = new Map<string, string | null>();
  for (const entraId of input.flat.get(group.id) ?? []) {
    if (input.activeUsers.has(entraId)) wanted.set(entraId, input.activeUsers.get(entraId)!);
  }
  const wantedTargets = new Set([...wanted.values()].filter((id): id is string => id !== null));
  const current = targetId ? (byGroup.get(targetId) ?? []) : [];
  const present = new Set<string>();
  for (const m of current) {
    present.add(m.userId);
    if (wantedTargets.has(m.userId)) out.unchanged++;
    else if (!input.deletedUsers.has(m.userId)) out.remove.push(m);
  }
  const adds: MembershipAdd[] = [];
  for (const [entraId, userId] of wanted) {
    if (userId === null || !present.has(userId)) adds.push({ groupEntraId: group.id, userEntraId: entraId });
  }
  out.add.push(...adds.sort((a, b) => (a.userEntraId < b.userEntraId ? -1 : 1)));
}

/** Diffs the scoped groups and their memberships. */
export function diffGroups(input: GroupDiffInput): GroupDiff {
  const { matches, conflicts } = matchGroups(input.scoped, input.store.groups, input.links, input.knownIds);
  const storeById = new Map(input.store.groups.map((g) => [g.groupId, g]));
  const byGroup = new Map<string, StoreMembership[]>();
  for (const m of input.store.memberships) {
    const list = byGroup.get(m.groupId);
    if (list) list.push(m);
    else byGroup.set(m.groupId, [m]);
  }
  const out: GroupDiff = {
    groups: { create: [], update: [], delete: [], unchanged: 0 },
    memberships: { add: [], remove: [], unchanged: 0 },
    matches,
    conflicts,
  };
  const conflicted = new Set(conflicts.map((c) => c.entraId));
  for (const group of input.scoped) {
    if (conflicted.has(group.id)) continue;
    const match = matches.get(group.id);
    if (!match) {
      out.groups.create.push({ entraId: group.id, displayName: group.displayName, description: group.description });
      membershipsOf(group, null, input, byGroup, out.memberships);
      continue;
    }
    const current = storeById.get(match.targetId)!;
    const link = input.links.find((l) => l.kind === 'group' && l.entraId === group.id && l.targetId === match.targetId);
    const changes: string[] = [];
    if (current.displayName !== group.displayName) changes.push('displayName');
    // The description of a group someone else made (apply, a person) is theirs: only the sync's own follow Entra.
    const own = link?.origin === 'created' || input.ownedTargets?.has(match.targetId) === true;
    if (own && (current.description ?? null) !== (group.description ?? null)) changes.push('description');
    if (changes.length > 0) {
      out.groups.update.push({
        entraId: group.id,
        groupId: match.targetId,
        displayName: group.displayName,
        description: group.description,
        changes,
      });
    } else out.groups.unchanged++;
    membershipsOf(group, match.targetId, input, byGroup, out.memberships);
  }
  for (const link of input.links) {
    if (link.kind !== 'group' || matches.has(link.entraId) || link.origin !== 'created') continue;
    const current = storeById.get(link.targetId);
    if (current)
      out.groups.delete.push({ entraId: link.entraId, groupId: current.groupId, displayName: current.displayName });
  }
  return out;
}

/** The group links to keep: every group matched this run, with its original origin when the target is the same. */
export function groupLinks(
  matches: Map<string, SyncMatch>,
  previous: SyncLink[],
  owned?: ReadonlySet<string>,
): SyncLink[] {
  const before = new Map(previous.filter((l) => l.kind === 'group').map((l) => [l.entraId, l]));
  return [...matches.values()].map((m) => {
    const link = before.get(m.entraId);
    const origin =
      link?.targetId === m.targetId ? link.origin : owned?.has(m.targetId) ? 'created' : (m.rule as SyncLink['origin']);
    return { entraId: m.entraId, kind: 'group' as const, targetId: m.targetId, origin };
  });
}
