/** The parts of pages that show an earlier command's result: the pending diff and the explain chain. */
import { html } from 'hono/html';
import type { Freshness } from '../../core/dashboard-freshness.js';
import type { PendingDiff, StoredExplanation } from '../../store/computed-repo.js';
import type { Kept } from '../computed.js';
import { type Fragment, readableTime } from './layout.js';

function when(command: string, f: Freshness): Fragment {
  return html`<p class="muted" data-computed-at="${f.computedAt}">Computed by <code>iam2sso ${command}</code> at ${readableTime(f.computedAt)}.${
    f.stale
      ? html` <strong class="bad stale" data-stale>Stale: ${f.why}.</strong> Run it again for the current state.`
      : ''
  }</p>`;
}

const SIGN: Record<string, string> = { '+': 'ok', '-': 'bad', '~': '' };

/** What apply would change, as the last plan --detailed-exitcode, apply --dry-run or apply left it. */
export function pendingSection(kept: Kept<PendingDiff> | null): Fragment {
  if (!kept)
    return html`<p class="muted" id="pending">No pending diff computed yet: run <code>iam2sso plan --detailed-exitcode</code>
or <code>iam2sso apply --dry-run</code> (they read the live clouds; this page reads only the state database and the file).</p>`;
  const { value: d, freshness } = kept;
  return html`<section id="pending">${when(d.command, freshness)}
<p><b>${d.summary}</b></p>
${
  d.lines.length === 0
    ? html`<p class="ok">Nothing pending: Identity Center and Entra matched the plan.</p>`
    : html`<pre>${d.lines.map((l) => html`<span class="${SIGN[l[0]] ?? ''}">${l}</span>\n`)}</pre>`
}
${
  d.skipped.length
    ? html`<details><summary>${d.skipped.length} skipped</summary><ul>${d.skipped.map(
        (s) => html`<li>${s.item}: ${s.reason}</li>`,
      )}</ul></details>`
    : ''
}</section>`;
}

const MARK: Record<string, string> = { ok: 'ok', warning: 'warning', broken: 'BROKEN', skipped: 'skipped' };

/** A person's sign-in chain as the last `iam2sso explain` found it. */
export function explainSection(kept: Kept<StoredExplanation> | null, upn: string | null | undefined): Fragment {
  if (!upn) return html`<p class="muted" id="explain">No Entra UPN in the plan for this user: nothing to explain.</p>`;
  if (!kept) return html`<p class="muted" id="explain">Not explained yet: run <code>iam2sso explain ${upn}</code>.</p>`;
  const e = kept.value.explanation;
  return html`<section id="explain">${when(`explain ${e.upn}`, kept.freshness)}
<p class="${e.ok ? 'ok' : 'bad'}">${e.ok ? 'Every link holds.' : `Broken at ${e.brokenAt}.`}</p>
<table><thead><tr><th>Link</th><th>Status</th><th>Detail</th><th>Cause and fix</th></tr></thead><tbody>
${e.links.map(
  (l) =>
    html`<tr data-link="${l.id}"><td>${l.title}</td><td class="${l.status === 'broken' ? 'bad' : l.status === 'ok' ? 'ok' : ''}">${MARK[l.status]}</td><td>${l.detail}</td><td>${l.cause ?? ''}${l.fix ? html`<br><code>${l.fix}</code>` : ''}</td></tr>`,
)}</tbody></table></section>`;
}
