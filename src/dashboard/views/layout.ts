/**
 * The page frame every dashboard page shares: navigation, the live-refresh script, the stylesheet. Markup is
 * written with Hono's `html` template tag, which escapes every interpolated value.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { PHASE_LABELS, PHASES, type Phase } from '../../core/dashboard-model.js';

/** A rendered fragment (what `html` returns). */
export type Fragment = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The pages in the navigation, in order. */
export const PAGES = [
  { path: '/', title: 'Overview' },
  { path: '/people', title: 'People' },
  { path: '/findings', title: 'Findings' },
  { path: '/plan', title: 'Plan' },
  { path: '/runs', title: 'Runs' },
] as const;

/** Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), one per phase. */
export const PHASE_COLORS: Record<Phase, string> = {
  audited: '#999999',
  planned: '#E69F00',
  applied: '#56B4E9',
  synced: '#0072B2',
  sso: '#009E73',
  'legacy-disabled': '#CC79A7',
  deleted: '#D55E00',
};

/** Wraps a page body in the frame. `current` is the path of the active navigation entry. */
export function layout(title: string, current: string, body: Fragment, stamp: string): Fragment {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · iam2sso</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body data-stamp="${stamp}">
<header>
<strong>iam2sso</strong>
<nav aria-label="pages">${PAGES.map(
    (p) => html`<a href="${p.path}"${current === p.path ? html` aria-current="page"` : ''}>${p.title}</a>`,
  )}</nav>
<span id="live" role="status" aria-live="polite">live</span>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** A legend of the phase colours. */
export function phaseLegend(): Fragment {
  return html`<ul class="legend">${PHASES.map(
    (p) => html`<li><span class="swatch" style="background:${PHASE_COLORS[p]}"></span>${PHASE_LABELS[p]}</li>`,
  )}</ul>`;
}

/** An ISO time as people read it: `2026-12-06 08:09 UTC`. */
export function readableTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
