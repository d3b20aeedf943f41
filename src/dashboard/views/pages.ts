/** The findings, plan and runs pages. */
import { html } from 'hono/html';
import type { Finding, Severity } from '../../core/model.js';
import type { MigrationPlan } from '../../core/plan-types.js';
import type { RunSummary } from '../state.js';
import { type Fragment, readableTime } from './layout.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];

/** Findings grouped by severity, worst first, each with its fix. */
export function findingsPage(findings: Finding[], labels: Map<string, string>): Fragment {
  if (findings.length === 0) return html`<p class="ok">No findings in the latest audit.</p>`;
  return html`${SEVERITIES.map((s) => {
    const mine = findings.filter((f) => f.severity === s);
    if (mine.length === 0) return '';
    return html`<h2 class="sev-${s}">${s} (${mine.length})</h2>
<table><thead><tr><th>Finding</th><th>Account</th><th>User</th><th>What</th><th>Fix</th></tr></thead><tbody>
${mine.map(
  (f) =>
    html`<tr><td>${f.kind}</td><td>${labels.get(f.accountId) ?? f.accountId}</td><td>${f.userName ?? '(root)'}</td><td>${f.message}</td><td>${f.fix}</td></tr>`,
)}</tbody></table>`;
  })}`;
}

/** The plan: the pending diff last computed, permission sets, groups with their assignments, and parity per person. */
export function planPage(
  plan: MigrationPlan | null,
  problem: string | null,
  planPath: string,
  pending: Fragment,
): Fragment {
  if (!plan)
    return problem
      ? html`<p class="bad">The plan file does not validate: ${problem}</p>`
      : html`<p>No plan file at <code>${planPath}</code>. Run <code>iam2sso plan</code>.</p>`;
  const withGaps = plan.users.filter((u) => u.parity.gaps.length > 0);
  const withExcess = plan.users.filter((u) => u.parity.excess.length > 0);
  return html`<p class="muted">${planPath}, created ${readableTime(plan.createdAt)}.</p>
<h2>Pending: what apply would change</h2>
${pending}
<div class="cards"><div class="card"><b>${plan.permissionSets.length}</b>permission sets</div>
<div class="card"><b>${plan.groups.length}</b>groups</div>
<div class="card"><b>${plan.users.filter((u) => u.action === 'migrate').length}</b>people to migrate</div>
<div class="card"><b>${withGaps.length}</b>with parity gaps</div><div class="card"><b>${withExcess.length}</b>gaining access</div></div>
<h2>Permission sets</h2>
<table><thead><tr><th>Name</th><th>Session</th><th>Managed policies</th><th>Inline</th><th>Why</th></tr></thead><tbody>
${plan.permissionSets.map(
  (p) =>
    html`<tr><td>${p.name}</td><td>${p.sessionDuration}</td><td>${p.managedPolicies.map((a) => a.split('/').at(-1)).join(', ')}</td><td>${p.inlinePolicy ? 'yes' : ''}</td><td><small>${p.reason}</small></td></tr>`,
)}</tbody></table>
<h2>Groups and assignments</h2>
<table><thead><tr><th>Group</th><th>Members</th><th>Assignments</th></tr></thead><tbody>
${plan.groups.map(
  (g) =>
    html`<tr><td>${g.name}</td><td>${g.members.length}</td><td>${g.assignments.map((a) => `${a.permissionSet} on ${a.accountId}`).join('; ')}</td></tr>`,
)}</tbody></table>
<h2>Parity</h2>
${
  withGaps.length + withExcess.length === 0
    ? html`<p class="ok">Every person keeps exactly the access they have.</p>`
    : html`<table><thead><tr><th>Person</th><th>Loses</th><th>Gains</th><th>Acknowledged</th></tr></thead><tbody>
${[...new Set([...withGaps, ...withExcess])].map(
  (u) =>
    html`<tr><td>${u.upn ?? u.userName} <small>${u.accountId}</small></td><td>${u.parity.gaps.join(', ')}</td><td>${u.parity.excess.join(', ')}</td><td>${u.parity.acknowledged.join(', ')}</td></tr>`,
)}</tbody></table>`
}`;
}

/** Every journaled run, newest first, with its counts and failures. */
export function runsPage(runs: RunSummary[]): Fragment {
  if (runs.length === 0) return html`<p>No journaled run yet (apply, sync, rollback and decommission appear here).</p>`;
  return html`<table id="runs"><thead><tr><th>Run</th><th>Command</th><th>Status</th><th>Changes</th><th>Started</th><th>Finished</th><th>Done</th><th>Failed</th><th>Open</th><th>Superseded</th></tr></thead><tbody>
${runs.map(
  (
    r,
  ) => html`<tr><td><code>${r.runId}</code></td><td>${r.kinds.join(', ')}</td><td>${readableTime(r.startedAt)}</td><td>${r.finishedAt ? readableTime(r.finishedAt) : ''}</td>
<td>${r.done}</td><td class="${r.failed ? 'bad' : ''}">${r.failed}</td><td>${r.open}</td><td>${r.superseded}</td></tr>
${r.failures.map((f) => html`<tr><td></td><td colspan="9" class="bad"><small>${f.target}: ${f.error}</small></td></tr>`)}`,
)}</tbody></table>`;
}
