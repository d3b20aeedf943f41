/**
 * The AWS access portal's pages, served for the start URL (`https://<id>.awsapps.com/start` is served at
 * `/start`): the list of accounts and permission sets of the signed-in person with a credentials page for each,
 * the device authorization page where `aws sso login`'s code is confirmed, the OIDC authorize endpoint of the
 * authorization code grant, and the ACS that signs a person in from the identity source's SAML response. A
 * refused response gets AWS's generic error page and a failed sign-in event.
 */

import { xmlEscape } from '../entra/saml/xml-sign.js';
import { consumeSamlResponse } from '../saml-sp/acs.js';
import type { SandboxContext } from '../sandbox-context.js';
import { identityCenterSamlSettings } from '../scim/saml-sp-metadata.js';
import { header, type SandboxRequest, type SandboxResponse } from '../server/http-types.js';
import { randomToken, signinStateOf } from '../signin/state.js';
import { recordSigninEvent } from '../signin/trail.js';
import type { IdentityStoreUser } from '../world/sso-state.js';
import { accountsOf, issueRoleCredentials, rolesOf } from './access.js';
import { htmlPage, redirect } from './rest-json.js';
import { redirectToIdentitySource, sessionUser, startSession } from './session.js';

function formParams(request: SandboxRequest): URLSearchParams {
  return request.method === 'POST' ? new URLSearchParams(request.body.toString('utf8')) : request.url.searchParams;
}

/** The ACS: verifies the SAML response and starts a portal session, or shows AWS's generic error page. */
export function serveAcs(sandbox: SandboxContext, request: SandboxRequest): SandboxResponse {
  const params = formParams(request);
  const sp = identityCenterSamlSettings(sandbox.world);
  const state = signinStateOf(sandbox.world);
  const outcome = consumeSamlResponse(sandbox.world.sso!, state.identitySource, params.get('SAMLResponse') ?? '', {
    entityId: sp.entityId,
    acsUrl: sp.acsUrl,
    now: sandbox.world.clock.now(),
  });
  const trail = { sourceIp: request.sourceIp, userAgent: header(request, 'user-agent') ?? '' };
  if (!outcome.ok) {
    recordSigninEvent(sandbox.world, {
      source: 'signin',
      name: 'UserAuthentication',
      user: null,
      attemptedName: outcome.nameId ?? undefined,
      errorCode: 'Failure',
      errorMessage: outcome.reason,
      additionalEventData: { Protocol: 'SAML', Reason: outcome.reason },
      ...trail,
    });
    return htmlPage(
      400,
      'AWS access portal',
      `<h1>Something went wrong</h1><p id="error">We couldn't sign you in. Contact your administrator.</p><p id="request-id">Request ID: ${randomToken(12)}</p>`,
    );
  }
  recordSigninEvent(sandbox.world, {
    source: 'signin',
    name: 'UserAuthentication',
    user: outcome.user,
    additionalEventData: { Protocol: 'SAML', IdentityProvider: state.identitySource!.idpEntityId },
    ...trail,
  });
  const relay = params.get('RelayState') ?? '';
  const back = relay.startsWith('/') && !relay.startsWith('//') ? relay : '/start';
  return redirect(back, { 'set-cookie': startSession(sandbox, outcome.user) });
}

function portalPage(sandbox: SandboxContext, user: IdentityStoreUser): SandboxResponse {
  const roles = rolesOf(sandbox.world, user);
  const items = accountsOf(sandbox.world, user).map((a) => {
    const links = roles
      .filter((r) => r.accountId === a.accountId)
      .map(
        (r) =>
          `<li class="role"><a href="/start/credentials?account_id=${a.accountId}&amp;role_name=${encodeURIComponent(r.roleName)}">${xmlEscape(r.roleName)}</a></li>`,
      )
      .join('');
    return `<li class="account" data-account-id="${a.accountId}"><span class="name">${xmlEscape(a.accountName)}</span> <span class="id">${a.accountId}</span> <span class="email">${xmlEscape(a.emailAddress)}</span><ul>${links}</ul></li>`;
  });
  const list = items.length
    ? `<ul id="accounts">${items.join('')}</ul>`
    : '<p id="no-accounts">You do not have any applications or AWS accounts.</p>';
  return htmlPage(
    200,
    'AWS access portal',
    `<h1>AWS access portal</h1><p id="user">${xmlEscape(user.userName)}</p>${list}`,
  );
}

