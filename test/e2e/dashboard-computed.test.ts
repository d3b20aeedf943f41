/**
 * The dashboard shows what only live-cloud commands know, from the state database: the pending diff the last
 * `plan --detailed-exitcode` / `apply --dry-run` computed on the Plan page, the last `explain` chain on a person's
 * page, each with its time, and marked stale once an audit runs after it (the open page reloads by itself).
 * In Debian's chromium through playwright-core; the commands' own storing is tested where they run (e2e apply, sign-in).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { contentHash } from '../../src/core/reconcile/desired.js';
import { type RunningDashboard, startDashboard } from '../../src/dashboard/server.js';
import type { Explanation } from '../../src/explain/chain.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';
import { saveAuditRun } from '../../src/store/audit-repo.js';
import { saveExplanation, savePendingDiff } from '../../src/store/computed-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const CHROMIUM = '/usr/bin/chromium';
const skip =
  !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (apt-get install chromium)` : false;

const PLAN: MigrationPlan = {
  formatVersion: 1,
  createdAt: '2026-12-01T00:00:00Z',
  fingerprint: { runId: 'r1', takenAt: '2026-12-01T00:00:00Z', accounts: [{ accountId: '111111111111', hash: 'h' }] },
  permissionSets: [
    {
      key: 'k1',
      name: 'ReadOnlyAccess',
      sessionDuration: 'PT12H',
      kind: 'read-only',
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
      reason: 'AWS managed ReadOnlyAccess',
    },
  ],
  groups: [
    {
      key: 'g1',
      name: 'AWS-prod-ReadOnlyAccess',
      description: 'ReadOnlyAccess on prod',
      members: ['ann@example.com'],
      assignments: [{ accountId: '111111111111', permissionSet: 'ReadOnlyAccess' }],
    },
  ],
  users: [
    {
      accountId: '111111111111',
      userName: 'ann',
      category: 'human-console',
      upn: 'ann@example.com',
      upnSource: 'tag',
      action: 'migrate',
      permissionSets: ['ReadOnlyAccess'],
      groups: ['AWS-prod-ReadOnlyAccess'],
      parity: { gaps: [], excess: [], needsReview: [], acknowledged: [] },
      blockedBy: [],
      notes: [],
    },
  ],
  serviceAccounts: [],
  problems: [],
};

const CHAIN: Explanation = {
  upn: 'ann@example.com',
  ok: false,
  brokenAt: 'app-assignment',
  links: [
    { id: 'entra-user', title: 'Entra user', status: 'ok', detail: 'ann@example.com, enabled' },
    {
      id: 'app-assignment',
      title: 'Enterprise app assignment',
      status: 'broken',
      detail: 'not assigned',
      cause: 'no group of hers is assigned to the app',
      fix: 'iam2sso apply',
    },
  ],
};

describe('dashboard: pending diff and explain chain', { skip }, () => {
  let dir: string;
  let state: string;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let page: Page;
  const audit = async (takenAt: string) => {
    const built = new SnapshotBuilder();
    built.account('111111111111', 'prod', 'prod').user('ann', { tags: { email: 'ann@example.com' } });
    const b = built.build();
    const db = await openStateDb(state);
    saveAuditRun(db, {
      ...b,
      snapshot: { ...b.snapshot, runId: `audit-${takenAt}`, takenAt },
      findings: [],
      meta: { durationMs: 1, apiCalls: 1 },
    });
    db.close();
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-dash-computed-'));
    state = join(dir, 'state.db');
    const planPath = join(dir, 'migration-plan.yaml');
    writeFileSync(planPath, renderPlanYaml(PLAN));
    await audit(new Date(Date.now() - 3_600_000).toISOString());
    const db = await openStateDb(state);
    savePendingDiff(db, {
      planPath,
      planHash: contentHash(PLAN),
      command: 'apply --dry-run',
      computedAt: new Date(Date.now() - 60_000).toISOString(),
      lines: [
        '+ permission set ReadOnlyAccess (PT12H, 1 managed, 0 customer managed)',
        '+ assignment 111111111111 ReadOnlyAccess -> AWS-prod-ReadOnlyAccess',
      ],
      skipped: [{ item: 'Entra app assignment', reason: 'the enterprise app is not set up' }],
      summary: '2 to create, 0 to change, 0 to delete; 0 unchanged, 1 skipped.',
    });
    saveExplanation(db, CHAIN, new Date(Date.now() - 60_000));
    db.close();
    dashboard = await startDashboard({ statePath: state, planPath, host: '127.0.0.1', port: 0, watchMs: 200 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await dashboard?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the pending diff on the Plan page with when and by what it was computed', async () => {
    await page.goto(dashboard.url);
    await page.goto(new URL('/plan', dashboard.url).href);
    const pending = page.locator('#pending');
    const text = (await pending.textContent()) ?? '';
    assert.match(text, /Computed by iam2sso apply --dry-run at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(text, /\+ assignment 111111111111 ReadOnlyAccess -> AWS-prod-ReadOnlyAccess/);
    assert.match(text, /2 to create/);
    assert.equal(await page.locator('#pending [data-stale]').count(), 0, 'newer than the audit: not stale');
  });

  it("shows the explain chain on the person's page, then marks both stale when an audit runs after them", async () => {
    await page.goto(new URL('/people/111111111111/ann', dashboard.url).href);
    const chain = page.locator('#explain');
    assert.match((await chain.textContent()) ?? '', /Broken at app-assignment/);
    assert.equal(await chain.locator('tr[data-link="app-assignment"] td.bad').textContent(), 'BROKEN');
    assert.equal(await page.locator('#explain [data-stale]').count(), 0);
    const reload = page.waitForEvent('load', { timeout: 20_000 });
    await audit(new Date().toISOString());
    await reload;
    assert.match((await page.locator('#explain [data-stale]').textContent()) ?? '', /Stale: older than the last audit/);
    await page.goto(new URL('/plan', dashboard.url).href);
    assert.match((await page.locator('#pending [data-stale]').textContent()) ?? '', /Stale: older than the last audit/);
  });
});
