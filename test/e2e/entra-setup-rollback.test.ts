import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import Database from 'better-sqlite3';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { EntraAdapter } from '../../src/entra/adapter.js';
import { parseIdpMetadata } from '../../src/entra/saml-metadata.js';
import { AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME } from '../../src/entra/setup-plan.js';
import { entraCliEnv, sandboxAdapter } from '../entra/adapter-kit.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';
import { soakPoints } from '../helpers/kill-soak.js';

// Kills at chosen journal states (after an intent, before its call; after a call, before its result), then
// IAM2SSO_KILLS more at seeded random ones (default none; e.g. IAM2SSO_KILLS=20 for a longer soak).
const CHOSEN = ['result:1', 'intent:3', 'result:4'];
const REFERENCE = 'AWS reference app';

describe('entra setup through the executor: rollback, and kill -9 at chosen journal states', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let adapter: EntraAdapter;
  let spMetadataUrl: string;
  let scimEndpoint: string;
  let reference: unknown;
  const state = () => join(dir, 'state.db');
  const setup = (appName: string, extra: Record<string, string> = {}) =>
    runIam2sso(
      [
        'entra',
        'setup',
        '--app-name',
        appName,
        '--sp-metadata-url',
        spMetadataUrl,
        '--scim-endpoint',
        scimEndpoint,
        '--federation-metadata-out',
        join(dir, `${appName}.xml`),
        '--json',
        '--state',
        state(),
      ],
      { ...env, ...extra },
    );

  /** The app as Entra has it, without its ids: what an uninterrupted run leaves behind. */
  async function appState(name: string) {
    const found = await adapter.apps.findApps(name, AWS_GALLERY_TEMPLATE_ID);
    if (found.length !== 1) return { apps: found.length };
    const [app] = found;
    const jobs = await adapter.apps.listSyncJobs(app.servicePrincipalId);
    return {
      apps: 1,
      sso: app.preferredSingleSignOnMode,
      identifierUris: app.identifierUris,
      redirectUris: app.redirectUris,
      certificates: app.signingCertificates.length,
      preferredIsOne: app.signingCertificates.some((c) => c.thumbprint === app.preferredTokenSigningKeyThumbprint),
      jobs: jobs.map((j) => [j.templateId, j.scheduleState, j.quarantined]),
      credentialsWork: jobs[0] ? await adapter.apps.savedCredentialsWork(app.servicePrincipalId, jobs[0].id) : null,
    };
  }

  function journal() {
    const db = new Database(state(), { readonly: true });
    try {
      const runs = db.prepare('SELECT run_id, command, status FROM runs ORDER BY started_at, run_id').all() as {
        run_id: string;
        command: string;
        status: string;
      }[];
      const open = db
        .prepare("SELECT COUNT(*) AS n FROM apply_journal WHERE status IN ('intent', 'submitted')")
        .get() as { n: number };
      const instantiated = db
        .prepare("SELECT COUNT(*) AS n FROM apply_journal WHERE kind = 'entra.app.instantiate' AND status = 'done'")
        .get() as { n: number };
      return { runs, open: open.n, instantiated: instantiated.n };
    } finally {
      db.close();
    }
  }

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 7 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-entra-rollback-'));
    const token = await fetch(`${sandbox.info.endpoint}/_sandbox/identity-center/scim/tokens`, { method: 'POST' });
    const scim = (await token.json()) as { token: string; endpoint: string };
    scimEndpoint = scim.endpoint;
    spMetadataUrl = `${sandbox.info.endpoint}/_sandbox/identity-center/saml-metadata.xml`;
    env = sandboxEnv(sandbox, entraCliEnv(sandbox, dir, { IAM2SSO_SCIM_TOKEN: scim.token }));
    adapter = sandboxAdapter(sandbox);
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('rollback of a setup run removes the app it created, after a dry run that changes nothing', async () => {
    const run = await setup(REFERENCE);
    assert.equal(run.status, 0, run.stderr);
    reference = await appState(REFERENCE);
    assert.equal((reference as { apps: number }).apps, 1);
    const setupRun = journal().runs.at(-1)!;
    assert.equal(setupRun.command, 'entra setup');

    const args = ['rollback', setupRun.run_id, '--auto-approve', '--json', '--state', state()];
    const dry = await runIam2sso([...args, '--dry-run'], env);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stderr, new RegExp(`- Entra app '${REFERENCE}'`));
    assert.ok(dry.json<{ writes: string[] }>().writes.some((w) => w.startsWith('DELETE /servicePrincipals')));
    assert.equal((await appState(REFERENCE)).apps, 1, 'the dry run removed nothing');

    assert.ok(existsSync(join(dir, `${REFERENCE}.xml`)), 'the run saved the federation metadata');
    const undone = await runIam2sso(args, env);
    assert.equal(undone.status, 0, undone.stderr);
    assert.equal(undone.json<{ done: number }>().done, 2, 'the app removed, the metadata file it saved removed');
    assert.deepEqual(await appState(REFERENCE), { apps: 0 });
    assert.equal(existsSync(join(dir, `${REFERENCE}.xml`)), false);
    const again = await runIam2sso(args, env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /Nothing to roll back/);
  });

  test('setup killed after intents and after calls resumes to the state an uninterrupted run leaves', async () => {
    assert.ok(reference, 'the uninterrupted run of the first test is the reference');
    const points = soakPoints(CHOSEN, { states: ['intent', 'result'], upTo: 3, randomKills: 0 });
    let leftOpen = 0;
    const outcomes: string[] = [];
    for (const point of points) {
      const r = await setup(DEFAULT_APP_NAME, { IAM2SSO_KILL_AT: point });
      outcomes.push(`${point}=${r.status === -1 ? 'killed' : r.status}`);
      if (r.status === -1 && journal().open > 0) leftOpen++;
    }
    assert.ok(leftOpen >= CHOSEN.length, `every chosen kill left an open journal entry: ${outcomes.join(' ')}`);
    const last = await setup(DEFAULT_APP_NAME);
    assert.equal(last.status, 0, last.stderr);
    assert.deepEqual(await appState(DEFAULT_APP_NAME), reference, 'the same end state as the uninterrupted run');
    const [made] = await adapter.apps.findApps(DEFAULT_APP_NAME, AWS_GALLERY_TEMPLATE_ID);
    const saved = parseIdpMetadata(readFileSync(join(dir, `${DEFAULT_APP_NAME}.xml`), 'utf8'));
    assert.ok(saved.ok, 'the federation metadata file is whole');
    assert.deepEqual(
      saved.value.signingCertificates.map((c) => c.thumbprint),
      [made.preferredTokenSigningKeyThumbprint],
      'and names the certificate the app signs with',
    );
    const j = journal();
    assert.equal(j.open, 0, 'every entry a killed run left open was settled');
    assert.equal(j.instantiated, 2, 'each app was instantiated once (the reference app and this one)');
    const noop = await setup(DEFAULT_APP_NAME);
    assert.equal(noop.json<{ changes: number }>().changes, 0, 'nothing is left to do');
  });

  test('an app of the same name that iam2sso did not create is refused, not configured', async () => {
    const other = join(dir, 'other.db');
    const run = await runIam2sso(
      [
        'entra',
        'setup',
        '--app-name',
        DEFAULT_APP_NAME,
        '--federation-metadata-out',
        join(dir, 'o.xml'),
        '--state',
        other,
      ],
      env,
    );
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /exists and is not managed by iam2sso: .*iam2sso adopt entra-app/);
  });
});