function credentialsPage(sandbox: SandboxContext, user: IdentityStoreUser, request: SandboxRequest): SandboxResponse {
  const accountId = request.url.searchParams.get('account_id') ?? '';
  const roleName = request.url.searchParams.get('role_name') ?? '';
  const creds = issueRoleCredentials(sandbox.world, user, accountId, roleName);
  if (!creds) return htmlPage(403, 'AWS access portal', '<h1>No access</h1><p id="error">No access</p>');
  const row = (id: string, value: string) => `<dt>${id}</dt><dd id="${id}">${xmlEscape(value)}</dd>`;
  return htmlPage(
    200,
    'Get credentials',
    `<h1>Get credentials for ${xmlEscape(roleName)}</h1><p>${accountId}</p><dl>${row('AWS_ACCESS_KEY_ID', creds.accessKeyId)}${row('AWS_SECRET_ACCESS_KEY', creds.secretAccessKey)}${row('AWS_SESSION_TOKEN', creds.sessionToken)}${row('expiration', new Date(creds.expiration).toISOString())}</dl>`,
  );
}

function devicePage(sandbox: SandboxContext, user: IdentityStoreUser, request: SandboxRequest): SandboxResponse {
  const params = formParams(request);
  const code = (params.get('user_code') ?? '').trim().toUpperCase();
  const form = (message = '') =>
    htmlPage(
      message ? 400 : 200,
      'Authorize request',
      `<h1>Authorize request</h1>${message ? `<p id="error">${xmlEscape(message)}</p>` : ''}<form method="POST" action="/start/device" id="device"><label for="user_code">Code</label><input id="user_code" name="user_code" value="${xmlEscape(code)}"/><button type="submit" name="action" value="allow" id="allow">Allow access</button><button type="submit" name="action" value="deny" id="deny">Deny access</button></form>`,
    );
  if (request.method !== 'POST') return form();
  const now = sandbox.world.clock.now();
  const device = [...signinStateOf(sandbox.world).devices.values()].find((d) => d.userCode === code && !d.used);
  if (!device || device.expiresAt <= now)
    return form('The code is not valid or has expired. Start over from the AWS CLI.');
  device.approvedBy = params.get('action') === 'deny' ? 'denied' : user.userId;
  const approved = device.approvedBy !== 'denied';
  return htmlPage(
    200,
    'Request approved',
    `<h1 id="result">${approved ? 'Request approved' : 'Request denied'}</h1><p>${approved ? 'You can close this window and return to the AWS CLI.' : ''}</p>`,
  );
}

function authorize(sandbox: SandboxContext, user: IdentityStoreUser, request: SandboxRequest): SandboxResponse {
  const q = request.url.searchParams;
  const state = signinStateOf(sandbox.world);
  const client = state.clients.get(q.get('client_id') ?? '');
  const redirectUri = q.get('redirect_uri') ?? '';
  if (
    !client ||
    (client.redirectUris.length && !client.redirectUris.includes(redirectUri)) ||
    q.get('response_type') !== 'code'
  )
    return htmlPage(400, 'Error', '<h1>Invalid request</h1><p id="error">invalid_request</p>');
  const method = q.get('code_challenge_method');
  if (q.get('code_challenge') && method !== 'S256')
    return htmlPage(400, 'Error', '<h1>Invalid request</h1><p id="error">Only S256 code challenges are supported</p>');
  const code = randomToken(48);
  state.codes.set(code, {
    code,
    clientId: client.clientId,
    redirectUri,
    codeChallenge: q.get('code_challenge'),
    userId: user.userId,
    expiresAt: new Date(sandbox.world.clock.nowMs() + 5 * 60_000),
    used: false,
  });
  const target = new URL(redirectUri);
  target.searchParams.set('code', code);
  if (q.get('state')) target.searchParams.set('state', q.get('state')!);
  return redirect(target.toString());
}

/** Serves the portal's pages; anyone not signed in goes to the identity source first. */
export function servePortalPage(sandbox: SandboxContext, request: SandboxRequest): SandboxResponse {
  const user = sessionUser(sandbox, request);
  if (!user) return redirectToIdentitySource(sandbox, request);
  const path = request.url.pathname.replace(/\/+$/, '');
  if (path === '/authorize') return authorize(sandbox, user, request);
  if (path === '/start/device') return devicePage(sandbox, user, request);
  if (path === '/start/credentials') return credentialsPage(sandbox, user, request);
  return portalPage(sandbox, user);
}
