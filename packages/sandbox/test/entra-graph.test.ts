import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientCertificateCredential } from '@azure/identity';
import { type GraphError, PageIterator, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { createSelfSignedCertificate } from '../src/entra/crypto/x509.js';
import { liveUsers } from '../src/entra/directory.js';
import type { RunningSandbox } from '../src/index.js';
import {
  entraControl,
  entraInfo,
  GRAPH_SCOPE,
  sandboxCredential,
  sandboxFetch,
  sandboxGraphClient,
} from './entra-helpers.js';
import { startTestSandbox } from './helpers/sandbox.js';

type Page<T> = { value: T[]; '@odata.nextLink'?: string; '@odata.count'?: number };
type User = { id: string; userPrincipalName: string; accountEnabled?: boolean; department?: string };

describe('sandbox Entra: OAuth and Microsoft Graph through @azure/identity and the Graph client', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(() => sandbox.close());

  it('issues a Graph token to ClientSecretCredential with the app permissions as roles', async () => {
    const token = await sandboxCredential(sandbox).getToken(GRAPH_SCOPE);
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString('utf8'));
    const entra = entraInfo(sandbox);
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.tid, entra.tenantId);
    assert.equal(claims.appid, entra.clientId);
    assert.equal(claims.iss, `https://sts.windows.net/${entra.tenantId}/`);
    assert.ok(claims.roles.includes('Group.ReadWrite.All'));
    assert.ok(token.expiresOnTimestamp > Date.now());
  });

  it('refuses a wrong client secret with AADSTS7000215 (invalid_client, 401)', async () => {
    // @azure/identity wraps Entra's invalid_client answer in AuthenticationRequiredError, as against real Entra.
    await assert.rejects(sandboxCredential(sandbox, 'not-the-secret').getToken(GRAPH_SCOPE), (e: Error) => {
      assert.equal(e.name, 'AuthenticationRequiredError');
      assert.match(e.message, /invalid_client.*AADSTS7000215/s);
      return true;
    });
    const entra = entraInfo(sandbox);
    const res = await sandboxFetch(sandbox, `/${entra.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: entra.clientId,
        client_secret: 'wrong',
        scope: GRAPH_SCOPE,
      }),
    });
    const body = (await res.json()) as { error: string; error_codes: number[]; error_description: string };
    assert.equal(res.status, 401);
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
    assert.match(body.error_description, /^AADSTS7000215: .*Trace ID: .*Correlation ID: /);
  });

  it('accepts a client certificate registered on the app and refuses an unregistered one', async () => {
    const entra = entraInfo(sandbox);
    const now = Date.now();
    const make = () =>
      createSelfSignedCertificate({
        commonName: 'iam2sso',
        notBefore: new Date(now - 60_000),
        notAfter: new Date(now + 86_400_000),
      });
    const registered = make();
    const graph = sandboxGraphClient(sandbox);
    const apps = (await graph.api('/applications').filter(`appId eq '${entra.clientId}'`).get()) as Page<{
      id: string;
    }>;
    await graph.api(`/applications/${apps.value[0].id}`).patch({
      keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: registered.certificateBase64 }],
    });
    const options = {
      authorityHost: entra.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: entra.tlsCertificatePem },
    };
    const good = new ClientCertificateCredential(
      entra.tenantId,
      entra.clientId,
      { certificate: registered.certificatePem + registered.privateKeyPem },
      options,
    );
    const token = await good.getToken(GRAPH_SCOPE);
    assert.equal(JSON.parse(Buffer.from(token.token.split('.')[1], 'base64url').toString()).appidacr, '2');
    const other = make();
    const bad = new ClientCertificateCredential(
      entra.tenantId,
      entra.clientId,
      { certificate: other.certificatePem + other.privateKeyPem },
      options,
    );
    await assert.rejects(bad.getToken(GRAPH_SCOPE), /AADSTS700027/);
  });

  it('pages over every user with @odata.nextLink (PageIterator) and $top', async () => {
    const graph = sandboxGraphClient(sandbox);
    const first = (await graph.api('/users').top(7).select('id,userPrincipalName').get()) as Page<User>;
    assert.equal(first.value.length, 7);
    assert.ok(first['@odata.nextLink']);
    const seen: string[] = [];
    await new PageIterator(graph, first, (u: User) => {
      seen.push(u.id);
      return true;
    }).iterate();
    const expected = liveUsers(sandbox.world.entra!).map((u) => u.id);
    assert.equal(seen.length, expected.length);
    assert.deepEqual(new Set(seen), new Set(expected));
    await assert.rejects(graph.api('/users').top(1000).get(), (e: GraphError) => e.statusCode === 400);
  });

  it('filters on userPrincipalName and accountEnabled, selects, and counts with ConsistencyLevel', async () => {
    const graph = sandboxGraphClient(sandbox);
    const someone = liveUsers(sandbox.world.entra!)[3];
    const byUpn = (await graph
      .api('/users')
      .filter(`userPrincipalName eq '${someone.userPrincipalName.toUpperCase()}'`)
      .select('id,department')
      .get()) as Page<User>;
    assert.deepEqual(byUpn.value, [{ id: someone.id, department: someone.department }]);
    const disabled = (await graph
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .query({ $count: 'true' })
      .filter('accountEnabled eq false')
      .select('id,accountEnabled')
      .get()) as Page<User>;
    const expected = liveUsers(sandbox.world.entra!).filter((u) => !u.accountEnabled).length;
    assert.equal(disabled['@odata.count'], expected);
    assert.ok(disabled.value.every((u) => u.accountEnabled === false));
    await assert.rejects(graph.api('/users').query({ $count: 'true' }).get(), (e: GraphError) => e.statusCode === 400);
  });

  it('resolves nested groups through transitiveMembers but not members', async () => {
    const graph = sandboxGraphClient(sandbox);
    const find = async (name: string) =>
      ((await graph.api('/groups').filter(`displayName eq '${name}'`).get()) as Page<{ id: string }>).value[0].id;
    const [engineering, platform, sre] = [await find('Engineering'), await find('Platform'), await find('SRE')];
    const direct = (await graph.api(`/groups/${engineering}/members`).top(999).get()) as Page<{ id: string }>;
    const transitive = (await graph.api(`/groups/${engineering}/transitiveMembers`).top(999).get()) as Page<{
      id: string;
      '@odata.type': string;
    }>;
    const sreUsers = (await graph.api(`/groups/${sre}/members/microsoft.graph.user`).top(999).get()) as Page<User>;
    const directIds = new Set(direct.value.map((m) => m.id));
    const transitiveIds = new Set(transitive.value.map((m) => m.id));
    assert.ok(directIds.has(platform) && !directIds.has(sre));
    assert.ok(transitiveIds.has(sre));
    for (const user of sreUsers.value) {
      assert.ok(
        !directIds.has(user.id) && transitiveIds.has(user.id),
        `${user.userPrincipalName} reached only by nesting`,
      );
    }
    const someSre = sreUsers.value[0];
    if (someSre) {
      const memberOf = (await graph.api(`/users/${someSre.id}/transitiveMemberOf`).get()) as Page<{ id: string }>;
      assert.deepEqual(new Set(memberOf.value.map((g) => g.id)), new Set([sre, platform, engineering]));
    }
  });

  it('runs a $batch of 20 requests and refuses 21', async () => {
    const graph = sandboxGraphClient(sandbox);
    const all = liveUsers(sandbox.world.entra!);
    const users = Array.from({ length: 20 }, (_, i) => all[i % all.length]);
    const requests = users.map((u, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${u.id}?$select=id` }));
    const result = (await graph.api('/$batch').post({ requests })) as {
      responses: { id: string; status: number; body: { id: string } }[];
    };
    assert.equal(result.responses.length, 20);
    for (const r of result.responses) {
      assert.equal(r.status, 200);
      assert.equal(r.body.id, users[Number(r.id) - 1].id);
    }
    const tooMany = [...requests, { id: '21', method: 'GET', url: '/users?$top=1' }];
    await assert.rejects(graph.api('/$batch').post({ requests: tooMany }), (e: GraphError) => e.statusCode === 400);
  });

  it('throttles with 429 and Retry-After, and the Graph client retry handler gets through', async () => {
    await entraControl(sandbox, 'throttle', { failNext: 2, retryAfterSeconds: 1 });
    const graph = sandboxGraphClient(sandbox);
    const started = Date.now();
    const page = (await graph.api('/groups').top(1).get()) as Page<unknown>;
    assert.equal(page.value.length, 1);
    assert.ok(Date.now() - started >= 1900, 'waited Retry-After twice');
    await entraControl(sandbox, 'throttle', { failNext: 1 });
    const noRetry = sandboxGraphClient(sandbox, undefined, new RetryHandlerOptions(0, 0));
    await assert.rejects(noRetry.api('/groups').get(), (e: GraphError) => {
      assert.equal(e.statusCode, 429);
      assert.equal(e.code, 'TooManyRequests');
      assert.equal(e.headers?.get('retry-after'), '1');
      return true;
    });
  });

  it('answers 401 InvalidAuthenticationToken for a bad or expired token', async () => {
    const forged = sandboxGraphClient(sandbox, {
      getToken: async () => ({ token: 'a.b.c', expiresOnTimestamp: Date.now() + 3e6 }),
    });
    await assert.rejects(forged.api('/users').get(), (e: GraphError) => {
      assert.equal(e.statusCode, 401);
      assert.equal(e.code, 'InvalidAuthenticationToken');
      return true;
    });
    await entraControl(sandbox, 'settings', { tokenLifetimeSeconds: -60 });
    const expired = sandboxGraphClient(sandbox, {
      getToken: (scopes) => sandboxCredential(sandbox).getToken(scopes),
    });
    await assert.rejects(
      expired.api('/users').get(),
      (e: GraphError) => e.statusCode === 401 && /expired/.test(e.message),
    );
    await entraControl(sandbox, 'settings', { tokenLifetimeSeconds: 3599 });
  });

  it('deletes an application with its service principal and restores each from deleted items for 30 days', async () => {
    const graph = sandboxGraphClient(sandbox);
    const app = (await graph.api('/applications').post({ displayName: 'AWS Single-Account Access' })) as {
      id: string;
      appId: string;
    };
    const sp = (await graph.api('/servicePrincipals').post({ appId: app.appId })) as { id: string };
    const status = (path: string) =>
      graph
        .api(path)
        .get()
        .then(
          () => 200,
          (e: GraphError) => e.statusCode,
        );
    await graph.api(`/applications/${app.id}`).delete();
    assert.deepEqual(
      [await status(`/applications/${app.id}`), await status(`/servicePrincipals/${sp.id}`)],
      [404, 404],
    );
    const restored = (await graph.api(`/directory/deletedItems/${app.id}/restore`).post({})) as Record<string, unknown>;
    assert.equal(restored['@odata.type'], '#microsoft.graph.application');
    assert.equal(restored.appId, app.appId);
    // Restoring the application leaves its service principal in deleted items until it is restored too.
    assert.deepEqual(
      [await status(`/applications/${app.id}`), await status(`/servicePrincipals/${sp.id}`)],
      [200, 404],
    );
    await graph.api(`/directory/deletedItems/${sp.id}/restore`).post({});
    assert.equal(await status(`/servicePrincipals/${sp.id}`), 200);
    await graph.api(`/applications/${app.id}`).delete();
    sandbox.world.clock.advance(31 * 86_400_000);
    const late = await graph
      .api(`/directory/deletedItems/${app.id}/restore`)
      .post({})
      .catch((e: GraphError) => e.statusCode);
    assert.equal(late, 404);
  });

  it('refuses a call the app has no permission for with 403 naming the permission', async () => {
    const graph = sandboxGraphClient(sandbox);
    await assert.rejects(
      graph.api('/users').post({
        displayName: 'X',
        accountEnabled: true,
        mailNickname: 'x',
        userPrincipalName: 'x@example.com',
        passwordProfile: {},
      }),
      (e: GraphError) => {
        assert.equal(e.statusCode, 403);
        assert.equal(e.code, 'Authorization_RequestDenied');
        assert.match(e.message, /User\.ReadWrite\.All/);
        return true;
      },
    );
  });
});
