/**
 * apply's change set as typed changes, from the diff against live state: what the one executor runs, what the
 * dry run lists and what the mass-change guard counts. Pure.
 */
import type { ApplyDiff } from './apply-diff.js';
import type { Change } from './changes.js';

const lower = (s: string) => s.toLowerCase();

/**
 * Every change of an apply diff. `assignments` are the live account assignments: a deleted permission set's are
 * recorded in its snapshot, so that rolling the delete back assigns it again.
 */
export function applyChanges(
  diff: ApplyDiff,
  assignments: { accountId: string; permissionSet: string; group: string }[] = [],
): Change[] {
  const out: Change[] = [];
  for (const p of diff.permissionSets.create) {
    out.push({ kind: 'ps.create', name: p.name, description: p.description, sessionDuration: p.sessionDuration });
    for (const policyArn of p.managedPolicies) out.push({ kind: 'ps.attach-managed', name: p.name, policyArn });
    for (const policy of p.customerManagedPolicies)
      out.push({ kind: 'ps.attach-customer-managed', name: p.name, policy });
    if (p.inlinePolicy) out.push({ kind: 'ps.put-inline', name: p.name, document: p.inlinePolicy, previous: null });
    if (p.permissionsBoundary)
      out.push({ kind: 'ps.put-boundary', name: p.name, boundary: p.permissionsBoundary, previous: null });
  }
  for (const u of diff.permissionSets.update) out.push(...u.typed);
  for (const p of diff.permissionSets.delete) {
    const { arn: _arn, managedByTool: _m, ...settings } = p;
    const held = assignments
      .filter((a) => a.permissionSet === p.name)
      .map((a) => ({ accountId: a.accountId, group: a.group }));
    out.push({ kind: 'ps.delete', name: p.name, snapshot: { ...settings, assignments: held } });
  }
  for (const g of diff.groups.create) {
    out.push({ kind: 'entra.group.create', name: g.name });
    for (const upn of g.members) out.push({ kind: 'entra.member.add', group: g.name, upn });
  }
  for (const u of diff.groups.update) {
    for (const upn of u.add) out.push({ kind: 'entra.member.add', group: u.desired.name, upn });
    for (const upn of u.remove) out.push({ kind: 'entra.member.remove', group: u.desired.name, upn });
  }
  for (const g of diff.groups.delete) out.push({ kind: 'entra.group.delete', name: g.name, members: g.members });
  for (const group of diff.appAssignments) out.push({ kind: 'entra.app.assign', group });
  const s = diff.store;
  for (const name of s.createGroups) out.push({ kind: 'store.group.create', name });
  for (const upn of s.createUsers) out.push({ kind: 'store.user.create', upn });
  for (const m of s.addMembers) out.push({ kind: 'store.member.add', group: m.group, upn: m.upn });
  for (const m of s.removeMembers) out.push({ kind: 'store.member.remove', group: m.group, upn: m.upn });
  for (const g of s.deleteGroups)
    out.push({ kind: 'store.group.delete', name: g.name, members: g.members.map((m) => lower(m.upn)) });
  for (const a of diff.assignments.create) out.push({ kind: 'assignment.create', ...pick(a) });
  for (const a of diff.assignments.delete) out.push({ kind: 'assignment.delete', ...pick(a) });
  for (const p of diff.provisioning) out.push({ kind: 'ps.provision', name: p.permissionSet, accountId: p.accountId });
  return out;
}

function pick(a: { accountId: string; permissionSet: string; group: string }) {
  return { accountId: a.accountId, permissionSet: a.permissionSet, group: a.group };
}
