/**
 * Entra groups: one per account and permission set, named by the template (`AWS-{account}-{permissionSet}`),
 * and one `AWS-AllAccounts-<PermissionSet>` group when a permission set goes to the same people in every account.
 */

import type { PlanSettings } from './plan-settings.js';
import type { PlannedGroup, PlannedUser } from './plan-types.js';

/** A migrating user's need: this person (UPN, or null when unmapped) gets these permission sets here. */
export type GroupNeed = {
  accountId: string;
  userName: string;
  upn: string | null;
  permissionSets: { key: string; name: string }[];
};

export type AccountLabel = { accountId: string; name: string; alias: string | null };

/** Groups, and the group names each user (`accountId/userName`) lands in. */
export type GroupDesign = { groups: PlannedGroup[]; byUser: Map<string, string[]> };

/** Designs the groups for every need; `renamed` maps group keys to names a reviewer chose. */
export function designGroups(
  needs: GroupNeed[],
  accounts: AccountLabel[],
  settings: PlanSettings,
  renamed: Map<string, string>,
): GroupDesign {
  const cells = new Map<
    string,
    { accountId: string; key: string; psName: string; people: Set<string>; users: string[] }
  >();
  for (const need of needs) {
    const person = need.upn ?? `unmapped:${need.accountId}/${need.userName}`;
    for (const ps of need.permissionSets) {
      const id = `${need.accountId}/${ps.key}`;
      const cell = cells.get(id) ?? {
        accountId: need.accountId,
        key: ps.key,
        psName: ps.name,
        people: new Set(),
        users: [],
      };
      cell.people.add(person);
      cell.users.push(`${need.accountId}/${need.userName}`);
      cells.set(id, cell);
    }
  }
  const byPs = new Map<string, (typeof cells extends Map<string, infer C> ? C : never)[]>();
  for (const cell of cells.values()) byPs.set(cell.key, [...(byPs.get(cell.key) ?? []), cell]);
  const labels = new Map(accounts.map((a) => [a.accountId, a]));
  const drafts: (PlannedGroup & { users: string[]; accountLabel: string })[] = [];
  for (const [psKey, list] of [...byPs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const everywhere = accounts.length > 1 && list.length === accounts.length && samePeople(list.map((c) => c.people));
    if (everywhere) {
      const psName = list[0].psName;
      drafts.push({
        key: `all/${psKey}`,
        name: renamed.get(`all/${psKey}`) ?? fill(settings.allAccountsGroupNameTemplate, 'AllAccounts', 'all', psName),
        description: `iam2sso: ${psName} in every account`,
        members: members(list[0].people),
        assignments: list.map((c) => ({ accountId: c.accountId, permissionSet: psName })).sort(byAccount),
        users: list.flatMap((c) => c.users),
        accountLabel: 'all',
      });
      continue;
    }
    for (const c of list.sort((a, b) => (a.accountId < b.accountId ? -1 : 1))) {
      const label = labels.get(c.accountId);
      const accountLabel = label?.alias ?? label?.name ?? c.accountId;
      const key = `${c.accountId}/${psKey}`;
      drafts.push({
        key,
        name: renamed.get(key) ?? fill(settings.groupNameTemplate, accountLabel, c.accountId, c.psName),
        description: `iam2sso: ${c.psName} on ${label?.name ?? c.accountId} (${c.accountId})`,
        members: members(c.people),
        assignments: [{ accountId: c.accountId, permissionSet: c.psName }],
        users: c.users,
        accountLabel: c.accountId,
      });
    }
  }
  const seen = new Map<string, number>();
  for (const d of drafts) seen.set(d.name.toLowerCase(), (seen.get(d.name.toLowerCase()) ?? 0) + 1);
  const byUser = new Map<string, string[]>();
  const groups: PlannedGroup[] = drafts.map(({ users, accountLabel, ...g }) => {
    const name =
      (seen.get(g.name.toLowerCase()) ?? 0) > 1 && !renamed.has(g.key) ? `${g.name}-${accountLabel}` : g.name;
    for (const u of users) byUser.set(u, [...(byUser.get(u) ?? []), name]);
    return { ...g, name };
  });
  return { groups: groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), byUser };
}

/**
 * The groups with their members taken from the users, as apply derives them: the UPNs of users whose action is
 * `migrate`, who are not blocked and who list the group. The written plan then says what apply will do.
 */
export function withMembersFromUsers(groups: PlannedGroup[], users: PlannedUser[]): PlannedGroup[] {
  const members = new Map<string, Set<string>>();
  for (const u of users) {
    if (u.action !== 'migrate' || !u.upn || u.blockedBy.length > 0) continue;
    for (const g of u.groups) members.set(g, (members.get(g) ?? new Set()).add(u.upn.toLowerCase()));
  }
  return groups.map((g) => ({ ...g, members: [...(members.get(g.name) ?? [])].sort() }));
}

/** Fills a group name template (`{account}`/`<AccountAlias>`, `{accountId}`, `{permissionSet}`/`<PermissionSet>`). */
export function fill(template: string, account: string, accountId: string, permissionSet: string): string {
  const safe = (s: string) => s.replace(/\s+/g, '-');
  return template
    .replace(/\{account\}|<AccountAlias>|<AccountName>/g, safe(account))
    .replace(/\{accountId\}|<AccountId>/g, accountId)
    .replace(/\{permissionSet\}|<PermissionSet>|<RoleName>/g, permissionSet);
}

function samePeople(sets: Set<string>[]): boolean {
  const [first, ...rest] = sets;
  if ([...first].some((p) => p.startsWith('unmapped:'))) return false;
  return rest.every((s) => s.size === first.size && [...s].every((p) => first.has(p)));
}

function members(people: Set<string>): string[] {
  return [...people].filter((p) => !p.startsWith('unmapped:')).sort();
}

function byAccount(a: { accountId: string }, b: { accountId: string }): number {
  return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
}
