/**
 * The plan next to the audit in the HTML report: what the migration plan proposes (permission sets, groups, what
 * happens to each user and service account) and its access parity (who keeps exactly their access, whose gaps
 * are acknowledged, whose are not), when a plan file exists.
 */
import { unacknowledgedGaps } from '../core/parity.js';
import type { MigrationPlan } from '../core/plan-types.js';
import { readableDate } from './html-filter.js';
import { esc } from './svg-charts.js';

function counts<T extends string>(values: T[]): [T, number][] {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}

/** The plan and parity section; `runId` is the audit shown, to say when the plan was made from another one. */
export function planSection(plan: MigrationPlan, file: string, runId: string): string {
  const migrating = plan.users.filter((u) => u.action === 'migrate');
  const open = migrating.filter((u) => unacknowledgedGaps(u.parity.gaps, u.parity.acknowledged).length > 0);
  const acknowledged = migrating.filter((u) => u.parity.gaps.length > 0 && !open.includes(u));
  const review = migrating.filter((u) => u.parity.needsReview.length > 0);
  const blocked = plan.users.filter((u) => u.blockedBy.length > 0);
  const card = (label: string, value: number) => `<div class="card"><b>${value}</b>${esc(label)}</div>`;
  const list = (pairs: [string, number][]) => pairs.map(([k, n]) => `${esc(k)} ${n}`).join(', ') || 'none';
  const other =
    plan.fingerprint.runId === runId
      ? ''
      : ` <strong>It was made from audit ${esc(plan.fingerprint.runId)}, not the one above.</strong>`;
  const gapRows = open
    .slice(0, 50)
    .map(
      (u) =>
        `<tr><td>${esc(u.userName)}</td><td>${esc(u.accountId)}</td><td>${esc(unacknowledgedGaps(u.parity.gaps, u.parity.acknowledged).slice(0, 5).join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<h2 id="plan">Migration plan and access parity</h2>
<p>Plan <code>${esc(file)}</code> made ${esc(readableDate(plan.createdAt))}.${other}</p>
<div class="cards">${card('permission sets', plan.permissionSets.length)}${card('groups', plan.groups.length)}${card('users migrating', migrating.length)}${card('with full parity', migrating.length - open.length - acknowledged.length)}${card('gaps acknowledged', acknowledged.length)}${card('gaps to review', open.length)}${card('blocked', blocked.length)}</div>
<p>Users by action: ${list(counts(plan.users.map((u) => u.action)))}. Service accounts: ${list(counts(plan.serviceAccounts.map((s) => s.recommendation)))}. Statements to check by hand: ${review.length} user(s). Plan problems: ${plan.problems.length}.</p>
${open.length ? `<table id="parity-gaps"><thead><tr><th>User</th><th>Account</th><th>Access they would lose (first 5)</th></tr></thead><tbody>\n${gapRows}\n</tbody></table>` : '<p>No migrating user would lose access that was not acknowledged.</p>'}`;
}
