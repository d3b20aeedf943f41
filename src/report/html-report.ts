/**
 * The audit report as one self-contained HTML file: summary, charts (users by category and account, findings
 * by severity, access key ages), findings and the user inventory. No scripts or external assets.
 */

import { summarizeAudit } from '../core/audit-summary.js';
import { daysBetween } from '../core/classify-facts.js';
import type { Category, Severity } from '../core/model.js';
import type { AuditRun } from '../store/audit-repo.js';
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
.low{background:#fffbea}.unreachable{color:#9b2c2c}small{color:#4a5568}`;

/** Renders the report for a run at `now` (key ages are computed against the audit's time). */
export function renderHtmlReport(run: AuditRun): string {
  const now = new Date(run.snapshot.takenAt);
  const summary = summarizeAudit(run.snapshot, run.classifications, run.findings);
  const rows = buildInventoryRows(run);
  const categories = Object.keys(CATEGORY_COLORS) as Category[];
  const byAccount = run.snapshot.accounts.map((a) => ({
    label: `${a.alias ?? a.name} (${a.accountId})`,
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
<p>Run <code>${esc(run.snapshot.runId)}</code> taken ${esc(run.snapshot.takenAt)}${run.snapshot.managementAccountId ? `, organization management account ${esc(run.snapshot.managementAccountId)}` : ''}. ${run.meta.apiCalls} API calls in ${(run.meta.durationMs / 1000).toFixed(1)} s.</p>
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
<h2>Findings (${run.findings.length})</h2>
<table><thead><tr><th>Severity</th><th>Finding</th><th>Account</th><th>User</th><th>What</th><th>Fix</th></tr></thead><tbody>
${run.findings.map((f) => `<tr><td class="sev-${f.severity}">${f.severity}</td><td>${esc(f.kind)}</td><td>${esc(f.accountId)}</td><td>${esc(f.userName ?? '(root)')}</td><td>${esc(f.message)}</td><td>${esc(f.fix)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Users (${rows.length})</h2>
<table><thead><tr><th>User</th><th>Account</th><th>Category</th><th>Confidence</th><th>Policies</th><th>Groups</th><th>Console</th><th>MFA</th><th>Access keys</th><th>Findings</th><th>Evidence</th></tr></thead><tbody>
${rows.map((r) => `<tr class="${r.confidence === 'low' ? 'low' : ''}"><td>${esc(r.userName)}</td><td>${esc(r.accountName)}<br><small>${esc(r.accountId)}</small></td><td>${esc(r.category)}</td><td>${r.confidence}</td><td>${esc(r.policies.join(', '))}</td><td>${esc(r.groups.join(', '))}</td><td>${r.consoleEnabled ? `yes<br><small>${esc(r.passwordLastUsed?.slice(0, 10) ?? 'never used')}</small>` : 'no'}</td><td>${r.mfa ? 'yes' : 'no'}</td><td>${r.accessKeys.map((k) => esc(describeKey(k))).join('<br>')}</td><td>${esc([...new Set(r.findings.map((f) => f.split(':')[0]))].join(', '))}</td><td><small>${esc(r.evidence.join('; '))}</small></td></tr>`).join('\n')}
</tbody></table>
<p><small>Generated by iam2sso. This file has no scripts and loads nothing from the network.</small></p>
</body></html>
`;
}
