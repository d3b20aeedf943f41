/**
 * What `entra harden` should change, from the plan and what was read: the Conditional Access policy requiring MFA
 * for the AWS app (for the plan's groups, without the emergency-access accounts), and for each privileged group
 * (a permission set that grants administrator or IAM-write access) the plan's members made eligible through PIM
 * for Groups instead of standing members. Pure: returns typed changes and notes.
 */

import type { MigrationPlan, PlannedPermissionSet, PrivilegedGroupSetting } from './plan-types.js';
import type { Change } from './reconcile/changes.js';
import type {
  ActivationRules,
  ApprovalRule,
  Approver,
  CaPolicySpec,
  CaState,
  HardenChange,
} from './reconcile/changes-harden.js';

/** The display name of the tool's policy (how it is found again; ownership is the journal's create record). */
export const CA_POLICY_NAME = 'iam2sso: require MFA for AWS IAM Identity Center';

/** What `--conditional-access` asks for. */
export type CaMode = 'report-only' | 'on' | 'off';

const STATE_OF: Record<CaMode, CaState> = {
  'report-only': 'enabledForReportingButNotEnforced',
  on: 'enabled',
  off: 'disabled',
};

/** The defaults of a privileged group: activations of up to 4 hours, with a justification, no approver. */
export const PRIVILEGED_DEFAULTS: Omit<PrivilegedGroupSetting, 'group'> = {
  maxActivation: 'PT4H',
  approval: false,
  justification: true,
};

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|IAMFullAccess)$/;
const IAM_WRITE = /^iam:(\*|Create|Put|Attach|Delete|Detach|Update|Add|Remove|Pass|Set|Tag|Untag|Upload|\w*\*)/i;

function actionsOf(document: string | null): string[] {
  if (!document) return [];
  try {
    const doc = JSON.parse(document) as { Statement?: unknown };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return statements.flatMap((s) => {
      const st = s as { Effect?: string; Action?: unknown };
      if (st?.Effect !== 'Allow') return [];
      return (Array.isArray(st.Action) ? st.Action : [st.Action]).map(String);
    });
  } catch {
    return [];
  }
}

/** True when a permission set grants administrator or IAM-write access. */
export function isPrivilegedSet(ps: PlannedPermissionSet): boolean {
  if (ps.kind === 'admin') return true;
  if (ps.managedPolicies.some((arn) => ADMIN_POLICIES.test(arn))) return true;
  return actionsOf(ps.inlinePolicy).some((a) => a === '*' || IAM_WRITE.test(a));
}

/** The privileged groups: those in the plan file, else proposed from the permission sets they are given. */
export function privilegedGroups(plan: MigrationPlan): { settings: PrivilegedGroupSetting[]; proposed: boolean } {
  if (plan.privilegedAccess) return { settings: plan.privilegedAccess, proposed: false };
  const privileged = new Set(plan.permissionSets.filter(isPrivilegedSet).map((p) => p.name));
  const settings = plan.groups
    .filter((g) => g.assignments.some((a) => privileged.has(a.permissionSet)))
    .map((g) => ({ group: g.name, ...PRIVILEGED_DEFAULTS }));
  return { settings, proposed: true };
}

