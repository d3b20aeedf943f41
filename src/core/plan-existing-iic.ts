/**
 * Bringing an Identity Center already in use into the plan: its permission sets (those iam2sso does not own) enter
 * `permissionSets` as they are and `adopt:` by name, so apply manages them from then on and the diff shows any
 * change; each directory user gets a problem when it would lose sign-in on the identity-source switch (and why);
 * each directory group, the Entra group proposed to replace it (its members that match Entra by UPN) and the
 * assignments to carry over; direct user assignments, what to do. Kept when the plan is made again. Pure.
 */
import type { SwitchOutcome } from './identity-source-switch.js';
import { adoptionRef, type PlannedAdoption } from './plan-adopt.js';
import type { MigrationPlan, PlannedPermissionSet, PlanProblem } from './plan-types.js';
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
  assignments: { accountId: string; permissionSet: string; principalType: 'USER' | 'GROUP'; principal: string }[];
  /** The switch outcome of every directory user. */
  users: SwitchOutcome[];
};

/** The key prefix of permission sets brought in from Identity Center (kept when the plan is made again). */
export const EXISTING_KEY_PREFIX = 'existing:';

const lower = (s: string) => s.toLowerCase();

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

function groupProblems(existing: ExistingIdentityCenter): PlanProblem[] {
  const keeps = new Map(existing.users.filter((u) => u.keeps).map((u) => [lower(u.userName), u.upn]));
  return existing.groups.map((g) => {
    const upns = g.members.map((m) => keeps.get(lower(m))).filter((u): u is string => Boolean(u));
    const left = g.members.filter((m) => !keeps.has(lower(m)));
    const held = existing.assignments
      .filter((a) => a.principalType === 'GROUP' && a.principal === g.name)
      .map((a) => `${a.permissionSet} on ${a.accountId}`);
    return {
      id: 'iic.group-replacement',
      message:
        `directory group ${g.name}: replace it with Entra group ${g.name} (members ${upns.join(', ') || 'none'}` +
        `${left.length ? `; not in Entra: ${left.join(', ')}` : ''}), assigned ${held.join(', ') || 'nothing'}`,
    };
  });
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
  const adopt: PlannedAdoption[] = [...(plan.adopt ?? [])];
  const adopted = new Set(adopt.map((a) => JSON.stringify(adoptionRef(a))));
  for (const p of sets) {
    const entry: PlannedAdoption = {
      kind: 'permission-set',
      name: p.name,
      reason: 'existing Identity Center permission set',
    };
    if (!adopted.has(JSON.stringify(adoptionRef(entry)))) adopt.push(entry);
  }
  const problems = existing
    ? [
        ...existing.users
          .filter((u) => !u.keeps)
          .map((u) => ({
            id: 'iic.loses-sign-in',
            message: `${u.userName} would lose sign-in when the identity source becomes Entra: ${u.keeps ? '' : `${u.detail}; ${u.fix}`}`,
          })),
        ...groupProblems(existing),
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
    problems: [...plan.problems, ...problems],
    ...(adopt.length ? { adopt } : {}),
  };
}
