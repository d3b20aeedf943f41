/**
 * The target state a plan asks for, derived from the plan file's content: permission sets, Entra groups
 * and account assignments. `users[]` is the single source of group membership: a person is in a group only
 * while a user block whose action is `migrate` puts them there. Users who cannot migrate yet (no UPN,
 * unacknowledged parity gap) are left out of every group and reported as skipped; `keep`, `skip`, or a
 * deleted block removes the person from the groups.
 */
import { createHash } from 'node:crypto';
import { unacknowledgedGaps } from '../parity.js';
import type { PlannedAdoption } from '../plan-adopt.js';
import type { IdentitySource } from './identity-source.js';

export type BoundaryRef = { managedPolicyArn: string } | { customerManagedPolicy: { name: string; path: string } };

/** The slice of the plan file that apply reconciles (field names are the plan file's). */
export type PlanForApply = {
  formatVersion: number;
  /** Who feeds the Identity Store (absent: `iam2sso-sync`). */
  identitySource?: IdentitySource;
  permissionSets: {
    name: string;
    description?: string;
    sessionDuration: string;
    managedPolicies: string[];
    customerManagedPolicies: { name: string; path: string }[];
    inlinePolicy: string | null;
    permissionsBoundary: string | BoundaryRef | null;
  }[];
  groups: {
    name: string;
    members: string[];
    assignments: { accountId: string; permissionSet: string }[];
    /** Set on a group that replaces an Identity Center directory group: `members` are members as listed. */
    replaces?: string;
  }[];
  users: {
    accountId: string;
    userName: string;
    upn: string | null;
    action: 'migrate' | 'replace' | 'keep' | 'decommission' | 'skip';
    /** The groups this user joins when migrating (absent in older plans: `groups[].members` is used). */
    groups?: string[];
    parity?: { gaps: unknown[]; acknowledged?: unknown[] | boolean };
  }[];
  /** Existing objects a person adopted in the plan file (see plan-adopt.ts). */
  adopt?: PlannedAdoption[];
  /** Roles of direct SAML federation: their holders join the groups (see plan-direct-saml.ts). */
  directSaml?: {
    accountId: string;
    role: string;
    groups: string[];
    members: string[];
    parity?: { gaps: unknown[]; acknowledged?: unknown[] | boolean };
    blockedBy?: string[];
  }[];
};

export type DesiredPermissionSet = {
  name: string;
  description: string;
  sessionDuration: string;
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  inlinePolicy: string | null;
  permissionsBoundary: BoundaryRef | null;
};

export type DesiredGroup = {
  name: string;
  members: string[];
  /**
   * The group replaces an Identity Center directory group: apply adds its members but takes nobody out of the
   * adopted Identity Store group, so directory users who match no Entra user keep their access until the
   * identity-source switch (which ends it) rather than losing it at apply.
   */
  keepsDirectoryMembers?: true;
};

export type DesiredAssignment = { accountId: string; permissionSet: string; group: string };

export type Skipped = { item: string; reason: string };

export type DesiredState = {
  permissionSets: DesiredPermissionSet[];
  groups: DesiredGroup[];
  assignments: DesiredAssignment[];
  skipped: Skipped[];
};

/** A stable content hash of any JSON value (object keys sorted). */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so equal content gives equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An inline policy in canonical minified form (null stays null), so formatting never counts as a change. */
export function canonicalPolicy(text: string | null | undefined): string | null {
  if (!text) return null;
  return JSON.stringify(JSON.parse(text));
}

function normalizeBoundary(boundary: string | BoundaryRef | null | undefined): BoundaryRef | null {
  if (!boundary) return null;
  if (typeof boundary === 'string') return { managedPolicyArn: boundary };
  return boundary;
}

/** Why a user of the plan cannot be migrated yet, or null when they can. */
export function blockingReason(user: PlanForApply['users'][number]): string | null {
  if (user.action !== 'migrate') return null;
  if (!user.upn) return 'no Entra user mapped (set upn in the plan or a mapping file)';
  return openGapsReason(user.parity);
}

/** Why parity blocks: unacknowledged gaps, or null. */
function openGapsReason(parity: { gaps: unknown[]; acknowledged?: unknown[] | boolean } | undefined): string | null {
  const gaps = (parity?.gaps ?? []).map(String);
  const ack = parity?.acknowledged;
  if (gaps.length === 0 || ack === true) return null;
  const open = unacknowledgedGaps(gaps, Array.isArray(ack) ? ack.map(String) : []);
  if (open.length > 0) return `${open.length} access parity gap(s) not acknowledged (e.g. ${open[0]})`;
  return null;
}

