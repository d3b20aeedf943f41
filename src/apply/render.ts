/** The change set as people read it: `+ ~ -` lines and a counts line, like a Terraform plan. */
import type { ApplyDiff } from '../core/reconcile/apply-diff.js';
import { type Change, describeChange, isRemoval } from '../core/reconcile/changes.js';
import { orderChanges } from '../core/reconcile/order.js';

/** The label of an assignment in reports. */
export function assignmentItem(a: { accountId: string; permissionSet: string; group: string }): string {
  return `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}`;
}

/** One line per change (a permission set's policy changes on one line with the set). */
export function renderDiffLines(diff: ApplyDiff, changes: Change[]): string[] {
  const lines: string[] = [];
  const created = new Map(diff.permissionSets.create.map((p) => [p.name, p]));
  const updated = new Map(diff.permissionSets.update.map((u) => [u.desired.name, u]));
  for (const c of orderChanges(changes)) {
    if (c.kind === 'ps.create') {
      const p = created.get(c.name)!;
      lines.push(
        `+ permission set ${p.name} (${p.sessionDuration}, ${p.managedPolicies.length} managed, ${p.customerManagedPolicies.length} customer managed${p.inlinePolicy ? ', inline' : ''})`,
      );
    } else if (c.kind.startsWith('ps.') && c.kind !== 'ps.delete' && c.kind !== 'ps.provision' && 'name' in c) {
      const u = updated.get(c.name);
      if (u) {
        lines.push(`~ permission set ${c.name}: ${u.changes.join('; ')}`);
        updated.delete(c.name);
      }
    } else if (c.kind === 'entra.group.create') {
      const g = diff.groups.create.find((x) => x.name === c.name);
      lines.push(`+ Entra group ${c.name} (${g?.members.length ?? 0} members)`);
    } else if (c.kind !== 'entra.member.add' || !created.has(c.group)) lines.push(describeChange(c));
  }
  return lines;
}

/** The summary line: counts of changes, unchanged and skipped. */
export function renderSummary(diff: ApplyDiff, all: Change[]): string {
  const adopts = all.filter((c) => c.kind === 'object.adopt').length;
  // Waiting for Entra's provisioning changes nothing by itself: what follows it is counted.
  const changes = all.filter((c) => c.kind !== 'object.adopt' && c.kind !== 'scim.group.await');
  const removals = changes.filter(isRemoval).length;
  const creates = changes.filter((c) => !isRemoval(c) && /create|add|assign$/.test(c.kind)).length;
  const unchanged =
    diff.permissionSets.unchanged.length + diff.groups.unchanged.length + diff.assignments.unchanged.length;
  return `${adopts > 0 ? `${adopts} to adopt, ` : ''}${creates} to create, ${changes.length - creates - removals} to change, ${removals} to delete; ${unchanged} unchanged, ${diff.skipped.length} skipped.`;
}
