/**
 * Pure diffs between the target state and what is live in Identity Center and Entra. Each returns
 * create / update / delete / unchanged. Only resources the product created (tagged or recorded as its own)
 * are ever proposed for deletion.
 */
import type { Change } from './changes.js';
import {
  assignmentKey,
  type BoundaryRef,
  canonicalPolicy,
  type DesiredAssignment,
  type DesiredGroup,
  type DesiredPermissionSet,
  type DesiredState,
  stableJson,
} from './desired.js';

export type LivePermissionSet = DesiredPermissionSet & {
  arn: string;
  managedByTool: boolean;
  relayState?: string | null;
};
export type LiveGroup = { id: string; name: string; members: string[]; managedByTool: boolean };
export type LiveAssignment = DesiredAssignment & { managedByTool: boolean };

export type LiveState = {
  permissionSets: LivePermissionSet[];
  groups: LiveGroup[];
  assignments: LiveAssignment[];
};

export type Update<D, L> = { desired: D; live: L; changes: string[] };

/** A permission set update: the typed changes (computed once) and their words. */
export type PermissionSetUpdate = Update<DesiredPermissionSet, LivePermissionSet> & { typed: Change[] };

export type Diff<D, L> = { create: D[]; update: Update<D, L>[]; delete: L[]; unchanged: D[] };

export type GroupChange = { desired: DesiredGroup; live: LiveGroup; add: string[]; remove: string[] };

export type StateDiff = {
  permissionSets: Omit<Diff<DesiredPermissionSet, LivePermissionSet>, 'update'> & { update: PermissionSetUpdate[] };
  groups: { create: DesiredGroup[]; update: GroupChange[]; delete: LiveGroup[]; unchanged: DesiredGroup[] };
  assignments: Diff<DesiredAssignment, LiveAssignment>;
};

function sameBoundary(a: BoundaryRef | null, b: BoundaryRef | null): boolean {
  return stableJson(a) === stableJson(b);
}

/**
 * The typed changes that bring a live permission set to the desired one: settings, then each policy attached or
 * detached, the inline policy (compared canonically, so layout never counts) and the boundary. Computed once; the
 * words people read are derived from these.
 */
export function permissionSetUpdates(desired: DesiredPermissionSet, live: DesiredPermissionSet): Change[] {
  const name = desired.name;
  const out: Change[] = [];
  if (desired.sessionDuration !== live.sessionDuration || desired.description !== live.description)
    out.push({
      kind: 'ps.update',
      name,
      to: { description: desired.description, sessionDuration: desired.sessionDuration },
      from: { description: live.description, sessionDuration: live.sessionDuration },
    });
  const liveManaged = new Set(live.managedPolicies);
  const desiredManaged = new Set(desired.managedPolicies);
  for (const policyArn of desired.managedPolicies)
    if (!liveManaged.has(policyArn)) out.push({ kind: 'ps.attach-managed', name, policyArn });
  for (const policyArn of live.managedPolicies)
    if (!desiredManaged.has(policyArn)) out.push({ kind: 'ps.detach-managed', name, policyArn });
  const ref = (p: { name: string; path: string }) => `${p.path}${p.name}`;
  const liveCm = new Set(live.customerManagedPolicies.map(ref));
  const desiredCm = new Set(desired.customerManagedPolicies.map(ref));
  for (const policy of desired.customerManagedPolicies)
    if (!liveCm.has(ref(policy))) out.push({ kind: 'ps.attach-customer-managed', name, policy });
  for (const policy of live.customerManagedPolicies)
    if (!desiredCm.has(ref(policy))) out.push({ kind: 'ps.detach-customer-managed', name, policy });
  const want = canonicalPolicy(desired.inlinePolicy);
  const have = canonicalPolicy(live.inlinePolicy);
  if (want !== have)
    out.push(
      want === null
        ? { kind: 'ps.delete-inline', name, previous: have! }
        : { kind: 'ps.put-inline', name, document: want, previous: have },
    );
  if (!sameBoundary(desired.permissionsBoundary, live.permissionsBoundary))
    out.push(
      desired.permissionsBoundary === null
        ? { kind: 'ps.delete-boundary', name, previous: live.permissionsBoundary! }
        : { kind: 'ps.put-boundary', name, boundary: desired.permissionsBoundary, previous: live.permissionsBoundary },
    );
  return out;
}

