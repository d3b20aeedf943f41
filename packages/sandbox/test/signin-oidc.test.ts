import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ListAccountsCommand, SSOClient } from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import type { RunningSandbox } from '../src/index.js';
import { startSession } from '../src/portal/session.js';
import { identityCenterSamlSettings } from '../src/scim/saml-sp-metadata.js';
import type { IdentityStoreUser } from '../src/world/sso-state.js';
import { startTestSandbox } from './helpers/sandbox.js';

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

describe('the OIDC service and portal API the AWS CLI uses', () => {
  let sandbox: RunningSandbox;
  let oidc: SSOOIDCClient;
  let cookie: string;
  let startUrl: string;
  const user: IdentityStoreUser = {
    userId: '9067f5f1-0000-4000-8000-000000000001',
    identityStoreId: '',
    userName: 'ana.berg@example.com',
    displayName: 'Ana Berg',
    name: { givenName: 'Ana', familyName: 'Berg' },
    emails: [{ value: 'ana.berg@example.com', primary: true }],
    externalIds: [],
    active: true,
    createdBy: 'identitystore',
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  const error = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return { name: (e as Error).name, code: (e as { error?: string }).error };
    }
    return { name: 'none', code: undefined };
  };
  const register = (extra: Record<string, unknown> = {}) =>
    oidc.send(
      new RegisterClientCommand({ clientName: 'test', clientType: 'public', scopes: ['sso:account:access'], ...extra }),
    );
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${sandbox.info.endpoint}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });

  before(async () => {
    sandbox = await startTestSandbox();
    const sso = sandbox.world.sso!;
    user.identityStoreId = sso.identityStoreId;
    sso.users.set(user.userId, user);
    cookie = startSession(sandbox, user).split(';')[0];
    startUrl = identityCenterSamlSettings(sandbox.world).signOnUrl;
    oidc = new SSOOIDCClient({ region: sandbox.info.region, endpoint: sandbox.info.endpoint });
  });
  after(async () => {
    oidc.destroy();
    await sandbox.close();
  });

  it('runs the device flow: pending, slow down, approval in the portal, tokens, refresh, one use per code', async () => {
    const client = await register();
    const auth = { clientId: client.clientId!, clientSecret: client.clientSecret! };
    const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...auth, startUrl }));
    assert.match(device.userCode!, /^[A-Z]{4}-[A-Z]{4}$/);
    const token = () =>
      oidc.send(new CreateTokenCommand({ ...auth, grantType: DEVICE, deviceCode: device.deviceCode }));
    assert.deepEqual(await error(token()), { name: 'AuthorizationPendingException', code: 'authorization_pending' });
    assert.deepEqual(await error(token()), { name: 'SlowDownException', code: 'slow_down' });
    const page = await post('/start/device', { user_code: device.userCode!, action: 'allow' });
    assert.match(await page.text(), /Request approved/);
    const issued = await token();
    assert.ok(issued.accessToken && issued.refreshToken);
    assert.equal((await error(token())).name, 'InvalidGrantException');
    const refreshed = await oidc.send(
      new CreateTokenCommand({ ...auth, grantType: 'refresh_token', refreshToken: issued.refreshToken }),
    );
    assert.ok(refreshed.accessToken && refreshed.accessToken !== issued.accessToken);
    const portal = new SSOClient({ region: sandbox.info.region, endpoint: sandbox.info.endpoint });
    const accounts = await portal.send(new ListAccountsCommand({ accessToken: refreshed.accessToken! }));
    assert.deepEqual(accounts.accountList, [], 'no assignments yet: the portal lists no accounts');
    assert.equal(
      (await error(portal.send(new ListAccountsCommand({ accessToken: 'aoa-forged' })))).name,
      'UnauthorizedException',
    );
    portal.destroy();
  });

  it('refuses an unknown client, and a device code after it expires', async () => {
    const client = await register();
    const bad = { clientId: client.clientId!, clientSecret: 'wrong' };
    assert.deepEqual(await error(oidc.send(new StartDeviceAuthorizationCommand({ ...bad, startUrl }))), {
      name: 'InvalidClientException',
      code: 'invalid_client',
    });
    const auth = { clientId: client.clientId!, clientSecret: client.clientSecret! };
    const device = await oidc.send(new StartDeviceAuthorizationCommand({ ...auth, startUrl }));
    sandbox.world.clock.advance(11 * 60_000);
    assert.deepEqual(
      await error(oidc.send(new CreateTokenCommand({ ...auth, grantType: DEVICE, deviceCode: device.deviceCode }))),
      { name: 'ExpiredTokenException', code: 'expired_token' },
    );
  });

  it('issues an authorization code to a signed-in person and checks its PKCE verifier', async () => {
    const redirectUri = 'http://127.0.0.1:9/callback';
    const client = await register({ grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [redirectUri] });
    const verifier = 'a-verifier-of-enough-length-0123456789-abcdefghij';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId!,
      redirect_uri: redirectUri,
      state: 's1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const r = await fetch(`${sandbox.info.endpoint}/authorize?${q}`, { headers: { cookie }, redirect: 'manual' });
    const location = new URL(r.headers.get('location')!);
    assert.equal(location.searchParams.get('state'), 's1');
    const code = location.searchParams.get('code')!;
    const auth = {
      clientId: client.clientId!,
      clientSecret: client.clientSecret!,
      grantType: 'authorization_code',
      code,
      redirectUri,
    };
    assert.equal(
      (await error(oidc.send(new CreateTokenCommand({ ...auth, codeVerifier: 'wrong' })))).name,
      'InvalidGrantException',
    );
    const token = await oidc.send(new CreateTokenCommand({ ...auth, codeVerifier: verifier }));
    assert.ok(token.accessToken);
  });
});
