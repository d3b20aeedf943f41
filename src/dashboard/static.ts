/**
 * The dashboard's views as one self-contained HTML file (inline style and script, nothing loaded from anywhere),
 * for sharing with people who do not run the tool: what `iam2sso report` writes next to the audit report.
 */
import { html, raw } from 'hono/html';
import { buildDashboardModel } from '../core/dashboard-model.js';
import type { StateDb } from '../store/db.js';
import { APP_CSS, APP_JS } from './assets.js';
import { readPendingDiff } from './computed.js';
import { readInputs, readPlan, readRuns } from './state.js';
import { pendingSection } from './views/computed.js';
import { overviewPage } from './views/overview.js';
import { findingsPage, planPage, runsPage } from './views/pages.js';
import { peoplePage } from './views/people.js';

/** Renders overview, people, findings, plan and runs into one page, as they were at `now`. */
export async function renderStaticDashboard(db: StateDb, planPath: string, now: Date): Promise<string> {
  const { plan, problem } = readPlan(planPath);
  const inputs = readInputs(db, plan);
  const model = buildDashboardModel(inputs);
  const labels = new Map(model.accounts.map((a) => [a.accountId, a.label]));
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>iam2sso migration</title><style>${raw(APP_CSS)}</style></head>
<body><header><strong>iam2sso</strong><nav aria-label="sections"><a href="#overview">Overview</a><a href="#people-section">People</a>
<a href="#findings">Findings</a><a href="#plan">Plan</a><a href="#runs">Runs</a></nav><span class="muted">snapshot of ${now.toISOString()}</span></header>
<main>
<section id="overview"><h1>Overview</h1>${overviewPage(model)}</section>
<section id="people-section"><h1>People</h1>${peoplePage(model, false)}</section>
<section id="findings"><h1>Findings</h1>${findingsPage(inputs.audit?.findings ?? [], labels)}</section>
<section id="plan"><h1>Plan</h1>${planPage(plan, problem, planPath, pendingSection(readPendingDiff(db, planPath, plan)))}</section>
<section id="runs"><h1>Runs</h1>${runsPage(readRuns(db))}</section>
</main>
<script>${raw(APP_JS)}</script>
</body></html>`;
  return (await page).toString();
}
