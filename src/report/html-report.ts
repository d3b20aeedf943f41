/**
 * The audit report as one self-contained HTML file: summary, charts (users by category and account, findings
 * by severity, access key ages), the plan and its parity when a plan exists, findings (most serious first, then
 * by account) and the user inventory, with a filter by account, category and severity. Nothing is loaded from
 * the network; the only script is the filter's, inline.
 */

import { summarizeAudit } from '../core/audit-summary.js';
import { daysBetween } from '../core/classify-facts.js';
import type { Category, Finding, Severity } from '../core/model.js';
import type { MigrationPlan } from '../core/plan-types.js';
import type { AuditRun } from '../store/audit-repo.js';
import {
  FILTER_SCRIPT,
  filterAttributes,
  filterControls,
  readableDate,
  readableDay,
  SEVERITY_ORDER,
} from './html-filter.js';
import { planSection } from './html-plan.js';
import { buildInventoryRows, describeKey, unreadAccounts } from './inventory-rows.js';
import { barChart, columnChart, esc, stackedBarChart } from './svg-charts.js';

export const CATEGORY_COLORS: Record<Category, string> = {
  'human-console': '#2b6cb0',
  'human-programmatic': '#38a169',
  service: '#d69e2e',
  'break-glass': '#c53030',
  stale: '#718096',
};

const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#9b2c2c',
  high: '#dd6b20',
  medium: '#d69e2e',
  low: '#4a5568',
};

