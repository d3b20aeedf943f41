/**
 * Keeps the pending diff a command computed (`plan --detailed-exitcode`, `apply --dry-run`, what `apply` could not
 * make) in the state database, so the dashboard can show what apply would do without reading the clouds itself.
 */
import { renderDiffLines, renderSummary } from '../apply/render.js';
import type { ComputedChanges } from '../apply/run.js';
import type { Change } from '../core/reconcile/changes.js';
import { describeChange } from '../core/reconcile/changes.js';
import { contentHash, type PlanForApply } from '../core/reconcile/desired.js';
import { savePendingDiff } from '../store/computed-repo.js';
import type { StateDb } from '../store/db.js';

/** What the command saw: the diff, the changes it would make, and what it skipped. */
export type PendingSeen = {
  diff: ComputedChanges['diff'];
  changes: Change[];
  skipped: { item: string; reason: string }[];
};

/** Saves the changes pending for `planPath` as `command` computed them now. */
export function recordPendingDiff(
  db: StateDb,
  planPath: string,
  plan: PlanForApply,
  command: string,
  seen: PendingSeen,
): void {
  savePendingDiff(db, {
    planPath,
    planHash: contentHash(plan),
    command,
    computedAt: new Date().toISOString(),
    lines: renderDiffLines(seen.diff, seen.changes),
    skipped: seen.skipped,
    summary: renderSummary({ ...seen.diff, skipped: seen.skipped }, seen.changes),
  });
}

/** After a real apply: what is still pending is what did not succeed (failed, cancelled, not started). */
export function recordLeftAfterApply(
  db: StateDb,
  planPath: string,
  plan: PlanForApply,
  left: Change[],
  skipped: { item: string; reason: string }[],
): void {
  savePendingDiff(db, {
    planPath,
    planHash: contentHash(plan),
    command: 'apply',
    computedAt: new Date().toISOString(),
    lines: left.map(describeChange),
    skipped,
    summary:
      left.length === 0
        ? `nothing left to do after apply; ${skipped.length} skipped.`
        : `${left.length} change(s) left after apply (failed, cancelled or not started); ${skipped.length} skipped.`,
  });
}
