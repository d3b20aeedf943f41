/**
 * The typed changes of `entra harden`: the Conditional Access policy for the AWS app (create, switch state, follow
 * the plan's groups, delete), PIM for Groups eligibilities (a planned member made eligible, or no longer) and the
 * activation rules of a privileged group (duration, justification, approval and approvers). Their ids, owned
 * objects, owner checks, undos, phases and one-line descriptions; changes.ts and order.ts dispatch here. Pure.
 */

/** `conditionalAccessPolicyState` (Graph v1.0). */
export type CaState = 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';

/** What the tool's policy says: MFA for the app, for these groups, except these users. */
export type CaPolicySpec = {
  displayName: string;
  state: CaState;
  /** The AWS enterprise app's application (client) id. */
  appId: string;
  /** Object ids of the plan's groups. */
  includeGroups: string[];
  /** Object ids of the emergency-access accounts left out. */
  excludeUsers: string[];
};

/**
 * One approver of a PIM activation (a `subjectSet` of the approval stage): a user (`singleUser`), the members of a
 * group (`groupMembers`), or another kind of subject set the tool does not write but keeps as read, for undo.
 */
export type Approver = { kind: 'user' | 'group'; id: string } | { kind: 'other'; subject: Record<string, unknown> };

/** The approval rule of a group's activations: whether an approver must agree, and who may. */
export type ApprovalRule = { required: boolean; approvers: Approver[] };

/**
 * The activation rules of a privileged group: the longest activation, whether it needs a justification, and its
 * approval (absent in changes journaled before approval was managed: then the approval rule is left as it is).
 */
export type ActivationRules = { maxActivation: string; justification: boolean; approval?: ApprovalRule };

/** The kinds of object harden may own. */
export type HardenObjectKind = 'ca-policy' | 'pim-eligibility';

/** The changes of `entra harden`. */
export type HardenChange =
  | { kind: 'entra.ca.create'; name: string; spec: CaPolicySpec }
  | { kind: 'entra.ca.state'; name: string; to: CaState; from: CaState }
  /** The policy's included groups (object ids, sorted) follow the plan's groups. */
  | { kind: 'entra.ca.groups'; name: string; to: string[]; from: string[] }
  | { kind: 'entra.ca.delete'; name: string; snapshot: CaPolicySpec }
  | { kind: 'entra.pim.eligible.add' | 'entra.pim.eligible.remove'; group: string; upn: string }
  | { kind: 'entra.pim.rules'; group: string; to: ActivationRules; from: ActivationRules };

/** Kind tags of HardenChange. */
export type HardenChangeKind = HardenChange['kind'];

const HARDEN_KINDS: readonly HardenChangeKind[] = [
  'entra.ca.create',
  'entra.ca.state',
  'entra.ca.groups',
  'entra.ca.delete',
  'entra.pim.eligible.add',
  'entra.pim.eligible.remove',
  'entra.pim.rules',
];

const lower = (s: string) => s.toLowerCase();

/** True for the changes defined here. */
export function isHardenChange(c: { kind: string }): c is HardenChange {
  return (HARDEN_KINDS as readonly string[]).includes(c.kind);
}

/** The ownership key of an eligibility: group and UPN, lower-cased. */
export function eligibilityKey(group: string, upn: string): string {
  return `${lower(group)}|${lower(upn)}`;
}

/** A stable id of the change. */
export function hardenChangeId(c: HardenChange): string {
  if (c.kind === 'entra.pim.rules') return `${c.kind}:${lower(c.group)}`;
  return c.kind.startsWith('entra.pim.')
    ? `${c.kind}:${eligibilityKey((c as { group: string }).group, (c as { upn: string }).upn)}`
    : `${c.kind}:${lower((c as { name: string }).name)}`;
}

type Ref = { kind: HardenObjectKind | 'entra-group'; key: string };

/** The object a create makes. */
export function hardenCreated(c: HardenChange): Ref | null {
  if (c.kind === 'entra.ca.create') return { kind: 'ca-policy', key: lower(c.name) };
  if (c.kind === 'entra.pim.eligible.add') return { kind: 'pim-eligibility', key: eligibilityKey(c.group, c.upn) };
  return null;
}

/** The object a delete removes. */
export function hardenDeleted(c: HardenChange): Ref | null {
  if (c.kind === 'entra.ca.delete') return { kind: 'ca-policy', key: lower(c.name) };
  if (c.kind === 'entra.pim.eligible.remove') return { kind: 'pim-eligibility', key: eligibilityKey(c.group, c.upn) };
  return null;
}