/** One change of a permission set in words (as the diff and the report show it). */
export function permissionSetChangeWords(c: Change, live?: { sessionDuration: string; description: string }): string[] {
  switch (c.kind) {
    case 'ps.update': {
      const words: string[] = [];
      if (c.to.sessionDuration !== (live ?? c.from).sessionDuration)
        words.push(`session ${c.from.sessionDuration} -> ${c.to.sessionDuration}`);
      if (c.to.description !== c.from.description) words.push('description');
      return words;
    }
    case 'ps.attach-managed':
      return [`+ managed ${c.policyArn}`];
    case 'ps.detach-managed':
      return [`- managed ${c.policyArn}`];
    case 'ps.attach-customer-managed':
      return [`+ customer managed ${c.policy.path}${c.policy.name}`];
    case 'ps.detach-customer-managed':
      return [`- customer managed ${c.policy.path}${c.policy.name}`];
    case 'ps.put-inline':
      return [c.previous === null ? '+ inline policy' : '~ inline policy'];
    case 'ps.delete-inline':
      return ['- inline policy'];
    case 'ps.put-boundary':
    case 'ps.delete-boundary':
      return ['~ permissions boundary'];
    default:
      return [];
  }
}

/** What differs between a desired and a live permission set, in words. */
export function permissionSetChanges(desired: DesiredPermissionSet, live: DesiredPermissionSet): string[] {
  return permissionSetUpdates(desired, live).flatMap((c) => permissionSetChangeWords(c));
}

function diffPermissionSets(desired: DesiredPermissionSet[], live: LivePermissionSet[]): StateDiff['permissionSets'] {
  const byName = new Map(live.map((p) => [p.name, p]));
  const out: StateDiff['permissionSets'] = { create: [], update: [], delete: [], unchanged: [] };
  for (const d of desired) {
    const l = byName.get(d.name);
    if (!l) out.create.push(d);
    else {
      const typed = permissionSetUpdates(d, l);
      const changes = typed.flatMap((c) => permissionSetChangeWords(c));
      if (typed.length) out.update.push({ desired: d, live: l, changes, typed });
      else out.unchanged.push(d);
    }
  }
  const wanted = new Set(desired.map((d) => d.name));
  out.delete = live.filter((l) => l.managedByTool && !wanted.has(l.name));
  return out;
}

function diffGroups(desired: DesiredGroup[], live: LiveGroup[]): StateDiff['groups'] {
  const byName = new Map(live.map((g) => [g.name.toLowerCase(), g]));
  const out: StateDiff['groups'] = { create: [], update: [], delete: [], unchanged: [] };
  for (const d of desired) {
    const l = byName.get(d.name.toLowerCase());
    if (!l) {
      out.create.push(d);
      continue;
    }
    const liveMembers = new Set(l.members.map((m) => m.toLowerCase()));
    const desiredMembers = new Set(d.members);
    const add = d.members.filter((m) => !liveMembers.has(m));
    // Members the product did not put there are removed only from groups it owns.
    const remove = l.managedByTool ? [...liveMembers].filter((m) => !desiredMembers.has(m)).sort() : [];
    if (add.length || remove.length) out.update.push({ desired: d, live: l, add, remove });
    else out.unchanged.push(d);
  }
  const wanted = new Set(desired.map((d) => d.name.toLowerCase()));
  out.delete = live.filter((l) => l.managedByTool && !wanted.has(l.name.toLowerCase()));
  return out;
}

function diffAssignments(desired: DesiredAssignment[], live: LiveAssignment[]): StateDiff['assignments'] {
  const liveKeys = new Map(live.map((a) => [assignmentKey(a), a]));
  const wanted = new Set(desired.map(assignmentKey));
  return {
    create: desired.filter((d) => !liveKeys.has(assignmentKey(d))),
    update: [],
    delete: live.filter((l) => l.managedByTool && !wanted.has(assignmentKey(l))),
    unchanged: desired.filter((d) => liveKeys.has(assignmentKey(d))),
  };
}

/** The whole diff between target and live state. */
export function diffState(desired: DesiredState, live: LiveState): StateDiff {
  return {
    permissionSets: diffPermissionSets(desired.permissionSets, live.permissionSets),
    groups: diffGroups(desired.groups, live.groups),
    assignments: diffAssignments(desired.assignments, live.assignments),
  };
}

/** Counts for the `+ ~ -` summary line. */
export function diffCounts(diff: StateDiff): { create: number; update: number; delete: number; unchanged: number } {
  const parts = [diff.permissionSets, diff.groups, diff.assignments];
  return {
    create: parts.reduce((n, p) => n + p.create.length, 0),
    update: parts.reduce((n, p) => n + p.update.length, 0),
    delete: parts.reduce((n, p) => n + p.delete.length, 0),
    unchanged: parts.reduce((n, p) => n + p.unchanged.length, 0),
  };
}

/** True when applying would change nothing. */
export function isEmptyDiff(diff: StateDiff): boolean {
  const c = diffCounts(diff);
  return c.create + c.update + c.delete === 0;
}