const AGE_BUCKETS: [string, number][] = [
  ['< 30 d', 30],
  ['30-90 d', 90],
  ['90-180 d', 180],
  ['180 d-1 y', 365],
  ['1-2 y', 730],
  ['> 2 y', Number.POSITIVE_INFINITY],
];

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#1a202c;padding:0 1em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #e2e8f0}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #e2e8f0;border-radius:6px;padding:.8em 1.2em}
.card b{display:block;font-size:1.6em}.charts{display:flex;flex-wrap:wrap;gap:2em}
figure{margin:0}figcaption{font-weight:600;margin-bottom:.4em}svg text{font-size:12px;fill:#2d3748}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border-bottom:1px solid #e2e8f0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f7fafc;position:sticky;top:0}.sev-critical{color:#9b2c2c;font-weight:700}.sev-high{color:#dd6b20;font-weight:700}
.low{background:#fffbea}.unreachable{color:#9b2c2c}small{color:#4a5568}
.filters{position:sticky;top:0;background:#fff;padding:.6em 0;z-index:1;border-bottom:1px solid #e2e8f0}.filters label{margin-right:1em}`;

/** Findings most serious first, then by account and user. */
export function sortFindings(findings: Finding[], accountLabel: (id: string) => string): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      accountLabel(a.accountId).localeCompare(accountLabel(b.accountId)) ||
      (a.userName ?? '').localeCompare(b.userName ?? '') ||
      a.kind.localeCompare(b.kind),
  );
}

/** The plan shown next to the audit, and the file it was read from. */
export type ReportPlan = { plan: MigrationPlan; file: string };

/** Renders the report for a run (key ages are computed against the audit's time), with the plan if given. */
export function renderHtmlReport(run: AuditRun, withPlan?: ReportPlan): string {
  const now = new Date(run.snapshot.takenAt);
  const summary = summarizeAudit(run.snapshot, run.classifications, run.findings);
  const rows = buildInventoryRows(run);
  const categories = Object.keys(CATEGORY_COLORS) as Category[];
  const labels = new Map(run.snapshot.accounts.map((a) => [a.accountId, `${a.alias ?? a.name} (${a.accountId})`]));
  const accountLabel = (id: string) => labels.get(id) ?? id;
  const categoryOf = new Map(rows.map((r) => [`${r.accountId}/${r.userName}`, r.category]));
  const severityKeys = new Set(run.findings.map((f) => `${f.accountId}/${f.userName}/${f.severity}`));
  const severitiesOf = (accountId: string, userName: string) =>
    SEVERITY_ORDER.filter((s) => severityKeys.has(`${accountId}/${userName}/${s}`));
  const findings = sortFindings(run.findings, accountLabel);
  const byAccount = run.snapshot.accounts.map((a) => ({
    label: accountLabel(a.accountId),
    parts: categories.map((c) => ({
      key: c,
      value: rows.filter((r) => r.accountId === a.accountId && r.category === c).length,
    })),
  }));
  const ages = AGE_BUCKETS.map(([label]) => ({ label, value: 0, color: '#4a5568' }));
  for (const r of rows)
    for (const k of r.accessKeys) {
      if (k.status !== 'Active') continue;
      const d = daysBetween(k.createdAt, now);
      ages[AGE_BUCKETS.findIndex(([, max]) => d < max)].value++;
    }
  ages.forEach((b, i) => {
    b.color = i < 2 ? '#38a169' : i < 3 ? '#d69e2e' : '#c53030';
  });
  const unread = unreadAccounts(run);
  const card = (label: string, value: number | string) =>
    `<div class="card"><b>${esc(String(value))}</b>${esc(label)}</div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iam2sso audit ${esc(run.snapshot.runId)}</title><style>${STYLE}</style></head>
<body>
<h1>IAM users audit</h1>
<p>Run <code>${esc(run.snapshot.runId)}</code> taken ${esc(readableDate(run.snapshot.takenAt))}${run.snapshot.managementAccountId ? `, organization management account ${esc(run.snapshot.managementAccountId)}` : ''}. ${run.meta.apiCalls} API calls in ${(run.meta.durationMs / 1000).toFixed(1)} s.</p>
<div class="cards">${card('accounts', summary.accounts.length)}${card('IAM users', summary.users)}${card('findings', summary.findings.total)}${card('critical findings', summary.findings.bySeverity.critical)}${card('low-confidence users', summary.lowConfidence)}</div>
${unread.length ? `<h2>Not read</h2><p>iam2sso changes nothing in these accounts until an audit reads them fully.</p><ul>${unread.map((a) => `<li class="unreachable">${esc(a.accountId)} ${esc(a.name)} (${a.status === 'partial' ? 'partly read' : 'not audited'}):<ul>${a.reads.map((r) => `<li>${esc(r)}</li>`).join('')}</ul></li>`).join('')}</ul>` : ''}
<h2>Charts</h2>
<div class="charts">
${barChart(
  'Users by category',
  categories.map((c) => ({ label: c, value: summary.byCategory[c], color: CATEGORY_COLORS[c] })),
)}
${barChart(
  'Findings by severity',
  (['critical', 'high', 'medium', 'low'] as Severity[]).map((s) => ({
    label: s,
    value: summary.findings.bySeverity[s],
    color: SEVERITY_COLORS[s],
  })),
)}
${columnChart('Active access key age', ages)}
${stackedBarChart('Users by account and category', byAccount, CATEGORY_COLORS)}
</div>
${withPlan ? planSection(withPlan.plan, withPlan.file, run.snapshot.runId) : ''}
${filterControls({ accounts: run.snapshot.accounts.map((a) => ({ id: a.accountId, label: accountLabel(a.accountId) })), categories })}
<h2>Findings (<span data-count-of="findings">${findings.length}</span>)</h2>
<table id="findings"><thead><tr><th>Severity</th><th>Finding</th><th>Account</th><th>User</th><th>What</th><th>Fix</th></tr></thead><tbody>
${findings.map((f) => `<tr ${filterAttributes({ accountId: f.accountId, category: f.userName ? categoryOf.get(`${f.accountId}/${f.userName}`) : '', severities: [f.severity] })}><td class="sev-${f.severity}">${f.severity}</td><td>${esc(f.kind)}</td><td>${esc(accountLabel(f.accountId))}</td><td>${esc(f.userName ?? '(root)')}</td><td>${esc(f.message)}</td><td>${esc(f.fix)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Users (<span data-count-of="users">${rows.length}</span>)</h2>
<table id="users"><thead><tr><th>User</th><th>Account</th><th>Category</th><th>Confidence</th><th>Policies</th><th>Groups</th><th>Console</th><th>MFA</th><th>Access keys</th><th>Findings</th><th>Evidence</th></tr></thead><tbody>
${rows.map((r) => `<tr class="${r.confidence === 'low' ? 'low' : ''}" ${filterAttributes({ accountId: r.accountId, category: r.category, severities: severitiesOf(r.accountId, r.userName) })}><td>${esc(r.userName)}</td><td>${esc(r.accountName)}<br><small>${esc(r.accountId)}</small></td><td>${esc(r.category)}</td><td>${r.confidence}</td><td>${esc(r.policies.join(', '))}</td><td>${esc(r.groups.join(', '))}</td><td>${r.consoleEnabled ? `yes<br><small>${esc(readableDay(r.passwordLastUsed) || 'never used')}</small>` : 'no'}</td><td>${r.mfa ? 'yes' : 'no'}</td><td>${r.accessKeys.map((k) => esc(describeKey(k))).join('<br>')}</td><td>${esc([...new Set(r.findings.map((f) => f.split(':')[0]))].join(', '))}</td><td><small>${esc(r.evidence.join('; '))}</small></td></tr>`).join('\n')}
</tbody></table>
<p><small>Generated by iam2sso. This file loads nothing from the network; its only script is the filter above.</small></p>
${FILTER_SCRIPT}
</body></html>
`;
}
