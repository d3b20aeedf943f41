/** The change set as people read it: `+ ~ -` lines and a counts line, like a Terraform plan. */
import { type ApplyDiff, applyDiffCounts } from '../core/reconcile/apply-diff.js';
import { diffCounts } from '../core/reconcile/diff.js';
import { assignmentItem } from './steps-assignments.js';

/** One line per change. */
export function renderDiffLines(diff: ApplyDiff): string[] {
  const lines: string[] = [];
  for (const p of diff.permissionSets.create)
    lines.push(
      `+ permission set ${p.name} (${p.sessionDuration}, ${p.managedPolicies.length} managed, ${p.customerManagedPolicies.length} customer managed${p.inlinePolicy ? ', inline' : ''})`,
    );
  for (const u of diff.permissionSets.update) lines.push(`~ permission set ${u.desired.name}: ${u.changes.join('; ')}`);
  for (const g of diff.groups.create) lines.push(`+ Entra group ${g.name} (${g.members.length} members)`);
  for (const u of diff.groups.update)
    lines.push(
      `~ Entra group ${u.desired.name}: ${[...u.add.map((m) => `+${m}`), ...u.remove.map((m) => `-${m}`)].join(' ')}`,
    );
  for (const g of diff.appAssignments) lines.push(`+ Entra app assignment ${g}`);
  for (const g of diff.store.createGroups) lines.push(`+ Identity Store group ${g}`);
  for (const u of diff.store.createUsers) lines.push(`+ Identity Store user ${u}`);
  for (const m of diff.store.addMembers) lines.push(`+ Identity Store member ${m.group} <- ${m.upn}`);
  for (const a of diff.assignments.create) lines.push(`+ ${assignmentItem(a)}`);
  for (const p of diff.provisioning) lines.push(`~ provision ${p.permissionSet} to ${p.accountId}`);
  for (const m of diff.store.removeMembers) lines.push(`- Identity Store member ${m.group} <- ${m.upn}`);
  for (const a of diff.assignments.delete) lines.push(`- ${assignmentItem(a)}`);
  for (const p of diff.permissionSets.delete) lines.push(`- permission set ${p.name}`);
  for (const g of diff.store.deleteGroups) lines.push(`- Identity Store group ${g.name}`);
  for (const g of diff.groups.delete) lines.push(`- Entra group ${g.name}`);
  return lines;
}

/** The summary line: counts of changes, unchanged and skipped. */
export function renderSummary(diff: ApplyDiff): string {
  const c = applyDiffCounts(diff);
  const unchanged = diffCounts(diff).unchanged;
  return `${c.create} to create, ${c.update} to change, ${c.delete} to delete; ${unchanged} unchanged, ${diff.skipped.length} skipped.`;
}