/** What was read for the Conditional Access half. */
export type CaLive = {
  appId: string;
  groupIds: Map<string, string>;
  /** Object ids of the users the policy leaves out. */
  excludeUserIds: string[];
  /** The policy with the tool's name, if any, its included groups, and whether the journal says the tool made it. */
  existing: { state: CaState; owned: boolean; includeGroups: string[] } | null;
};

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The Conditional Access changes for a mode. */
export function planConditionalAccess(
  plan: MigrationPlan,
  mode: CaMode,
  live: CaLive,
): { changes: HardenChange[]; notes: string[] } {
  const notes: string[] = [];
  const to = STATE_OF[mode];
  if (live.existing && !live.existing.owned) {
    notes.push(
      `a Conditional Access policy named '${CA_POLICY_NAME}' exists but iam2sso did not create it: left as it is`,
    );
    return { changes: [], notes };
  }
  const includeGroups = [...new Set(plan.groups.flatMap((g) => live.groupIds.get(g.name.toLowerCase()) ?? []))].sort();
  if (live.existing) {
    const changes: HardenChange[] = [];
    const from = [...live.existing.includeGroups].sort();
    // The policy follows the plan's groups (added, renamed into new groups, removed); a policy must keep one group.
    if (includeGroups.length === 0)
      notes.push("none of the plan's groups exists in Entra: the policy's groups are left as they are");
    else if (!sameSet(includeGroups, from))
      changes.push({ kind: 'entra.ca.groups', name: CA_POLICY_NAME, to: includeGroups, from });
    if (live.existing.state !== to)
      changes.push({ kind: 'entra.ca.state', name: CA_POLICY_NAME, to, from: live.existing.state });
    return { changes, notes };
  }
  if (mode === 'off') return { changes: [], notes };
  if (includeGroups.length === 0) {
    notes.push("none of the plan's groups exists in Entra yet (run `iam2sso apply`): no Conditional Access policy");
    return { changes: [], notes };
  }
  // A new policy always starts report-only: `on` is a second, reviewed step (its sign-in log shows who it would ask).
  if (mode === 'on')
    notes.push(
      'the policy is created report-only first; review the sign-in log, then run with `--conditional-access on` again',
    );
  const spec: CaPolicySpec = {
    displayName: CA_POLICY_NAME,
    state: STATE_OF['report-only'],
    appId: live.appId,
    includeGroups,
    excludeUsers: [...new Set(live.excludeUserIds)].sort(),
  };
  return { changes: [{ kind: 'entra.ca.create', name: CA_POLICY_NAME, spec }], notes };
}

/** What was read for one privileged group. */
export type PimGroupLive = {
  /** UPNs (lower-cased) eligible now. */
  eligible: Set<string>;
  /** UPNs (lower-cased) that are direct members without an active PIM assignment (standing members). */
  standing: Set<string>;
  /** UPNs (lower-cased) the tool made eligible (journaled). */
  ownedEligible: Set<string>;
  /** The group's activation rules now (null: the group has no PIM policy to read). */
  rules: ActivationRules | null;
};

const approverKey = (a: Approver) => (a.kind === 'other' ? `other:${JSON.stringify(a.subject)}` : `${a.kind}:${a.id}`);

/** True when two approval rules ask the same: both without approval, or both with the same approvers. */
function sameApproval(a: ApprovalRule | undefined, b: ApprovalRule): boolean {
  if (!a) return false;
  if (!a.required && !b.required) return true;
  return a.required === b.required && sameSet(a.approvers.map(approverKey), b.approvers.map(approverKey));
}

function sameRules(live: ActivationRules, to: ActivationRules): boolean {
  return (
    live.maxActivation === to.maxActivation &&
    live.justification === to.justification &&
    (!to.approval || sameApproval(live.approval, to.approval))
  );
}

/**
 * The PIM changes: the group's activation rules as the plan sets them (duration, justification, approval with the
 * approvers resolved to Entra ids, by lower-cased group name); plan members eligible and no longer standing; the
 * tool's eligibilities the plan dropped, removed.
 */
