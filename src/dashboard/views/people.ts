/** The people table (searchable, sortable, filterable) and one page per IAM user. */
import { html, raw } from 'hono/html';
import { type DashboardModel, type PersonRow, PHASE_LABELS, PHASES } from '../../core/dashboard-model.js';
import type { Finding, UserRecord } from '../../core/model.js';
import type { PlannedUser } from '../../core/plan-types.js';
import { type TimelineEvent, timelineChart } from '../../report/svg-timeline.js';
import type { Fragment } from './layout.js';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

function select(field: string, label: string, values: string[]): Fragment {
  return html`<label>${label}<select data-filter-for="people" data-field="${field}" aria-label="${label}">
<option value="">all</option>${[...new Set(values)].sort().map((v) => html`<option value="${v}">${v}</option>`)}</select></label>`;
}

function row(p: PersonRow, link: boolean): Fragment {
  const name = link
    ? html`<a href="/people/${encodeURIComponent(p.accountId)}/${encodeURIComponent(p.userName)}">${p.userName}</a>`
    : p.userName;
  return html`<tr data-account="${p.accountId}" data-category="${p.category}" data-phase="${p.phase}" data-action="${p.action ?? 'none'}">
<td>${name}</td>
<td>${p.accountLabel}</td><td>${p.category}</td><td>${p.upn ?? ''}</td><td>${p.action ?? ''}</td>
<td data-sort="${String(PHASES.indexOf(p.phase)).padStart(2, '0')}">${PHASE_LABELS[p.phase]}</td>
<td data-sort="${String(p.findings).padStart(4, '0')}" class="${p.worstSeverity ? `sev-${p.worstSeverity}` : ''}">${p.findings}</td>
<td>${day(p.lastLegacyUse)}</td><td>${day(p.firstSsoUse)}</td><td>${p.trackStatus ?? ''}</td></tr>`;
}

/** The people page's body; `link` makes each name a link to the person's page (the served dashboard only). */
export function peoplePage(model: DashboardModel, link = true): Fragment {
  const people = model.people;
  return html`<div class="filters">
<label>Search<input type="search" data-filter-for="people" placeholder="name, UPN, account…" aria-label="Search people"></label>
${select(
  'account',
  'Account',
  people.map((p) => p.accountId),
)}
${select(
  'category',
  'Category',
  people.map((p) => p.category),
)}
${select(
  'phase',
  'Status',
  people.map((p) => p.phase),
)}
${select(
  'action',
  'Plan action',
  people.map((p) => p.action ?? 'none'),
)}
<span class="muted" data-count-for="people">${people.length} of ${people.length}</span>
</div>
<table id="people" data-table><thead><tr><th>IAM user</th><th>Account</th><th>Category</th><th>Entra UPN</th><th>Action</th><th>Status</th><th>Findings</th><th>Last legacy use</th><th>First SSO use</th><th>Tracked</th></tr></thead>
<tbody>${people.map((p) => row(p, link))}</tbody></table>`;
}

function keys(user: UserRecord): Fragment {
  if (user.accessKeys.length === 0) return html`none`;
  return html`<ul>${user.accessKeys.map(
    (k) =>
      html`<li><code>${k.id}</code> ${k.status}, created ${day(k.createdAt)}, ${
        k.lastUsedAt ? `last used ${day(k.lastUsedAt)} (${k.lastUsedService ?? 'unknown service'})` : 'never used'
      }</li>`,
  )}</ul>`;
}

function planPart(planned: PlannedUser | undefined): Fragment {
  if (!planned) return html`<p class="muted">Not in the plan (no plan file, or the user is not part of it).</p>`;
  const list = (items: string[], empty: string) =>
    items.length ? html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` : html`<span class="muted">${empty}</span>`;
  return html`<dl>
<dt>Action</dt><dd>${planned.action}</dd>
<dt>Entra UPN</dt><dd>${planned.upn ?? 'not mapped'} <small>(${planned.upnSource})</small></dd>
<dt>Permission sets</dt><dd>${list(planned.permissionSets, 'none')}</dd>
<dt>Groups</dt><dd>${list(planned.groups, 'none')}</dd>
<dt>Parity gaps</dt><dd>${list(planned.parity.gaps, 'none: nothing is lost')}</dd>
<dt>Excess</dt><dd>${list(planned.parity.excess, 'none: nothing is gained')}</dd>
<dt>Needs review</dt><dd>${list(planned.parity.needsReview, 'none')}</dd>
<dt>Blocked by</dt><dd>${list(planned.blockedBy, 'nothing')}</dd>
</dl>`;
}

/** One IAM user's page: their credentials, the plan for them, their sign-in chain, their findings and timeline. */
export function personPage(
  row: PersonRow,
  user: UserRecord,
  planned: PlannedUser | undefined,
  findings: Finding[],
  tracked: TimelineEvent[],
  chain: Fragment,
): Fragment {
  const events: TimelineEvent[] = [
    ...tracked,
    { at: user.createdAt, label: 'IAM user created', kind: 'legacy' as const },
    ...(user.passwordLastUsed
      ? [{ at: user.passwordLastUsed, label: 'console password used', kind: 'legacy' as const }]
      : []),
    ...user.accessKeys
      .filter((k) => k.lastUsedAt)
      .map((k) => ({ at: k.lastUsedAt!, label: `key ${k.id} used`, kind: 'legacy' as const })),
  ];
  return html`<p><a href="/people">← all people</a></p>
<dl>
<dt>Account</dt><dd>${row.accountLabel}</dd>
<dt>Category</dt><dd>${row.category}${row.confidence ? ` (${row.confidence} confidence)` : ''}</dd>
<dt>Status</dt><dd>${PHASE_LABELS[row.phase]}${row.trackStatus ? ` (CloudTrail: ${row.trackStatus})` : ''}</dd>
<dt>Console</dt><dd>${user.consoleEnabled ? `password, last used ${day(user.passwordLastUsed) || 'never'}` : 'no password'}</dd>
<dt>MFA</dt><dd>${user.mfaDevices.length ? user.mfaDevices.join(', ') : 'none'}</dd>
<dt>Access keys</dt><dd>${keys(user)}</dd>
<dt>Policies</dt><dd>${[...user.attachedPolicies.map((p) => p.name), ...user.inlinePolicies.map((p) => `${p.name} (inline)`)].join(', ') || 'none'}</dd>
<dt>IAM groups</dt><dd>${user.groups.join(', ') || 'none'}</dd>
</dl>
<h2>Plan</h2>
${planPart(planned)}
<h2>Sign-in chain</h2>
${chain}
<h2>Findings (${findings.length})</h2>
${
  findings.length
    ? html`<ul>${findings.map((f) => html`<li class="sev-${f.severity}">${f.severity}: ${f.message} <small>${f.fix}</small></li>`)}</ul>`
    : html`<p class="ok">None.</p>`
}
<h2>Timeline</h2>
${raw(timelineChart(`Timeline of ${row.userName}`, events))}`;
}
