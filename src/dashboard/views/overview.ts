/** The overview page: the phases as counts, a progress bar per account, and what is blocked and why. */
import { html } from 'hono/html';
import {
  type AccountProgress,
  type DashboardModel,
  PHASE_LABELS,
  PHASES,
  type Phase,
} from '../../core/dashboard-model.js';
import { type Fragment, PHASE_COLORS, phaseLegend, readableTime } from './layout.js';

function card(model: DashboardModel, phase: Phase): Fragment {
  const label = PHASE_LABELS[phase];
  if (model.notStarted.includes(phase))
    return html`<div class="card not-started" data-phase="${phase}"><b>not started</b>${label}</div>`;
  return html`<div class="card" data-phase="${phase}"><b>${model.totals[phase]}</b>${label}</div>`;
}

/** One bar: each phase's share of the account's IAM users, the furthest phase on top. */
function progressBar(a: AccountProgress): Fragment {
  const parts = PHASES.map((p, i) => {
    const next = PHASES[i + 1];
    const only = a.phases[p] - (next ? a.phases[next] : 0);
    return { p, only };
  }).filter((x) => x.only > 0);
  const total = Math.max(1, a.users);
  return html`<div class="progress" role="img" aria-label="${parts.map((x) => `${x.only} ${PHASE_LABELS[x.p]}`).join(', ') || 'no users'}">${parts.map(
    (x) =>
      html`<span style="width:${((100 * x.only) / total).toFixed(2)}%;background:${PHASE_COLORS[x.p]}" title="${x.only} ${PHASE_LABELS[x.p]}"></span>`,
  )}</div>`;
}

function accountRow(a: AccountProgress): Fragment {
  return html`<tr data-account="${a.accountId}">
<td>${a.label}${a.readable ? '' : html`<br><small class="bad">not read: ${a.error ?? 'unknown error'}</small>`}</td>
${PHASES.map((p) => html`<td data-phase="${p}">${a.phases[p]}</td>`)}
<td>${progressBar(a)}</td></tr>`;
}

/** The overview's body. */
export function overviewPage(model: DashboardModel): Fragment {
  if (!model.auditedAt)
    return html`<p>No audit is stored yet. Run <code>iam2sso audit</code>; this page updates by itself.</p>`;
  return html`<p class="muted">Audit of ${readableTime(model.auditedAt)}${
    model.planCreatedAt
      ? html`; plan of ${readableTime(model.planCreatedAt)}`
      : html`; no plan file yet (<code>iam2sso plan</code>)`
  }.</p>
<div class="cards">${PHASES.map((p) => card(model, p))}</div>
<h2>Progress per account</h2>
${phaseLegend()}
<table id="accounts"><thead><tr><th>Account</th>${PHASES.map((p) => html`<th>${PHASE_LABELS[p]}</th>`)}<th>Progress</th></tr></thead>
<tbody>${model.accounts.map(accountRow)}</tbody></table>
<h2>Blocked (${model.blocked.length})</h2>
${
  model.blocked.length === 0
    ? html`<p class="ok">Nothing is blocked.</p>`
    : html`<ul class="blocked">${model.blocked.map((b) => html`<li><strong>${b.what}</strong>: ${b.why}</li>`)}</ul>`
}`;
}
