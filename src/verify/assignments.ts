/**
 * Who gets which permission set in which account, as Identity Center has it: account assignments (to groups
 * and to users) joined with Identity Store group memberships. Read through apply's ports, resolved purely.
 */
import type { AssignmentRef, IdentityCenterReader } from '../apply/ports.js';
import { mapLimit } from '../aws/fan-out.js';
import type { IdentityStoreReader, StoreGroup, StoreUser } from '../ports/identity-store.js';

/** Everything the resolution needs, as read from Identity Center and the Identity Store. */
export type AssignmentFacts = {
  users: Pick<StoreUser, 'userId' | 'userName'>[];
  groups: Pick<StoreGroup, 'groupId' | 'displayName'>[];
  /** Group id → member user ids. */
  memberships: Map<string, string[]>;
  /** Permission set ARN → name. */
  permissionSets: Map<string, string>;
  assignments: AssignmentRef[];
};

/** One permission set a person gets in one account, and through what (a group's name, or `user`). */
export type PersonAssignment = { accountId: string; permissionSet: string; via: string };

/** The reads the resolution needs. */
export type AssignmentReaders = {
  identityCenter: Pick<IdentityCenterReader, 'listPermissionSets' | 'listAssignments'>;
  identityStore: Pick<IdentityStoreReader, 'listUsers' | 'listGroups' | 'listMemberships'>;
};

/** Each Identity Store user's assignments, by lowercase user name (sorted by account, then permission set). */
export function assignmentsByPerson(facts: AssignmentFacts): Map<string, PersonAssignment[]> {
  const groupName = new Map(facts.groups.map((g) => [g.groupId, g.displayName]));
  const byUserId = new Map<string, PersonAssignment[]>();
  const add = (userId: string, a: PersonAssignment) => byUserId.set(userId, [...(byUserId.get(userId) ?? []), a]);
  for (const a of facts.assignments) {
    const permissionSet = facts.permissionSets.get(a.permissionSetArn) ?? a.permissionSetArn;
    if (a.principalType === 'USER') add(a.principalId, { accountId: a.accountId, permissionSet, via: 'user' });
    else
      for (const userId of facts.memberships.get(a.principalId) ?? [])
        add(userId, { accountId: a.accountId, permissionSet, via: groupName.get(a.principalId) ?? a.principalId });
  }
  const out = new Map<string, PersonAssignment[]>();
  for (const u of facts.users) {
    const list = (byUserId.get(u.userId) ?? []).sort((x, y) =>
      x.accountId !== y.accountId
        ? x.accountId < y.accountId
          ? -1
          : 1
        : x.permissionSet < y.permissionSet
          ? -1
          : x.permissionSet > y.permissionSet
            ? 1
            : 0,
    );
    out.set(u.userName.toLowerCase(), list);
  }
  return out;
}

/** Reads the assignments of every permission set in `accounts`, and the members of the groups they name. */
export async function readAssignmentFacts(
  readers: AssignmentReaders,
  accounts: string[],
  concurrency = 8,
): Promise<AssignmentFacts> {
  const [sets, users, groups] = await Promise.all([
    readers.identityCenter.listPermissionSets(),
    readers.identityStore.listUsers(),
    readers.identityStore.listGroups(),
  ]);
  const pairs = accounts.flatMap((accountId) => sets.map((ps) => ({ accountId, arn: ps.arn })));
  const assignments = (
    await mapLimit(pairs, concurrency, (p) => readers.identityCenter.listAssignments(p.accountId, p.arn))
  ).flat();
  const groupIds = [...new Set(assignments.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId))];
  const members = await mapLimit(groupIds, concurrency, (id) => readers.identityStore.listMemberships(id));
  return {
    users,
    groups,
    memberships: new Map(groupIds.map((id, i) => [id, members[i].map((m) => m.userId)])),
    permissionSets: new Map(sets.map((ps) => [ps.arn, ps.name])),
    assignments,
  };
}
