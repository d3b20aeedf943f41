import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeUserCommand, GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { RunningSandbox } from '@iam2sso/sandbox';
import Database from 'better-sqlite3';
import { sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { EntraAdapter } from '../../src/entra/adapter.js';
import { type IntendedWrite, recordingAppWriter } from '../../src/entra/dry-run.js';
import { userRoleId } from '../../src/entra/groups.js';
import type { EnterpriseApp, EntraUser } from '../../src/entra/ports.js';
import { provisionUser } from '../../src/entra/provision.js';
import { parseIdpMetadata, parseSpMetadata } from '../../src/entra/saml-metadata.js';
import { AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME } from '../../src/entra/setup-plan.js';
import { memoryJournal } from '../../src/reconcile/journal.js';
import { openStateDb } from '../../src/store/db.js';
import { memoryOwnership, stateOwnership } from '../../src/store/ownership-repo.js';
import { entraCliEnv, sandboxAdapter } from '../entra/adapter-kit.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

type SetupJson = {
  dryRun: boolean;
  changes: number;
  inPlace: number;
  steps: { kind: string; change: boolean }[];
  app: { servicePrincipalId: string; appId: string };
  signingThumbprint: string | null;
  federationMetadata: string;
  intendedWrites?: { call: string; detail: string }[];
};

describe('iam2sso entra setup and provision against an empty sandbox tenant', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let adapter: EntraAdapter;
  let identityStore: IdentitystoreClient;
  let spMetadataUrl: string;
  let scimEndpoint: string;
  let app: EnterpriseApp;
  const metadataFile = () => join(dir, 'federation.xml');

  async function identityStoreUser(upn: string): Promise<{ UserName?: string } | undefined> {
    const IdentityStoreId = sandbox.world.sso!.identityStoreId;
    try {
      const { UserId } = await identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: upn } },
        }),
      );
      return await identityStore.send(new DescribeUserCommand({ IdentityStoreId, UserId }));
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  }

  /** Entra users not yet in the Identity Store, so provisioning them is observable. */
  async function freshUsers(count: number): Promise<EntraUser[]> {
    const out: EntraUser[] = [];
    for (const user of await adapter.reader.listUsers()) {
      if (!user.accountEnabled || !user.mail || !user.givenName || !user.surname) continue;
      if (await identityStoreUser(user.userPrincipalName)) continue;
      out.push(user);
      if (out.length === count) break;
    }
    assert.equal(out.length, count, 'the scenario has enough Entra users outside Identity Center');
    return out;
  }

  const setup = (...extra: string[]) =>
    runIam2sso(
      [
        'entra',
        'setup',
        '--sp-metadata-url',
        spMetadataUrl,
        '--scim-endpoint',
        scimEndpoint,
        '--federation-metadata-out',
        metadataFile(),
        '--json',
        '--state',
        join(dir, 'state.db'),
        ...extra,
      ],
      env,
    );

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 5 });
    sandbox.world.entra!.instantiateDelayMs = 1500;
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-entra-'));
    const token = await fetch(`${sandbox.info.endpoint}/_sandbox/identity-center/scim/tokens`, { method: 'POST' });
    const scim = (await token.json()) as { token: string; endpoint: string };
    scimEndpoint = scim.endpoint;
    spMetadataUrl = `${sandbox.info.endpoint}/_sandbox/identity-center/saml-metadata.xml`;
    env = sandboxEnv(sandbox, entraCliEnv(sandbox, dir, { IAM2SSO_SCIM_TOKEN: scim.token }));
    adapter = sandboxAdapter(sandbox);
    identityStore = new IdentitystoreClient(sdkConfig(sandbox));
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('--dry-run lists the writes it would make and changes nothing', async () => {
    const run = await setup('--dry-run');
    assert.equal(run.status, 0, run.stderr);
    const out = run.json<SetupJson>();
    assert.equal(out.dryRun, true);
    assert.equal(out.inPlace, 0);
    const calls = out.intendedWrites!.map((w) => w.call);
    assert.ok(calls.includes('POST /applicationTemplates/{id}/instantiate'));
    assert.ok(calls.includes('POST /servicePrincipals/{id}/addTokenSigningCertificate'));
    assert.ok(calls.some((c) => c.includes('validateCredentials')));
    assert.ok(
      !out.intendedWrites!.some((w) => w.detail.includes(env.IAM2SSO_SCIM_TOKEN)),
      'the token is never printed',
    );
    assert.deepEqual(await adapter.apps.findApps(DEFAULT_APP_NAME, AWS_GALLERY_TEMPLATE_ID), []);
    assert.equal(existsSync(metadataFile()), false);
  });

  test('creates the app, configures SAML and provisioning, and saves federation metadata signed by its certificate', async () => {
    const run = await setup();
    assert.equal(run.status, 0, run.stderr);
    const out = run.json<SetupJson>();
    assert.equal(out.inPlace, 0);
    assert.ok(out.steps.every((s) => s.change));
    const runs = await runIam2sso(['runs', '--json', '--state', join(dir, 'state.db')], env);
    const journaled = runs.json<{ command: string; status: string; counts: { done: number } }[]>();
    // Every step, the local metadata file included, is a change journaled through the executor.
    assert.deepEqual(
      journaled.map((r) => [r.command, r.status, r.counts.done]),
      [['entra setup', 'done', out.steps.length]],
      'the run and each of its changes are journaled',
    );
    const found = await adapter.apps.findApps(DEFAULT_APP_NAME, AWS_GALLERY_TEMPLATE_ID);
    assert.equal(found.length, 1);
    app = found[0];
    assert.equal(app.servicePrincipalId, out.app.servicePrincipalId);
    assert.equal(app.preferredSingleSignOnMode, 'saml');
    const sp = parseSpMetadata(await (await fetch(spMetadataUrl)).text());
    assert.ok(sp.ok);
    assert.deepEqual(app.identifierUris, [sp.value.entityId]);
    assert.deepEqual(app.redirectUris, [sp.value.acsUrl]);
    const idp = parseIdpMetadata(readFileSync(metadataFile(), 'utf8'));
    assert.ok(idp.ok, idp.ok ? '' : idp.problem);
    assert.deepEqual(
      idp.value.signingCertificates.map((c) => c.thumbprint),
      [app.preferredTokenSigningKeyThumbprint],
    );
    assert.equal(out.signingThumbprint, app.preferredTokenSigningKeyThumbprint);
    const jobs = await adapter.apps.listSyncJobs(app.servicePrincipalId);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0].scheduleState, 'Active');
    assert.equal(await adapter.apps.savedCredentialsWork(app.servicePrincipalId, jobs[0].id), true);
  });

  test('running setup again is a no-op that says everything is in place', async () => {
    const before = readFileSync(metadataFile(), 'utf8');
    const run = await runIam2sso(
      [
        'entra',
        'setup',
        '--sp-metadata-url',
        spMetadataUrl,
        '--scim-endpoint',
        scimEndpoint,
        '--federation-metadata-out',
        metadataFile(),
        '--state',
        join(dir, 'state.db'),
      ],
      env,
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Everything is already in place; nothing changed/);
    assert.match(run.stderr, /0 change\(s\), 8 already in place/);
    assert.equal(readFileSync(metadataFile(), 'utf8'), before);
    assert.deepEqual(await adapter.apps.getApp(app.servicePrincipalId), app);
  });

  test('provisions a user it assigns (journaled, undone by rollback) on demand, who then appears in the Identity Store API', async () => {
    const [user] = await freshUsers(1);
    const state = ['--state', join(dir, 'state.db')];
    const args = ['entra', 'provision', '--user', user.userPrincipalName, '--assign', '--json', ...state];
    const assigned = async () =>
      (await adapter.apps.listAssignments(app.servicePrincipalId)).some((a) => a.principalId === user.id);
    // The dry run, in process (what `--dry-run` wires): recording writer, journal and ownership in memory.
    const intended: IntendedWrite[] = [];
    const db = await openStateDb(join(dir, 'state.db'));
    try {
      await provisionUser(
        { apps: adapter.apps, writer: recordingAppWriter(intended), reader: adapter.reader },
        { appName: DEFAULT_APP_NAME, upn: user.userPrincipalName, assign: true },
        {
          runId: 'dry',
          journal: memoryJournal(),
          ownership: memoryOwnership(stateOwnership(db)),
          log: () => undefined,
        },
      );
    } finally {
      db.close();
    }
    assert.deepEqual(
      intended.map((w) => w.call),
      ['POST /servicePrincipals/{id}/appRoleAssignedTo', 'POST .../jobs/{id}/provisionOnDemand'],
    );
    assert.equal(await assigned(), false, 'the dry run assigned nothing');
    const run = await runIam2sso(args, env);
    assert.equal(run.status, 0, run.stderr);
    const out = run.json<{ run: string; assignment: string; result: { status: string } }>();
    assert.deepEqual([out.assignment, out.result.status], ['done', 'Success']);
    const stored = await identityStoreUser(user.userPrincipalName);
    assert.equal(stored?.UserName, user.userPrincipalName);
    assert.equal(await assigned(), true);

    const back = await runIam2sso(['rollback', out.run, '--auto-approve', '--json', ...state], env);
    assert.equal(back.status, 0, back.stderr);
    assert.ok(
      back.stderr.includes(`- Entra app '${DEFAULT_APP_NAME}' user assignment ${user.userPrincipalName}`),
      back.stderr,
    );
    assert.equal(await assigned(), false, 'the assignment it made is removed');
  });

  test('does not provision a user who is only in a nested group, on demand or by the engine', async () => {
    const [direct, nestedOnly] = await freshUsers(2);
    const suffix = Date.now().toString(36);
    const outer = await adapter.writer.createSecurityGroup({ displayName: `AWS-Outer-${suffix}`, description: null });
    const inner = await adapter.writer.createSecurityGroup({ displayName: `AWS-Inner-${suffix}`, description: null });
    await adapter.writer.addMember(outer.id, direct.id);
    await adapter.writer.addMember(outer.id, inner.id);
    await adapter.writer.addMember(inner.id, nestedOnly.id);
    assert.equal(await adapter.writer.assignToApp(app.servicePrincipalId, outer.id, userRoleId(app)), 'done');

    const run = await runIam2sso(
      ['entra', 'provision', '--user', nestedOnly.userPrincipalName, '--state', join(dir, 'state.db')],
      env,
    );
    assert.equal(run.status, 1);
    assert.match(run.stdout, /Skipped/);
    assert.match(run.stderr, /nested/);

    sandbox.world.clock.advance(41 * 60_000);
    await adapter.apps.listSyncJobs(app.servicePrincipalId);
    assert.ok(await identityStoreUser(direct.userPrincipalName), 'the direct member is provisioned by the cycle');
    assert.equal(await identityStoreUser(nestedOnly.userPrincipalName), undefined);
  });

  test('names the Graph permission to grant when the app registration lacks it', async () => {
    const entra = sandbox.world.entra!;
    const product = [...entra.applications.values()].find((a) => a.appId === entra.clientId)!;
    const granted = product.grantedPermissions;
    product.grantedPermissions = granted.filter((p) => p !== 'Application.ReadWrite.All');
    try {
      const run = await runIam2sso(
        [
          'entra',
          'setup',
          '--app-name',
          'Second AWS app',
          '--federation-metadata-out',
          join(dir, 'b.xml'),
          '--state',
          join(dir, 'state.db'),
        ],
        env,
      );
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /error: graph Authorization_RequestDenied/);
      assert.match(run.stderr, /grant the Microsoft Graph application permission Application\.ReadWrite\.All to app /);
      const db = new Database(join(dir, 'state.db'), { readonly: true });
      const owned = db.prepare("SELECT object_key FROM owned_objects WHERE kind = 'entra-app'").all();
      db.close();
      assert.deepEqual(owned, [{ object_key: DEFAULT_APP_NAME.toLowerCase() }], 'a refused create owns nothing');
    } finally {
      product.grantedPermissions = granted;
    }
  });
});
