/**
 * The dashboard's web server (Hono on Node's http): read-only pages over the state database and the plan file.
 * Every request needs the per-start access token (in the URL the command prints, then in an HttpOnly cookie),
 * and a Host header naming the address it listens on, so neither another local user nor a web page that
 * rebinds a DNS name to 127.0.0.1 can read it. Pages reload themselves when the database or the plan changes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { streamSSE } from 'hono/streaming';
import { buildDashboardModel } from '../core/dashboard-model.js';
import { APP_CSS, APP_JS } from './assets.js';
import { readExplanation, readPendingDiff } from './computed.js';
import { openReadOnly, readInputs, readPlan, readRuns, readTimeline, stateSignature } from './state.js';
import { explainSection, pendingSection } from './views/computed.js';
import { layout } from './views/layout.js';
import { overviewPage } from './views/overview.js';
import { findingsPage, planPage, runsPage } from './views/pages.js';
import { peoplePage, personPage } from './views/people.js';

const COOKIE = 'iam2sso_dashboard';

/** What the server reads and how it checks callers. */
export type DashboardOptions = {
  statePath: string;
  planPath: string;
  token: string;
  /** Host header values accepted (host:port). */
  allowedHosts: string[];
  /** How often the database files are checked for changes (ms). */
  watchMs?: number;
};

/** A fresh random access token. */
export function newAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function signature(options: DashboardOptions): string {
  const plan = existsSync(options.planPath) ? statSync(options.planPath).mtimeMs : 0;
  return `${stateSignature(options.statePath)}|${plan}`;
}

/** Builds the Hono app (tests call `app.request` on it; `startDashboard` serves it). */
export async function createDashboardApp(options: DashboardOptions): Promise<Hono> {
  const app = new Hono();
  const db = await openReadOnly(options.statePath);
  const load = () => {
    const { plan, problem } = readPlan(options.planPath);
    const inputs = readInputs(db, plan);
    return { plan, problem, inputs, model: buildDashboardModel(inputs) };
  };
  app.use('*', async (c, next) => {
    if (!options.allowedHosts.includes(c.req.header('host') ?? ''))
      return c.text('refused: unexpected Host header', 421);
    const fromQuery = c.req.query('token');
    if (sameToken(fromQuery, options.token)) {
      setCookie(c, COOKIE, options.token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return next();
    }
    if (sameToken(getCookie(c, COOKIE), options.token)) return next();
    return c.text('missing or wrong access token: open the URL that `iam2sso dashboard` printed', 401);
  });
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    );
  });
  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/assets/app.js', (c) => c.body(APP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  const page = (title: string, path: string, body: Parameters<typeof layout>[2]) =>
    layout(title, path, body, signature(options));
  app.get('/', (c) => c.html(page('Overview', '/', overviewPage(load().model))));
  app.get('/people', (c) => c.html(page('People', '/people', peoplePage(load().model))));
  app.get('/people/:account/:user', (c) => {
    const { model, inputs, plan } = load();
    const key = `${c.req.param('account')}/${c.req.param('user')}`;
    const row = model.people.find((p) => p.key === key);
    const user = inputs.audit?.snapshot.accounts
      .flatMap((a) => a.users)
      .find((u) => `${u.accountId}/${u.userName}` === key);
    if (!row || !user)
      return c.html(page('Not found', '/people', html`<p>No IAM user ${key} in the latest audit.</p>`), 404);
    const planned = plan?.users.find((u) => `${u.accountId}/${u.userName}` === key);
    const findings = inputs.audit?.findings.filter((f) => `${f.accountId}/${f.userName}` === key) ?? [];
    const upn = planned?.upn?.toLowerCase();
    const tracked = (readTimeline(db) ?? [])
      .filter((t) => (t.subjectKind === 'iam-user' && t.subject === key) || (upn && t.subject.toLowerCase() === upn))
      .filter((t) => t.usage !== 'legacy-attempt')
      .flatMap((t) => {
        const what =
          t.usage === 'sso'
            ? `SSO ${t.via} ${t.detail} in ${t.accountId}`
            : t.usage === 'direct-saml'
              ? `direct SAML sign-in to ${t.detail} in ${t.accountId}`
              : `${t.via} ${t.detail}`.trim();
        const kind = t.usage === 'sso' ? ('sso' as const) : ('legacy' as const);
        const first = { at: t.firstTime, label: `first ${what} (${t.events} events)`, kind };
        return t.firstTime === t.lastTime ? [first] : [first, { at: t.lastTime, label: `last ${what}`, kind }];
      });
    const chain = explainSection(readExplanation(db, planned?.upn), planned?.upn);
    const body = personPage(row, user, planned, findings, tracked, chain);
    return c.html(page(`${row.userName} in ${row.accountLabel}`, '/people', body));
  });
  app.get('/findings', (c) => {
    const { inputs, model } = load();
    const labels = new Map(model.accounts.map((a) => [a.accountId, a.label]));
    return c.html(page('Findings', '/findings', findingsPage(inputs.audit?.findings ?? [], labels)));
  });
  app.get('/plan', (c) => {
    const { plan, problem } = load();
    const pending = pendingSection(readPendingDiff(db, options.planPath, plan));
    return c.html(page('Plan', '/plan', planPage(plan, problem, options.planPath, pending)));
  });
  app.get('/runs', (c) => c.html(page('Runs', '/runs', runsPage(readRuns(db)))));
  app.get('/api/model', (c) => c.json(load().model));
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      let seen = c.req.query('stamp') ?? signature(options);
      while (!stream.aborted) {
        const now = signature(options);
        if (now !== seen) {
          seen = now;
          await stream.writeSSE({ event: 'change', data: now });
        }
        await stream.sleep(options.watchMs ?? 1000);
      }
    }),
  );
  return app;
}

/** A running dashboard: its URL (with the token) and how to stop it. */
export type RunningDashboard = { url: string; port: number; close(): Promise<void> };

/** Serves the dashboard on `host:port` (port 0: a free one). */
export async function startDashboard(
  options: Omit<DashboardOptions, 'allowedHosts' | 'token'> & { host: string; port: number; token?: string },
): Promise<RunningDashboard> {
  const token = options.token ?? newAccessToken();
  // Filled in once the port is known; the app reads the same array.
  const allowed: string[] = [];
  const app = await createDashboardApp({ ...options, token, allowedHosts: allowed });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info) => {
      const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
      allowed.push(`${shown}:${info.port}`);
      if (options.host === '127.0.0.1' || options.host === '::1') allowed.push(`localhost:${info.port}`);
      resolve({
        url: `http://${shown}:${info.port}/?token=${token}`,
        port: info.port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.on('error', reject);
  });
}
