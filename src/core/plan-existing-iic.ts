/**
 * Bringing an Identity Center already in use into the plan: its permission sets (those iam2sso does not own) enter
 * `permissionSets` as they are and `adopt:` by name, so apply manages them from then on and the diff shows any
 * change; each directory user gets a problem when it would lose sign-in on the identity-source switch (and why);
 * each directory group, a planned Entra group that replaces it (see plan-directory-groups.ts) with the Identity Store
 * group and its assignments adopted; direct user assignments, a problem with what to do. Kept when the plan is made
 * again. Pure.
 */
import type { SwitchOutcome } from './identity-source-switch.js';
import { adoptionRef, type PlannedAdoption } from './plan-adopt.js';
import {
  DIRECTORY_GROUP_KEY_PREFIX,
  type ExistingAssignment,
  replaceDirectoryGroups,
} from './plan-directory-groups.js';
import type { MigrationPlan, PlannedGroup, PlannedPermissionSet, PlanProblem } from './plan-types.js';
import type { BoundaryRef } from './reconcile/desired.js';

/** An existing permission set with its content. */
export type ExistingPermissionSet = {
  name: string;
  description: string;
  sessionDuration: string;
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  inlinePolicy: string | null;
  permissionsBoundary: BoundaryRef | null;
};

/** What the live read of an Identity Center in use found (objects iam2sso does not own). */
export type ExistingIdentityCenter = {
  permissionSets: ExistingPermissionSet[];
  groups: { name: string; members: string[] }[];
  assignments: ExistingAssignment[];
  /** The switch outcome of every directory user. */
  users: SwitchOutcome[];
  /** Names of the Entra groups that are not iam2sso's (absent: not read). */
  entraGroups?: string[];
};

/** The key prefix of permission sets brought in from Identity Center (kept when the plan is made again). */
export const EXISTING_KEY_PREFIX = 'existing:';

function permissionSetEntry(p: ExistingPermissionSet): PlannedPermissionSet {
  const admin = p.managedPolicies.some((a) => a.endsWith('/AdministratorAccess'));
  return {
    key: `${EXISTING_KEY_PREFIX}${p.name}`,
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    sessionDuration: p.sessionDuration,
    kind: admin ? 'admin' : 'power-user',
    managedPolicies: [...p.managedPolicies].sort(),
    customerManagedPolicies: p.customerManagedPolicies,
    inlinePolicy: p.inlinePolicy,
    permissionsBoundary: p.permissionsBoundary,
    reason: `existing Identity Center permission set, adopted as it is (${p.description || 'no description'})`,
  };
}

/** The plan with the existing Identity Center brought in (null: keep what the previous plan brought in). */
export function withExistingIdentityCenter(
  plan: MigrationPlan,
  existing: ExistingIdentityCenter | null,
  previous: MigrationPlan | null,
): MigrationPlan {
  const taken = new Set(plan.permissionSets.map((p) => p.name));
  const carried = (previous?.permissionSets ?? []).filter((p) => p.key.startsWith(EXISTING_KEY_PREFIX));
  const brought = existing ? existing.permissionSets.map(permissionSetEntry) : carried;
  const sets = brought.filter((p) => !taken.has(p.name));
  const replaced = replacements(plan, existing, previous, [...plan.permissionSets, ...sets]);
  const adopt: PlannedAdoption[] = [...(plan.adopt ?? [])];
  const adopted = new Set(adopt.map((a) => JSON.stringify(adoptionRef(a))));
  const entries: PlannedAdoption[] = [
    ...sets.map(
      (p): PlannedAdoption => ({
        kind: 'permission-set',
        name: p.name,
        reason: 'existing Identity Center permission set',
      }),
    ),
    ...replaced.adopt,
  ];
  for (const entry of entries) {
    const ref = JSON.stringify(adoptionRef(entry));
    if (!adopted.has(ref)) adopt.push(entry);
    adopted.add(ref);
  }
  const problems = existing
    ? [
        ...existing.users
          .filter((u) => !u.keeps)
          .map((u) => ({
            id: 'iic.loses-sign-in',
            message: `${u.userName} would lose sign-in when the identity source becomes Entra: ${u.keeps ? '' : `${u.detail}; ${u.fix}`}`,
          })),
        ...replaced.problems,
        ...existing.assignments
          .filter((a) => a.principalType === 'USER')
          .map((a) => ({
            id: 'iic.user-assignment',
            message: `${a.principal} holds ${a.permissionSet} on ${a.accountId} directly: give it through a group (assignments to users do not carry over)`,
          })),
      ]
    : (previous?.problems ?? []).filter((p) => p.id.startsWith('iic.'));
  return {
    ...plan,
    permissionSets: [...plan.permissionSets, ...sets],
    groups: [...plan.groups, ...replaced.groups],
    problems: [...plan.problems, ...problems],
    ...(adopt.length ? { adopt } : {}),
  };
}

/** The groups that replace directory groups: read now, or the previous plan's (null: nothing was read). */
function replacements(
  plan: MigrationPlan,
  existing: ExistingIdentityCenter | null,
  previous: MigrationPlan | null,
  sets: PlannedPermissionSet[],
): { groups: PlannedGroup[]; adopt: PlannedAdoption[]; problems: PlanProblem[] } {
  const groups = new Set(plan.groups.map((g) => g.name.toLowerCase()));
  if (existing)
    return replaceDirectoryGroups(existing.groups, existing.assignments, existing.users, {
      groups,
      permissionSets: new Set(sets.map((p) => p.name)),
      entraGroups: new Set((existing.entraGroups ?? []).map((g) => g.toLowerCase())),
    });
  const carried = (previous?.groups ?? []).filter(
    (g) => g.key.startsWith(DIRECTORY_GROUP_KEY_PREFIX) && !groups.has(g.name.toLowerCase()),
  );
  return { groups: carried, adopt: [], problems: [] };
}
