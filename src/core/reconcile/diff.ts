/**
 * Pure diffs between the target state and what is live in Identity Center and Entra. Each returns
 * create / update / delete / unchanged. Only resources the product created (tagged or recorded as its own)
 * are ever proposed for deletion.
 */
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

export type LivePermissionSet = DesiredPermissionSet & { arn: string; managedByTool: boolean };
export type LiveGroup = { id: string; name: string; members: string[]; managedByTool: boolean };
export type LiveAssignment = DesiredAssignment & { managedByTool: boolean };

export type LiveState = {
  permissionSets: LivePermissionSet[];
  groups: LiveGroup[];
  assignments: LiveAssignment[];
};

export type Update<D, L> = { desired: D; live: L; changes: string[] };

export type Diff<D, L> = { create: D[]; update: Update<D, L>[]; delete: L[]; unchanged: D[] };

export type GroupChange = { desired: DesiredGroup; live: LiveGroup; add: string[]; remove: string[] };

export type StateDiff = {
  permissionSets: Diff<DesiredPermissionSet, LivePermissionSet>;
  groups: { create: DesiredGroup[]; update: GroupChange[]; delete: LiveGroup[]; unchanged: DesiredGroup[] };
  assignments: Diff<DesiredAssignment, LiveAssignment>;
};

function sameBoundary(a: BoundaryRef | null, b: BoundaryRef | null): boolean {
  return stableJson(a) === stableJson(b);
}

/** What differs between a desired and a live permission set, in words. */
export function permissionSetChanges(desired: DesiredPermissionSet, live: DesiredPermissionSet): string[] {
  const changes: string[] = [];
  if (desired.sessionDuration !== live.sessionDuration)
    changes.push(`session ${live.sessionDuration} -> ${desired.sessionDuration}`);
  if (desired.description !== live.description) changes.push('description');
  const liveManaged = new Set(live.managedPolicies);
  const desiredManaged = new Set(desired.managedPolicies);
  for (const arn of desired.managedPolicies) if (!liveManaged.has(arn)) changes.push(`+ managed ${arn}`);
  for (const arn of live.managedPolicies) if (!desiredManaged.has(arn)) changes.push(`- managed ${arn}`);
  const ref = (p: { name: string; path: string }) => `${p.path}${p.name}`;
  const liveCm = new Set(live.customerManagedPolicies.map(ref));
  const desiredCm = new Set(desired.customerManagedPolicies.map(ref));
  for (const p of desired.customerManagedPolicies)
    if (!liveCm.has(ref(p))) changes.push(`+ customer managed ${ref(p)}`);
  for (const p of live.customerManagedPolicies)
    if (!desiredCm.has(ref(p))) changes.push(`- customer managed ${ref(p)}`);
  if (canonicalPolicy(desired.inlinePolicy) !== canonicalPolicy(live.inlinePolicy)) {
    changes.push(
      desired.inlinePolicy === null
        ? '- inline policy'
        : live.inlinePolicy === null
          ? '+ inline policy'
          : '~ inline policy',
    );
  }
  if (!sameBoundary(desired.permissionsBoundary, live.permissionsBoundary)) changes.push('~ permissions boundary');
  return changes;
}

function diffPermissionSets(desired: DesiredPermissionSet[], live: LivePermissionSet[]): StateDiff['permissionSets'] {
  const byName = new Map(live.map((p) => [p.name, p]));
  const out: StateDiff['permissionSets'] = { create: [], update: [], delete: [], unchanged: [] };
  for (const d of desired) {
    const l = byName.get(d.name);
    if (!l) out.create.push(d);
    else {
      const changes = permissionSetChanges(d, l);
      if (changes.length) out.update.push({ desired: d, live: l, changes });
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