/** Derives the target state from a plan. */
export function desiredStateFromPlan(plan: PlanForApply): DesiredState {
  const skipped: Skipped[] = [];
  const membersOf = membershipFromUsers(plan, skipped);
  const permissionSets = plan.permissionSets
    .map((ps) => ({
      name: ps.name,
      description: ps.description ?? `iam2sso: ${ps.name}`,
      sessionDuration: ps.sessionDuration,
      managedPolicies: [...new Set(ps.managedPolicies)].sort(),
      customerManagedPolicies: [...ps.customerManagedPolicies].sort((a, b) =>
        `${a.path}${a.name}` < `${b.path}${b.name}` ? -1 : 1,
      ),
      inlinePolicy: canonicalPolicy(ps.inlinePolicy),
      permissionsBoundary: normalizeBoundary(ps.permissionsBoundary),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const groups: DesiredGroup[] = [];
  const assignments: DesiredAssignment[] = [];
  for (const group of plan.groups) {
    groups.push({
      name: group.name,
      members: [...(membersOf.get(group.name.toLowerCase()) ?? [])].sort(),
      ...(group.replaces ? { keepsDirectoryMembers: true as const } : {}),
    });
    for (const a of group.assignments)
      assignments.push({ accountId: a.accountId, permissionSet: a.permissionSet, group: group.name });
  }
  groups.sort((a, b) => (a.name < b.name ? -1 : 1));
  assignments.sort((a, b) => (assignmentKey(a) < assignmentKey(b) ? -1 : 1));
  return { permissionSets, groups, assignments, skipped };
}

/**
 * Group name (lower case) → member UPNs (lower case), from the users whose action migrates them and who are
 * not blocked. A user block lists its groups; a block without `groups` (older plans) joins the groups whose
 * `members` name its UPN. A UPN in `groups[].members` that no migrating user brings is never a member, except in
 * a group that replaces an Identity Center directory group (`replaces`), whose directory users have no user block.
 */
function membershipFromUsers(plan: PlanForApply, skipped: Skipped[]): Map<string, Set<string>> {
  const listed = new Map<string, string[]>();
  for (const group of plan.groups)
    for (const m of group.members) {
      const upn = m.toLowerCase();
      listed.set(upn, [...(listed.get(upn) ?? []), group.name.toLowerCase()]);
    }
  const out = new Map<string, Set<string>>();
  for (const user of plan.users) {
    const reason = blockingReason(user);
    if (reason) {
      skipped.push({ item: `user ${user.accountId}/${user.userName}`, reason });
      continue;
    }
    if (user.action !== 'migrate' || !user.upn) continue;
    const upn = user.upn.toLowerCase();
    const groups = user.groups ? user.groups.map((g) => g.toLowerCase()) : (listed.get(upn) ?? []);
    for (const g of groups) out.set(g, (out.get(g) ?? new Set()).add(upn));
  }
  // A group that replaces a directory group keeps its listed members (directory users matched to Entra by UPN).
  for (const group of plan.groups)
    if (group.replaces)
      for (const upn of group.members)
        out.set(group.name.toLowerCase(), (out.get(group.name.toLowerCase()) ?? new Set()).add(upn.toLowerCase()));
  // The holders of a direct SAML role join its groups once its parity gaps are acknowledged and Entra was read.
  for (const role of plan.directSaml ?? []) {
    const reason = samlRoleBlocked(role);
    if (reason) {
      skipped.push({ item: `SAML role ${role.accountId}/${role.role}`, reason });
      continue;
    }
    for (const g of role.groups)
      for (const upn of role.members)
        out.set(g.toLowerCase(), (out.get(g.toLowerCase()) ?? new Set()).add(upn.toLowerCase()));
  }
  return out;
}

function samlRoleBlocked(role: NonNullable<PlanForApply['directSaml']>[number]): string | null {
  const entra = (role.blockedBy ?? []).find((b) => b.startsWith('entra:'));
  if (entra) return entra;
  return blockingReason({
    accountId: role.accountId,
    userName: role.role,
    upn: 'saml',
    action: 'migrate',
    parity: role.parity,
  });
}

/** The identity of an assignment: account, permission set and group. */
export function assignmentKey(a: { accountId: string; permissionSet: string; group: string }): string {
  return `${a.accountId}|${a.permissionSet}|${a.group}`;
}
