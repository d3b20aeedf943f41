import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Finding, Severity } from '../../src/core/model.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import type { AuditRun } from '../../src/store/audit-repo.js';
import { planOf } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const LONG = 'payments-production-eu-central-workloads';

function build() {
  const b = new SnapshotBuilder('audit-report-1');
  b.account('111111111111', 'management').user('alice', { category: 'human-console', managed: ['ReadOnlyAccess'] });
  b.account('222222222222', LONG)
    .user('deploy-bot', { category: 'service', managed: ['PowerUserAccess'] })
    .user('bob', { category: 'human-programmatic', managed: ['ReadOnlyAccess'] });
  return b.build();
}

const finding = (severity: Severity, accountId: string, userName: string | null, kind: string): Finding =>
  ({
    id: `${kind}:${accountId}:${userName ?? 'root'}`,
    kind,
    severity,
    accountId,
    userName,
    message: `${kind} of ${userName ?? 'root'}`,
    fix: 'fix it',
  }) as Finding;

describe('the HTML audit report', () => {
  let run: AuditRun;
  let plan: MigrationPlan;
  let html: string;
  before(async () => {
    const built = build();
    run = {
      ...built,
      meta: { durationMs: 1200, apiCalls: 42 },
      findings: [
        finding('low', '111111111111', 'alice', 'console-no-mfa'),
        finding('critical', '222222222222', 'deploy-bot', 'admin-access-key'),
        finding('high', '222222222222', 'bob', 'key-not-rotated'),
        finding('critical', '111111111111', null, 'root-access-key'),
        finding('high', '111111111111', 'alice', 'key-not-rotated'),
      ],
    };
    plan = (await planOf(built)).plan;
    html = renderHtmlReport(run, { plan, file: 'migration-plan.yaml' });
  });

  const findingRows = () =>
    [
      ...(html.split('<table id="findings">')[1]!.split('</table>')[0] ?? '').matchAll(
        /<tr data-account="(\d+)" data-category="([^"]*)" data-severity="([^"]*)">/g,
      ),
    ].map((m) => ({ account: m[1], category: m[2], severity: m[3] }));

  it('lists findings most serious first, then by account name', () => {
    assert.deepEqual(
      findingRows().map((r) => `${r.severity} ${r.account}`),
      ['critical 111111111111', 'critical 222222222222', 'high 111111111111', 'high 222222222222', 'low 111111111111'],
    );
    assert.deepEqual(
      findingRows().map((r) => r.category),
      ['', 'service', 'human-console', 'human-programmatic', 'human-console'],
    );
  });

  it('has filter controls for account (with its name), category and severity', () => {
    assert.match(
      html,
      /<select data-filter="account"><option value="">all<\/option><option value="111111111111">management \(111111111111\)<\/option><option value="222222222222">payments-production-eu-central-workloads \(222222222222\)<\/option><\/select>/,
    );
    assert.match(html, /<select data-filter="category">.*<option value="service">service<\/option>/);
    assert.match(
      html,
      /<select data-filter="severity"><option value="">all<\/option><option value="critical">critical<\/option><option value="high">/,
    );
    assert.match(
      html,
      /<tr class="" data-account="111111111111" data-category="human-console" data-severity="high low">/,
    );
  });

  it('gives account labels room in the chart, shows readable dates and loads nothing from the network', () => {
    const label = `${LONG} (222222222222)`;
    const m = new RegExp(`<text x="(\\d+)" y="\\d+" text-anchor="end">${label.replace(/[()]/g, '\\$&')}</text>`).exec(
      html,
    );
    assert.ok(m, 'the long account label is drawn');
    assert.ok(Number(m[1]) >= 7 * label.length, `label ends at x=${m[1]}, needs about ${7 * label.length}px`);
    assert.match(html, /taken 1 Jun 2024, 00:00 UTC/);
    assert.doesNotMatch(html, /<link|src="http|href="http|@import/);
  });

  it('shows the plan and its parity next to the audit', () => {
    assert.match(html, /<h2 id="plan">Migration plan and access parity<\/h2>/);
    assert.match(html, new RegExp(`<b>${plan.permissionSets.length}</b>permission sets`));
    const migrating = plan.users.filter((u) => u.action === 'migrate').length;
    assert.match(html, new RegExp(`<b>${migrating}</b>users migrating`));
    assert.doesNotMatch(html, /not the one above/);
    const older = { ...plan, fingerprint: { ...plan.fingerprint, runId: 'audit-older' } };
    assert.match(
      renderHtmlReport(run, { plan: older, file: 'p.yaml' }),
      /It was made from audit audit-older, not the one above/,
    );
    assert.doesNotMatch(renderHtmlReport(run), /Migration plan and access parity/);
  });

  describe('the filter, in Chromium', { skip: !existsSync('/usr/bin/chromium') && 'no /usr/bin/chromium' }, () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'iam2sso-report-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('shows only the rows of the chosen account and severity, and counts them', async () => {
      const file = join(dir, 'report.html');
      writeFileSync(file, html);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        await page.route('**/*', (route) =>
          route.request().url().startsWith('file:') ? route.continue() : route.abort(),
        );
        await page.goto(`file://${file}`);
        const visible = () =>
          page.$$eval('#findings tbody tr:not([hidden])', (trs) =>
            trs.map((tr) => `${tr.getAttribute('data-severity')} ${tr.getAttribute('data-account')}`),
          );
        await page.selectOption('select[data-filter="account"]', '111111111111');
        assert.deepEqual(await visible(), ['critical 111111111111', 'high 111111111111', 'low 111111111111']);
        await page.selectOption('select[data-filter="severity"]', 'high');
        assert.deepEqual(await visible(), ['high 111111111111']);
        assert.equal(await page.textContent('[data-count-of="findings"]'), '1');
        assert.equal(await page.textContent('[data-count-of="users"]'), '1', 'alice has a high finding');
        await page.selectOption('select[data-filter="account"]', '');
        await page.selectOption('select[data-filter="severity"]', '');
        await page.selectOption('select[data-filter="category"]', 'service');
        assert.deepEqual(await visible(), ['critical 222222222222']);
      } finally {
        await browser.close();
      }
    });
  });
});
