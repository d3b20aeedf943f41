import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createDashboardApp } from '../../src/dashboard/server.js';
import { saveAuditRun } from '../../src/store/audit-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { saveStage } from '../../src/store/decommission-repo.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const HOST = '127.0.0.1:4321';
const TOKEN = 'test-token-0123456789';

describe('dashboard server', () => {
  let dir: string;
  let app: Awaited<ReturnType<typeof createDashboardApp>>;
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.request(`http://${HOST}${path}`, { headers: { host: HOST, ...headers } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-dash-'));
    const db = await openStateDb(join(dir, 'state.db'));
    const s = new SnapshotBuilder();
    s.account('111111111111', 'prod', null).user('ann').user('bob');
    const built = s.build();
    saveAuditRun(db, {
      ...built,
      findings: [
        {
          id: 'console-without-mfa:111111111111:ann',
          kind: 'console-without-mfa',
          severity: 'high',
          accountId: '111111111111',
          userName: 'ann',
          message: 'ann signs in with a password and no MFA <b>now</b>',
          fix: 'enable MFA',
        },
      ],
      meta: { durationMs: 1, apiCalls: 1 },
    });
    db.close();
    app = await createDashboardApp({
      statePath: join(dir, 'state.db'),
      planPath: join(dir, 'migration-plan.yaml'),
      token: TOKEN,
      allowedHosts: [HOST],
    });
  });

  it('answers 401 without the token and 421 for another Host, and sets an HttpOnly cookie from the token', async () => {
    assert.equal((await get('/')).status, 401);
    assert.equal((await get(`/?token=${TOKEN}`, { host: 'attacker.example:4321' })).status, 421);
    const ok = await get(`/?token=${TOKEN}`);
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie')!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const viaCookie = await get('/people', { cookie: cookie.split(';')[0] });
    assert.equal(viaCookie.status, 200);
    assert.match(ok.headers.get('content-security-policy')!, /default-src 'self'/);
  });

  it('escapes what the state database holds', async () => {
    const page = await (await get(`/findings?token=${TOKEN}`)).text();
    assert.ok(page.includes('no MFA &lt;b&gt;now&lt;/b&gt;'));
    assert.ok(!page.includes('<b>now</b>'));
  });

  it('says when no plan exists, then names the line of a plan file that does not validate', async () => {
    assert.match(await (await get(`/plan?token=${TOKEN}`)).text(), /No plan file at/);
    writeFileSync(join(dir, 'migration-plan.yaml'), 'formatVersion: 1\nusers: [\n');
    assert.match(await (await get(`/plan?token=${TOKEN}`)).text(), /does not validate: .*migration-plan\.yaml/);
    const model = (await (await get(`/api/model?token=${TOKEN}`)).json()) as { totals: { audited: number } };
    assert.equal(model.totals.audited, 2);
  });

  it('shows the phase decommission moved each IAM user to: legacy access disabled, then deleted', async () => {
    const phases = async () => {
      const model = (await (await get(`/api/model?token=${TOKEN}`)).json()) as {
        people: { userName: string; phase: string }[];
      };
      return Object.fromEntries(model.people.map((p) => [p.userName, p.phase]));
    };
    assert.deepEqual(await phases(), { ann: 'audited', bob: 'audited' });
    const db = await openStateDb(join(dir, 'state.db'));
    const at = '2026-12-01T00:00:00.000Z';
    saveStage(db, {
      accountId: '111111111111',
      userName: 'ann',
      stage: 'keys-deactivated',
      enteredAt: at,
      runId: 'r1',
    });
    saveStage(db, { accountId: '111111111111', userName: 'bob', stage: 'deleted', enteredAt: at, runId: 'r2' });
    db.close();
    assert.deepEqual(await phases(), { ann: 'legacy-disabled', bob: 'deleted' });
  });

  it('answers 404 for a person who is not in the audit', async () => {
    const r = await get(`/people/111111111111/nobody?token=${TOKEN}`);
    assert.equal(r.status, 404);
  });
});
