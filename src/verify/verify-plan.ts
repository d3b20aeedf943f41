/**
 * Verifies a plan against the live clouds: for every planned human ready to migrate and every account the plan
 * gives them, the permission sets Identity Center assigns them there, the roles those became in the account's
 * IAM (exactly the permission sets' policies), and the access those roles allow against the plan's parity for
 * the person. Pure: the live facts are read before (read-live.ts), so `doctor` or `explain` can reuse it.
 */
import type { AccountSnapshot, AuditSnapshot } from '../core/model.js';
import { unacknowledgedGaps } from '../core/parity.js';
import { withoutSelfService } from '../core/permission-sets-self-service.js';
import { type ManagedPolicyDocuments, userPolicies } from '../core/permission-sets-sources.js';
import { createParityEngine } from '../core/plan-parity.js';
import type { MigrationPlan, PlannedUser } from '../core/plan-types.js';
import type { PolicyCompiler } from '../core/policy/compile.js';
import { blockingReason } from '../core/reconcile/desired.js';
import { type AssignmentFacts, assignmentsByPerson } from './assignments.js';
import { liveDocuments, liveParity, type Parity, parityDifferences } from './live-parity.js';
import type { LiveRole } from './reserved-roles.js';
import { roleDifferences } from './role-check.js';

/** One planned (account, permission set) and how its live role compares with the permission set. */
export type RoleVerification = {
  accountId: string;
  permissionSet: string;
  roleName: string | null;
  problems: string[];
};

/** One migrating IAM user: what the plan gives the person in the user's account and what they have live. */
export type UserVerification = {
  accountId: string;
  userName: string;
  upn: string;
  /** Permission sets the plan gives the person in this account. */
  expected: string[];
  /** Permission sets Identity Center assigns them there (through groups or directly). */
  assigned: string[];
  /** Parity computed from the live roles, or null when it could not be computed. */
  parity: Parity | null;
  /** Other IAM users of the same person in the account (their sets add up, so parity may legitimately differ). */
  sharedWith: string[];
  problems: string[];
};

export type VerifyReport = { users: UserVerification[]; roles: RoleVerification[] };

/** What verification reads: the plan, the snapshot it was made from, and the live facts. */
export type VerifyInput = {
  plan: MigrationPlan;
  snapshot: AuditSnapshot;
  facts: AssignmentFacts;
  /** The Identity Center roles of each account the plan assigns to. */
  roles: Map<string, LiveRole[]>;
  compiler: PolicyCompiler;
  /** AWS managed documents for the user's policies before (as the plan used them). */
  lookup: ManagedPolicyDocuments;
};

/** Users apply migrates: action migrate, a UPN, nothing blocking. */
export function readyUsers(plan: MigrationPlan): (PlannedUser & { upn: string })[] {
  // The same rule as apply's (an open parity gap keeps a person out of every group), so that verify never reports
  // as missing the access apply deliberately did not give.
  return plan.users.filter(
    (u): u is PlannedUser & { upn: string } =>
      u.action === 'migrate' && !!u.upn && u.blockedBy.length === 0 && blockingReason(u) === null,
  );
}

/** Accounts the plan assigns permission sets in. */
export function plannedAccounts(plan: MigrationPlan): string[] {
  return [...new Set(plan.groups.flatMap((g) => g.assignments.map((a) => a.accountId)))].sort();
}

/** Compares the live state with the plan. */
export function verifyPlan(input: VerifyInput): VerifyReport {
  const { plan } = input;
  const setsByName = new Map(plan.permissionSets.map((ps) => [ps.name, ps]));
  const roleOf = (accountId: string, name: string) =>
    input.roles.get(accountId)?.find((r) => r.permissionSet === name) ?? null;
  const roles: RoleVerification[] = [];
  const seen = new Set<string>();
  for (const g of plan.groups)
    for (const a of g.assignments) {
      const key = `${a.accountId}|${a.permissionSet}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ps = setsByName.get(a.permissionSet);
      const role = roleOf(a.accountId, a.permissionSet);
      const problems = !role
        ? [`no role for ${a.permissionSet} in ${a.accountId}`]
        : ps
          ? roleDifferences(role, ps)
          : [`the plan has no permission set ${a.permissionSet}`];
      roles.push({ ...a, roleName: role?.roleName ?? null, problems });
    }

  const engine = createParityEngine(input.compiler, liveDocuments([...input.roles.values()].flat()));
  const people = assignmentsByPerson(input.facts);
  const ready = readyUsers(plan);
  const accounts = new Map(input.snapshot.accounts.map((a) => [a.accountId, a]));
  const users = ready.map((u) => {
    const person = u.upn.toLowerCase();
    const peers = ready.filter((p) => p.accountId === u.accountId && p.upn.toLowerCase() === person);
    const expected = [...new Set(peers.flatMap((p) => p.permissionSets))].sort();
    const assignedList = people.get(person);
    const assigned = [
      ...new Set((assignedList ?? []).filter((a) => a.accountId === u.accountId).map((a) => a.permissionSet)),
    ].sort();
    const result: UserVerification = {
      accountId: u.accountId,
      userName: u.userName,
      upn: u.upn,
      expected,
      assigned,
      parity: null,
      sharedWith: peers.filter((p) => p !== u).map((p) => p.userName),
      problems: [],
    };
    if (!assignedList) result.problems.push(`${u.upn} is not in the Identity Store`);
    const missing = expected.filter((s) => !assigned.includes(s));
    const extra = assigned.filter((s) => !expected.includes(s));
    if (missing.length) result.problems.push(`not assigned in ${u.accountId}: ${missing.join(', ')}`);
    if (extra.length) result.problems.push(`assigned in ${u.accountId} beyond the plan: ${extra.join(', ')}`);
    const live = assigned.map((s) => roleOf(u.accountId, s));
    assigned.forEach((s, i) => {
      if (!live[i]) result.problems.push(`no role for ${s} in ${u.accountId}`);
    });
    const account = accounts.get(u.accountId);
    const record = account?.users.find((x) => x.userName === u.userName);
    if (!account || !record) {
      result.problems.push(`${u.accountId}/${u.userName} is not in the audit snapshot ${input.snapshot.runId}`);
      return result;
    }
    result.parity = parityFor(engine, record, account, live, input.lookup);
    result.problems.push(...parityProblems(u, result.parity, result.sharedWith.length > 0));
    return result;
  });
  return { users, roles };
}

function parityFor(
  engine: ReturnType<typeof createParityEngine>,
  record: AccountSnapshot['users'][number],
  account: AccountSnapshot,
  live: (LiveRole | null)[],
  lookup: ManagedPolicyDocuments,
): Parity {
  const roles = live.filter((r): r is LiveRole => r !== null);
  // The plan compares access without the IAM user's self-service statements (see permission-sets-self-service).
  return liveParity(engine, withoutSelfService(userPolicies(record, account, lookup)).policies, roles, account);
}

function parityProblems(u: PlannedUser, live: Parity, shared: boolean): string[] {
  const open = unacknowledgedGaps(live.gaps, u.parity.acknowledged);
  const out = open.length ? [`access lost that no reviewer acknowledged: ${open.slice(0, 5).join(', ')}`] : [];
  // A person with several IAM users in one account gets all their sets: only access lost counts then.
  if (!shared) out.push(...parityDifferences(u.parity, live));
  return out;
}
