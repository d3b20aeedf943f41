/**
 * `iam2sso dashboard` in a real browser (Debian's chromium through playwright-core), over the state a sandbox
 * migration left (the demo runs audit, plan, apply and sync). Expected values are read from the state database
 * with SQL of the test's own and from the plan file, not from the dashboard's model.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Browser, chromium, type Page } from 'playwright-core';
import { parse } from 'yaml';
import { iam2ssoArgv, runIam2sso } from '../helpers/cli.js';

const SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

type PlanFile = {
  users: { accountId: string; userName: string; action: string; upn: string | null; permissionSets: string[] }[];
};

function startDashboard(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, iam2ssoArgv(['dashboard', ...args]), {
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /Dashboard: (\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => reject(new Error(`dashboard exited ${code}: ${err}`)));
  });
}

const CHROMIUM = '/usr/bin/chromium';
// Under CI a missing browser fails the run (.ci/run installs it); locally the suite is skipped with the reason.
const skip =
  !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (apt-get install chromium)` : false;

describe('iam2sso dashboard in a browser', { skip }, () => {
  let dir: string;
  let dashboard: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  let origin: string;
  let token: string;

  before(async () => {
    const executablePath = CHROMIUM;
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-dashboard-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1' };
    const demo = await runIam2sso(['demo', '--dir', dir, '--json'], env, 300_000);
    assert.equal(demo.status, 0, demo.stderr);
    dashboard = await startDashboard(['--state', join(dir, 'state.db'), '--plan', join(dir, 'migration-plan.yaml')]);
    const u = new URL(dashboard.url);
    origin = u.origin;
    token = u.searchParams.get('token')!;
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    dashboard?.child.kill('SIGTERM');
  });

  it('refuses a request without the access token, with a wrong one, and from a foreign Host', async () => {
    assert.equal((await fetch(`${origin}/`)).status, 401);
    assert.equal((await fetch(`${origin}/people?token=${token.slice(1)}x`)).status, 401);
    // fetch() sets Host itself; node:http sends the one a DNS-rebinding page would.
    const rebound = await new Promise<number>((resolve, reject) =>
      request(`${origin}/?token=${token}`, { headers: { Host: `evil.example:${new URL(origin).port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    assert.equal(rebound, 421);
    assert.equal((await fetch(`${origin}/?token=${token}`)).status, 200);
  });

  it('shows the audited and planned counts of every account', async () => {
    await page.goto(dashboard.url);
    const db = new Database(join(dir, 'state.db'), { readonly: true });
    const audited = db
      .prepare(
        `SELECT account_id AS id, count(*) AS n FROM audit_users
         WHERE run_id = (SELECT run_id FROM audit_runs ORDER BY taken_at DESC LIMIT 1) GROUP BY account_id`,
      )
      .all() as { id: string; n: number }[];
    db.close();
    const plan = parse(readFileSync(join(dir, 'migration-plan.yaml'), 'utf8')) as PlanFile;
    assert.ok(audited.length > 1, 'the sandbox estate has several accounts');
    for (const { id, n } of audited) {
      const row = page.locator(`#accounts tr[data-account="${id}"]`);
      assert.equal(await row.locator('td[data-phase="audited"]').textContent(), String(n), `audited in ${id}`);
      const planned = plan.users.filter((u) => u.accountId === id).length;
      assert.equal(await row.locator('td[data-phase="planned"]').textContent(), String(planned), `planned in ${id}`);
    }
    const applied = Number(await page.locator('.card[data-phase="applied"] b').textContent());
    assert.ok(applied > 0, 'the demo applied assignments, so some people count as applied');
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
  });

  it('searches and filters the people table', async () => {
    await page.goto(`${origin}/people`);
    const plan = parse(readFileSync(join(dir, 'migration-plan.yaml'), 'utf8')) as PlanFile;
    const rows = page.locator('#people tbody tr');
    assert.equal(await rows.count(), plan.users.length);
    const someone = plan.users.find((u) => u.action === 'migrate' && u.upn)!;
    await page.fill('input[type=search]', someone.userName);
    const visible = page.locator('#people tbody tr:visible');
    assert.ok((await visible.count()) >= 1);
    for (const text of await visible.allTextContents()) assert.ok(text.includes(someone.userName));
    await page.fill('input[type=search]', '');
    await page.selectOption('select[data-field="action"]', 'keep');
    const kept = plan.users.filter((u) => u.action === 'keep').length;
    assert.equal(await visible.count(), kept);
    assert.equal(await page.locator('[data-count-for=people]').textContent(), `${kept} of ${plan.users.length}`);
    await page.selectOption('select[data-field="action"]', '');
    await page.screenshot({ path: join(SHOTS, 'people.png'), fullPage: false });
  });

  it("opens a person's page with the plan for them", async () => {
    const plan = parse(readFileSync(join(dir, 'migration-plan.yaml'), 'utf8')) as PlanFile;
    const someone = plan.users.find((u) => u.action === 'migrate' && u.permissionSets.length > 0)!;
    await page.goto(`${origin}/people`);
    await page.click(`#people a[href="/people/${someone.accountId}/${encodeURIComponent(someone.userName)}"]`);
    await page.waitForSelector('h1');
    assert.match((await page.locator('h1').textContent())!, new RegExp(someone.userName.replace('.', '\\.')));
    const body = (await page.locator('main').textContent())!;
    for (const ps of someone.permissionSets) assert.ok(body.includes(ps), `permission set ${ps} is listed`);
    assert.equal(await page.locator('svg[role=img]').count(), 1, 'the timeline is drawn');
    await page.screenshot({ path: join(SHOTS, 'person.png'), fullPage: true });
  });

  it('updates an open page when `iam2sso track` runs in another process', async () => {
    const plan = parse(readFileSync(join(dir, 'migration-plan.yaml'), 'utf8')) as PlanFile;
    const person = plan.users.find((u) => u.action === 'migrate' && u.upn && u.permissionSets.length > 0)!;
    const ps = person.permissionSets[0];
    // One SSO role sign-in of that person, as CloudTrail logs it (AssumeRoleWithSAML through Identity Center's
    // SAML provider; the shape of test/core/cases/track-records.yaml).
    const logs = join(dir, 'trail');
    mkdirSync(logs, { recursive: true });
    const record = {
      eventVersion: '1.08',
      userIdentity: { type: 'SAMLUser', principalId: `x:${person.upn}`, userName: person.upn, identityProvider: 'x' },
      eventTime: new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithSAML',
      awsRegion: 'us-east-1',
      requestParameters: {
        roleSessionName: person.upn,
        principalArn: `arn:aws:iam::${person.accountId}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE`,
        roleArn: `arn:aws:iam::${person.accountId}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${ps}_0123456789abcdef`,
      },
      eventID: '3fcfb586-6a4e-4f2b-9b4a-0b7c8f1e9999',
      eventType: 'AwsApiCall',
      recipientAccountId: person.accountId,
    };
    writeFileSync(join(logs, 'events.json'), JSON.stringify({ Records: [record] }));
    await page.goto(dashboard.url);
    assert.equal(await page.locator('.card[data-phase="sso"] b').textContent(), 'not started');
    const reload = page.waitForEvent('load', { timeout: 30_000 });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1' };
    const track = runIam2sso(
      [
        'track',
        '--dir',
        logs,
        '--since',
        '30d',
        '--state',
        join(dir, 'state.db'),
        '--plan',
        join(dir, 'migration-plan.yaml'),
        '--json',
      ],
      env,
    );
    await reload;
    assert.equal((await track).status, 0);
    await page.waitForSelector('.card[data-phase="sso"] b');
    // Every IAM user of that person (some have one in several accounts) now counts as signing in through SSO.
    const users = plan.users.filter((u) => u.upn === person.upn && u.action === 'migrate').length;
    assert.equal(await page.locator('.card[data-phase="sso"] b').textContent(), String(users));
    await page.goto(`${origin}/people/${person.accountId}/${encodeURIComponent(person.userName)}`);
    assert.match((await page.locator('main').textContent())!, /sso-only|dual/);
  });
});
