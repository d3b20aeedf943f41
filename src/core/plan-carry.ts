/**
 * Keeping a reviewer's edits when the plan is made again. An entry of the previous plan is matched by its key
 * (permission sets, groups) or account and user name; a field counts as edited when it differs from what the
 * plan generates for that entry, and the edit wins. Each kept edit is reported.
 */

import type { Category } from './model.js';
import { durationFor } from './permission-sets.js';
import type { PlanSettings } from './plan-settings.js';
import type {
  MigrationPlan,
  PlanFingerprint,
  PlannedPermissionSet,
  PlannedServiceAccount,
  PlannedUser,
  UserAction,
} from './plan-types.js';

/** Indexes of the previous plan, and the list of edits kept so far. */
export type Carry = {
  sets: Map<string, PlannedPermissionSet>;
  users: Map<string, PlannedUser>;
  groups: Map<string, string>;
  services: Map<string, PlannedServiceAccount>;
  /** Accounts the previous plan covered whose audited state has not changed since: a user missing there was deleted. */
  unchangedAccounts: Set<string>;
  kept: string[];
};

/** Indexes `previous` (null: nothing to keep); `current` is the fingerprint of the audit being planned. */
export function carryFrom(previous: MigrationPlan | null, current?: PlanFingerprint): Carry {
  const before = new Map((previous?.fingerprint.accounts ?? []).map((a) => [a.accountId, a.hash]));
  return {
    unchangedAccounts: new Set(
      (current?.accounts ?? []).filter((a) => before.get(a.accountId) === a.hash).map((a) => a.accountId),
    ),
    sets: new Map((previous?.permissionSets ?? []).map((p) => [p.key, p])),
    users: new Map((previous?.users ?? []).map((u) => [`${u.accountId}/${u.userName}`, u])),
    groups: new Map((previous?.groups ?? []).map((g) => [g.key, g.name])),
    services: new Map((previous?.serviceAccounts ?? []).map((s) => [`${s.accountId}/${s.userName}`, s])),
    kept: [],
  };
}

/** The action a category gets unless a reviewer chose another. */
export function defaultAction(category: Category): UserAction {
  if (category === 'human-console' || category === 'human-programmatic') return 'migrate';
  if (category === 'service') return 'replace';
  if (category === 'break-glass') return 'keep';
  return 'decommission';
}

/**
 * The user's action: the previous plan's when a reviewer changed it from its category's default; `skip` when a
 * reviewer deleted the user's block (the account is unchanged since, so the user was there to delete).
 */
export function carryAction(carry: Carry, key: string, generated: UserAction): UserAction {
  const prev = carry.users.get(key);
  if (!prev && carry.unchangedAccounts.has(key.slice(0, key.indexOf('/')))) {
    carry.kept.push(`${key}: skip (its block was deleted from the plan)`);
    return 'skip';
  }
  if (!prev || prev.action === defaultAction(prev.category) || prev.action === generated) return generated;
  carry.kept.push(`${key}: action ${prev.action} (generated: ${generated})`);
  return prev.action;
}

/** The permission set with a reviewer's name, duration and policy edits applied. */
export function carryPermissionSet(
  carry: Carry,
  ps: PlannedPermissionSet,
  settings: PlanSettings,
): PlannedPermissionSet {
  const prev = carry.sets.get(ps.key);
  if (!prev) return ps;
  const out = { ...ps };
  const note = (field: string) => carry.kept.push(`permission set ${ps.name}: ${field}`);
  if (prev.name !== ps.name) {
    out.name = prev.name;
    note(`name ${prev.name}`);
  }
  if (prev.sessionDuration !== durationFor(prev.kind, settings) && prev.sessionDuration !== ps.sessionDuration) {
    out.sessionDuration = prev.sessionDuration;
    note(`session duration ${prev.sessionDuration}`);
  }
  for (const field of ['managedPolicies', 'customerManagedPolicies', 'inlinePolicy', 'permissionsBoundary'] as const) {
    if (JSON.stringify(prev[field]) !== JSON.stringify(ps[field])) {
      (out as Record<string, unknown>)[field] = prev[field];
      note(`edited ${field}`);
    }
  }
  return out;
}

/** A UPN a reviewer wrote into the previous plan, when it differs from what mapping finds now. */
export function carryUpn(carry: Carry, key: string, resolved: string | null): string | null {
  const prev = carry.users.get(key);
  if (!prev?.upn || prev.upn === resolved) return null;
  if (prev.upnSource !== 'plan-file') carry.kept.push(`${key}: upn ${prev.upn} (mapping finds ${resolved ?? 'none'})`);
  return prev.upn;
}

/** Acknowledged gaps from the previous plan. */
export function carryAcknowledged(carry: Carry, key: string): string[] {
  return carry.users.get(key)?.parity.acknowledged ?? [];
}

/** A service account recommendation with a reviewer's choice, trust policy and policy edits applied. */
export function carryServiceAccount(carry: Carry, sa: PlannedServiceAccount): PlannedServiceAccount {
  const prev = carry.services.get(`${sa.accountId}/${sa.userName}`);
  if (!prev) return sa;
  const out = { ...sa };
  for (const field of ['recommendation', 'trustPolicy', 'policy'] as const) {
    if (prev[field] !== sa[field]) {
      (out as Record<string, unknown>)[field] = prev[field];
      carry.kept.push(`service account ${sa.accountId}/${sa.userName}: ${field}`);
    }
  }
  if (out.recommendation !== sa.recommendation) out.reason = prev.reason;
  return out;
}