export function planPim(
  plan: MigrationPlan,
  settings: PrivilegedGroupSetting[],
  live: Map<string, PimGroupLive>,
  approvers: Map<string, Approver[]> = new Map(),
): { changes: Change[]; notes: string[] } {
  const changes: Change[] = [];
  const notes: string[] = [];
  for (const s of settings) {
    const group = plan.groups.find((g) => g.name.toLowerCase() === s.group.toLowerCase());
    const read = live.get(s.group.toLowerCase());
    if (!group || !read) {
      notes.push(`privileged group ${s.group} is not in the plan or not in Entra: skipped`);
      continue;
    }
    const to: ActivationRules = {
      maxActivation: s.maxActivation,
      justification: s.justification,
      approval: { required: s.approval, approvers: approvers.get(s.group.toLowerCase()) ?? [] },
    };
    if (read.rules && !sameRules(read.rules, to))
      changes.push({ kind: 'entra.pim.rules', group: group.name, to, from: read.rules });
    const members = new Set(group.members.map((m) => m.toLowerCase()));
    for (const upn of [...members].sort()) {
      if (!read.eligible.has(upn)) changes.push({ kind: 'entra.pim.eligible.add', group: group.name, upn });
      if (read.standing.has(upn)) changes.push({ kind: 'entra.member.remove', group: group.name, upn });
    }
    for (const upn of [...read.ownedEligible].sort())
      if (!members.has(upn) && read.eligible.has(upn))
        changes.push({ kind: 'entra.pim.eligible.remove', group: group.name, upn });
  }
  return { changes, notes };
}

/**
 * Apply's member changes that would undo PIM: an eligible member of a group is neither added back as a standing
 * member nor removed while activated. `eligible` holds the journaled eligibilities (`group|upn`, lower-cased).
 */
export function leaveEligibleAlone<C extends Change>(changes: C[], eligible: Set<string>): C[] {
  return changes.filter((c) => {
    if (
      c.kind !== 'entra.member.add' &&
      c.kind !== 'entra.member.remove' &&
      c.kind !== 'store.member.add' &&
      c.kind !== 'store.member.remove'
    )
      return true;
    return !eligible.has(`${c.group.toLowerCase()}|${c.upn.toLowerCase()}`);
  });
}

/**
 * Whether what was read shows a harden change in place (a killed run's call went through); false when the read does
 * not cover it (that half was not asked for, or the group was not read), so that the plan decides again.
 */
export function hardenTookEffect(
  c: Change,
  live: { ca: CaLive | null; pim: Map<string, PimGroupLive> | null },
): boolean {
  const group = 'group' in c ? live.pim?.get(c.group.toLowerCase()) : undefined;
  const upn = 'upn' in c ? c.upn.toLowerCase() : '';
  switch (c.kind) {
    case 'entra.ca.create':
      return !!live.ca?.existing;
    case 'entra.ca.state':
      return live.ca?.existing?.state === c.to;
    case 'entra.ca.groups':
      return !!live.ca?.existing && sameSet(live.ca.existing.includeGroups, c.to);
    case 'entra.ca.delete':
      return !!live.ca && live.ca.existing === null;
    case 'entra.pim.eligible.add':
      return !!group?.eligible.has(upn);
    case 'entra.pim.eligible.remove':
      return !!group && !group.eligible.has(upn);
    case 'entra.pim.rules':
      return !!group?.rules && sameRules(group.rules, c.to);
    case 'entra.member.remove':
      return !!group && !group.standing.has(upn);
    case 'entra.member.add':
      return !!group?.standing.has(upn);
    default:
      return false;
  }
}

/**
 * How iam2sso's MFA policy's included groups differ from the plan's groups that exist in Entra (`groupIds`: lower-cased
 * name → object id): plan groups it leaves out, and groups it includes that the plan does not have (named when Entra
 * knows them, else by id). `harden` makes them equal again (`entra.ca.groups`).
 */
export function caGroupsDrift(
  plan: Pick<MigrationPlan, 'groups'>,
  groupIds: Map<string, string>,
  includeGroups: string[],
): { missing: string[]; extra: string[] } {
  const included = new Set(includeGroups);
  const planned = new Map(
    plan.groups.flatMap((g) => {
      const id = groupIds.get(g.name.toLowerCase());
      return id ? [[id, g.name] as const] : [];
    }),
  );
  const names = new Map([...groupIds].map(([name, id]) => [id, name]));
  return {
    missing: [...planned].filter(([id]) => !included.has(id)).map(([, name]) => name),
    extra: includeGroups.filter((id) => !planned.has(id)).map((id) => names.get(id) ?? id),
  };
}
