/**
 * What apply shows before and after running its changes: the mass-change guard over the typed changes, and the
 * report (`--json`) built from what the executor did with each change.
 */
import type { ApplyDiff } from '../core/reconcile/apply-diff.js';
import { type Change, deletedObject, describeChange, isRemoval, type ObjectKind } from '../core/reconcile/changes.js';
import type { Skipped } from '../core/reconcile/desired.js';
import { findMassChanges, type MassChange } from '../core/reconcile/guard.js';
import type { ExecutionReport } from '../reconcile/executor.js';
import type { Ownership } from '../store/ownership-repo.js';

/** What apply did, as `--json` prints it. */
export type ApplyReport = {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
  skipped: Skipped[];
  failed: { item: string; error: string }[];
  /** Changes not attempted because one they depend on failed (e.g. the old group kept when the new one failed). */
  cancelled: Skipped[];
  /** Existing objects adopted from the plan's `adopt:` section (now managed by iam2sso). */
  adopted: string[];
};

/** The kinds whose removals pass the threshold (deletes per owned kind; members per owned group's members). */
export function massChangesOf(
  changes: Change[],
  ownership: Pick<Ownership, 'count'>,
  liveMembers: number,
): MassChange[] {
  const removals = new Map<string, number>();
  for (const c of changes) {
    const gone = deletedObject(c);
    const kind = gone ? gone.kind : c.kind.endsWith('member.remove') ? 'membership' : null;
    if (kind) removals.set(kind, (removals.get(kind) ?? 0) + 1);
  }
  return findMassChanges(
    [...removals].map(([kind, n]) => ({
      kind,
      removals: n,
      owned: kind === 'membership' ? liveMembers : ownership.count(kind as ObjectKind),
    })),
  );
}

const label = (c: Change) => describeChange(c).slice(2);

/** The report from the executor's outcome (a permission set's policy changes are one "updated" line). */
export function applyReport(diff: ApplyDiff, exec: ExecutionReport, skipped: Skipped[]): ApplyReport {
  const report: ApplyReport = {
    created: [],
    updated: [],
    deleted: [],
    unchanged: [
      ...diff.permissionSets.unchanged.map((p) => `permission set ${p.name}`),
      ...diff.groups.unchanged.map((g) => `Entra group ${g.name}`),
      ...diff.assignments.unchanged.map((a) => `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}`),
    ],
    skipped: [...skipped, ...exec.refused.map((r) => ({ item: label(r.change), reason: r.reason }))],
    failed: exec.failed.map((f) => ({ item: label(f.change), error: f.error })),
    cancelled: exec.cancelled.map((r) => ({ item: label(r.change), reason: r.reason })),
    adopted: exec.done.filter((c) => c.kind === 'object.adopt').map((c) => (c as { label: string }).label),
  };
  const updates = new Map(diff.permissionSets.update.map((u) => [u.desired.name, u]));
  const failedSets = new Set(exec.failed.map((f) => ('name' in f.change ? f.change.name : '')));
  for (const c of exec.done) {
    if (c.kind === 'object.adopt' || c.kind === 'object.release') continue;
    if (c.kind.startsWith('ps.') && c.kind !== 'ps.create' && c.kind !== 'ps.delete' && c.kind !== 'ps.provision') {
      const u = updates.get((c as { name: string }).name);
      if (u && !failedSets.has(u.desired.name)) {
        report.updated.push(`permission set ${u.desired.name} (${u.changes.join(', ')})`);
        updates.delete(u.desired.name);
      }
    } else if (c.kind === 'ps.provision' || c.kind === 'entra.member.add' || c.kind === 'entra.member.remove')
      report.updated.push(label(c));
    else if (isRemoval(c)) report.deleted.push(label(c));
    else report.created.push(label(c));
  }
  return report;
}