/** What must be owned for the change to run: the policy itself, or the group an eligibility is made on. */
export function hardenOwnerCheck(c: HardenChange): Ref | null {
  switch (c.kind) {
    case 'entra.ca.create':
      return null;
    case 'entra.ca.state':
    case 'entra.ca.groups':
    case 'entra.ca.delete':
      return { kind: 'ca-policy', key: lower(c.name) };
    case 'entra.pim.eligible.add':
    case 'entra.pim.rules':
      return { kind: 'entra-group', key: lower(c.group) };
    case 'entra.pim.eligible.remove':
      return hardenDeleted(c);
  }
}

/** The change that reverts `c`. */
export function hardenUndoOf(c: HardenChange): HardenChange {
  switch (c.kind) {
    case 'entra.ca.create':
      return { kind: 'entra.ca.delete', name: c.name, snapshot: c.spec };
    case 'entra.ca.state':
      return { kind: 'entra.ca.state', name: c.name, to: c.from, from: c.to };
    case 'entra.ca.groups':
      return { ...c, to: c.from, from: c.to };
    case 'entra.ca.delete':
      return { kind: 'entra.ca.create', name: c.name, spec: c.snapshot };
    case 'entra.pim.eligible.add':
      return { ...c, kind: 'entra.pim.eligible.remove' };
    case 'entra.pim.eligible.remove':
      return { ...c, kind: 'entra.pim.eligible.add' };
    case 'entra.pim.rules':
      return { ...c, to: c.from, from: c.to };
  }
}

/** Phases (see order.ts): eligibilities before the standing memberships they replace are removed (phase 2). */
export const HARDEN_PHASE: Record<HardenChangeKind, number> = {
  'entra.ca.create': 1,
  'entra.ca.groups': 1,
  'entra.pim.eligible.add': 1,
  'entra.pim.rules': 1,
  'entra.ca.state': 2,
  'entra.pim.eligible.remove': 5,
  'entra.ca.delete': 6,
};

const STATE_WORDS: Record<CaState, string> = {
  enabled: 'on',
  disabled: 'off',
  enabledForReportingButNotEnforced: 'report-only',
};

/** One line for people. */
export function describeHardenChange(c: HardenChange): string {
  switch (c.kind) {
    case 'entra.ca.create':
      return `+ Conditional Access policy ${c.name} (${STATE_WORDS[c.spec.state]}, ${c.spec.includeGroups.length} group(s), ${c.spec.excludeUsers.length} excluded)`;
    case 'entra.ca.state':
      return `~ Conditional Access policy ${c.name} ${STATE_WORDS[c.from]} -> ${STATE_WORDS[c.to]}`;
    case 'entra.ca.groups': {
      const added = c.to.filter((g) => !c.from.includes(g)).length;
      const removed = c.from.filter((g) => !c.to.includes(g)).length;
      return `~ Conditional Access policy ${c.name} groups: ${c.from.length} -> ${c.to.length} (+${added} -${removed})`;
    }
    case 'entra.ca.delete':
      return `- Conditional Access policy ${c.name}`;
    case 'entra.pim.eligible.add':
      return `+ PIM eligible member ${c.upn} of ${c.group}`;
    case 'entra.pim.eligible.remove':
      return `- PIM eligible member ${c.upn} of ${c.group}`;
    case 'entra.pim.rules':
      return `~ PIM activation rules of ${c.group}: at most ${c.from.maxActivation} -> ${c.to.maxActivation}, justification ${c.from.justification ? 'required' : 'optional'} -> ${c.to.justification ? 'required' : 'optional'}${c.to.approval ? `, approval ${approvalWords(c.from.approval)} -> ${approvalWords(c.to.approval)}` : ''}`;
  }
}

function approvalWords(a: ApprovalRule | undefined): string {
  if (!a?.required) return 'none';
  return `by ${a.approvers.length} approver(s)`;
}

/**
 * Prerequisites among harden changes and the member removals they come with: a standing member of a group is
 * removed only after their eligibility for it was made.
 */
export function hardenDependencies<C extends { kind: string }>(changes: C[], need: (c: C, prereq: C) => void): void {
  const member = (c: C) => c as unknown as { group: string; upn: string };
  for (const c of changes) {
    if (c.kind !== 'entra.member.remove') continue;
    const key = eligibilityKey(member(c).group, member(c).upn);
    for (const p of changes)
      if (p.kind === 'entra.pim.eligible.add' && eligibilityKey(member(p).group, member(p).upn) === key) need(c, p);
  }
}
