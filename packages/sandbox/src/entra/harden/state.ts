/**
 * The tenant's Conditional Access and PIM for Groups state, and what it does: which policies apply to a sign-in
 * (and so whether it needs the second factor; report-only policies are only logged), and the sweep that takes an
 * activated member out of the group when the activation ends on the virtual clock (the removal is dated at the
 * end, so group delta reports it like any other membership change).
 */
import type { CaPolicy, EntraHardenState, PimSchedule } from '../../world/entra-harden-state.js';
import type { EntraState } from '../../world/entra-state.js';
import { findGroup, removeMember, transitiveMemberOfIds } from '../directory.js';

/** The harden state of a tenant, created (licensed, empty) on first use. */
export function hardenOf(entra: EntraState): EntraHardenState {
  entra.harden ??= {
    policies: new Map(),
    pim: { eligibilities: new Map(), assignments: new Map(), requests: [], maxActivation: new Map() },
    signIns: [],
    licences: { premiumP1: true, premiumP2: true },
  };
  return entra.harden;
}

/** True when the policy's users condition covers the user (include minus exclude; groups count transitively). */
function coversUser(entra: EntraState, policy: CaPolicy, userId: string): boolean {
  const u = policy.conditions.users;
  const groups = new Set(transitiveMemberOfIds(entra, userId));
  if (u.excludeUsers.includes(userId) || u.excludeGroups.some((g) => groups.has(g))) return false;
  return (
    u.includeUsers.includes('All') || u.includeUsers.includes(userId) || u.includeGroups.some((g) => groups.has(g))
  );
}

/** The decision of Conditional Access for an interactive sign-in to an app: does it need MFA, and the log entry. */
export function evaluateSignIn(
  entra: EntraState,
  user: { id: string; userPrincipalName: string },
  appId: string,
  now: Date,
): { requireMfa: boolean } {
  const state = hardenOf(entra);
  const applied: { id: string; displayName: string; result: string }[] = [];
  let requireMfa = false;
  for (const policy of state.policies.values()) {
    if (policy.state === 'disabled') continue;
    const apps = policy.conditions.applications;
    const appMatch =
      (apps.includeApplications.includes('All') || apps.includeApplications.includes(appId)) &&
      !apps.excludeApplications.includes(appId);
    const wantsMfa =
      (policy.grantControls?.builtInControls.includes('mfa') ?? false) ||
      Boolean(policy.grantControls?.authenticationStrength);
    const applies = appMatch && coversUser(entra, policy, user.id) && wantsMfa && state.licences.premiumP1;
    const reportOnly = policy.state === 'enabledForReportingButNotEnforced';
    // Sign-in log results (Graph `conditionalAccessPolicyResult`): report-only policies never block; they
    // record what they would have done ("reportOnlyInterrupted": the user would have been asked for MFA).
    const result = !applies
      ? reportOnly
        ? 'reportOnlyNotApplied'
        : 'notApplied'
      : reportOnly
        ? 'reportOnlyInterrupted'
        : 'success';
    applied.push({ id: policy.id, displayName: policy.displayName, result });
    if (applies && !reportOnly) requireMfa = true;
  }
  state.signIns.push({
    createdDateTime: now,
    userPrincipalName: user.userPrincipalName,
    appId,
    conditionalAccessStatus: applied.some((a) => a.result === 'success') ? 'success' : 'notApplied',
    appliedConditionalAccessPolicies: applied,
  });
  return { requireMfa };
}

/** Ends the active assignments whose time is up: the member leaves the group (dated when it ended). */
export function sweepPim(entra: EntraState, now: Date): void {
  const pim = entra.harden?.pim;
  if (!pim) return;
  for (const a of [...pim.assignments.values()]) {
    if (!a.endDateTime || a.endDateTime > now) continue;
    endAssignment(entra, a, a.endDateTime);
  }
}

/** Removes an active assignment and the membership it gave (unless another active assignment still gives it). */
export function endAssignment(entra: EntraState, a: PimSchedule, at: Date): void {
  const pim = hardenOf(entra).pim;
  pim.assignments.delete(a.id);
  const still = [...pim.assignments.values()].some((o) => o.groupId === a.groupId && o.principalId === a.principalId);
  const group = findGroup(entra, a.groupId);
  if (group && !still) removeMember(entra, group, a.principalId, at);
}

/** Parses the ISO-8601 durations PIM uses (PT8H, PT30M, P1D) to milliseconds; null when unreadable. */
export function durationMs(text: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!m || text === 'P' || text === 'PT') return null;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}
