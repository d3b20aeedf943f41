/**
 * The Entra groups that replace the directory groups of an Identity Center already in use. Each directory group
 * becomes a planned group of the same name (iam2sso's mirror finds the Identity Store group by its display name, as
 * Entra's provisioning matches groups by display name by default, so the group that holds the assignments today is
 * the one the Entra group feeds), whose
 * members are the group's directory users that match an enabled Entra user by UPN and whose assignments are the
 * group's assignments today. The Identity Store group and those assignments enter `adopt:`, so apply shows them
 * as adoptions and manages them from then on instead of creating them again or leaving them unmanaged. Members
 * who match no Entra user are left out (apply takes them out of the adopted group), each with a problem. Pure.
 */
import type { SwitchOutcome } from './identity-source-switch.js';
import type { PlannedAdoption } from './plan-adopt.js';
import type { PlannedAssignment, PlannedGroup, PlanProblem } from './plan-types.js';

/** The key prefix of the groups that replace directory groups (kept when the plan is made again). */
export const DIRECTORY_GROUP_KEY_PREFIX = 'existing-group:';

/** A directory group and the assignments that name it. */
export type DirectoryGroupFacts = { name: string; members: string[] };

/** An account assignment read from Identity Center (principal: group display name or user name). */
export type ExistingAssignment = {
  accountId: string;
  permissionSet: string;
  principalType: 'USER' | 'GROUP';
  principal: string;
};

const lower = (s: string) => s.toLowerCase();
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The planned groups, their adoptions and problems, for the directory groups whose names the plan leaves free. */
export function replaceDirectoryGroups(
  groups: DirectoryGroupFacts[],
  assignments: ExistingAssignment[],
  users: SwitchOutcome[],
  taken: { groups: Set<string>; permissionSets: Set<string>; entraGroups?: Set<string> },
): { groups: PlannedGroup[]; adopt: PlannedAdoption[]; problems: PlanProblem[] } {
  const keeps = new Map(users.filter((u) => u.keeps).map((u) => [lower(u.userName), u.upn]));
  const out = { groups: [] as PlannedGroup[], adopt: [] as PlannedAdoption[], problems: [] as PlanProblem[] };
  for (const g of [...groups].sort((a, b) => byText(a.name, b.name))) {
    if (taken.groups.has(lower(g.name))) {
      out.problems.push({
        id: 'iic.group-name-taken',
        message: `directory group ${g.name}: the plan already has a group of this name, so it is not replaced; rename the planned group and plan again`,
      });
      continue;
    }
    const upns = [...new Set(g.members.map((m) => keeps.get(lower(m))).filter((u): u is string => Boolean(u)))];
    const left = g.members.filter((m) => !keeps.has(lower(m))).sort(byText);
    const held: PlannedAssignment[] = assignments
      .filter((a) => a.principalType === 'GROUP' && lower(a.principal) === lower(g.name))
      .filter((a) => taken.permissionSets.has(a.permissionSet))
      .map((a) => ({ accountId: a.accountId, permissionSet: a.permissionSet }))
      .sort((a, b) => byText(`${a.accountId}|${a.permissionSet}`, `${b.accountId}|${b.permissionSet}`));
    out.groups.push({
      key: `${DIRECTORY_GROUP_KEY_PREFIX}${g.name}`,
      name: g.name,
      description: `replaces Identity Center directory group ${g.name}: its members that match Entra by UPN, its assignments`,
      replaces: g.name,
      members: upns.sort(byText),
      assignments: held,
    });
    out.adopt.push({
      kind: 'store-group',
      name: g.name,
      reason: 'Identity Center directory group, replaced by the Entra group of the same name',
    });
    for (const a of held)
      out.adopt.push({ kind: 'assignment', ...a, group: g.name, reason: 'existing Identity Center assignment' });
    if (taken.entraGroups?.has(lower(g.name)))
      out.problems.push({
        id: 'iic.entra-group-exists',
        message: `directory group ${g.name}: Entra already has a group of this name that iam2sso does not own, so apply refuses to make the replacement: if it holds the same people, adopt it (adopt: {kind: entra-group, name: ${g.name}}; apply then sets its members to the plan's), otherwise rename the directory group (Identity Store UpdateGroup, attribute displayName: its assignments follow its id) and plan again`,
      });
    if (left.length)
      out.problems.push({
        id: 'iic.group-members-left',
        message: `directory group ${g.name}: no enabled Entra user has the UPN of ${left.join(', ')}, so the Entra group leaves them out: apply keeps them in the adopted Identity Center group, but they lose it at the identity-source switch: fix them first (see iic.loses-sign-in) to keep their access`,
      });
  }
  return out;
}
