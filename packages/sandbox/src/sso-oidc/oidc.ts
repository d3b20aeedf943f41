/**
 * IAM Identity Center's OIDC service (`sso-oidc`, `oidc.<region>.amazonaws.com`), what `aws sso login` uses:
 * RegisterClient (`POST /client/register`), StartDeviceAuthorization (`POST /device_authorization`) and CreateToken
 * (`POST /token`) for the device code, refresh token and authorization code (with PKCE, S256) grants, with the
 * service's errors: authorization_pending, slow_down, expired_token, access_denied, invalid_client, invalid_grant,
 * unsupported_grant_type. Source: botocore `sso-oidc/2019-06-10/service-2.json` and the AWS SDK v3
 * `@aws-sdk/client-sso-oidc` models (codeVerifier, grantTypes, redirectUris), and RFC 8628 / RFC 7636 for the flows.
 */
import { createHash } from 'node:crypto';
import { oidcError, restJson } from '../portal/rest-json.js';
import type { SandboxContext } from '../sandbox-context.js';
import { identityCenterSamlSettings } from '../scim/saml-sp-metadata.js';
import type { SandboxRequest, SandboxResponse } from '../server/http-types.js';
import { header } from '../server/http-types.js';
import { type OidcClient, randomToken, type SigninState, signinStateOf } from '../signin/state.js';
import { recordSigninEvent } from '../signin/trail.js';

/** How long an access token lives (Identity Center's default session duration, 8 hours). */
export const ACCESS_TOKEN_SECONDS = 8 * 3600;
const DEVICE_CODE_SECONDS = 600;
const POLL_INTERVAL_SECONDS = 1;
const CLIENT_LIFETIME_MS = 90 * 86_400_000;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

type Body = Record<string, unknown>;

function str(body: Body, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function invalidClient(): SandboxResponse {
  return oidcError(401, 'InvalidClientException', 'invalid_client', 'Invalid client provided');
}

function invalidGrant(description: string): SandboxResponse {
  return oidcError(400, 'InvalidGrantException', 'invalid_grant', description);
}

function clientOf(state: SigninState, body: Body, now: Date): OidcClient | null {
  const client = state.clients.get(str(body, 'clientId') ?? '');
  if (!client || client.clientSecret !== str(body, 'clientSecret') || client.secretExpiresAt <= now) return null;
  return client;
}

/** True for the instance's start URL, as AWS shows it or as this sandbox serves it. */
export function isStartUrl(sandbox: SandboxContext, url: string): boolean {
  const trimmed = url.replace(/[/#]+$/, '');
  return trimmed === identityCenterSamlSettings(sandbox.world).signOnUrl || trimmed === `${sandbox.endpoint}/start`;
}

function registerClient(sandbox: SandboxContext, state: SigninState, body: Body): SandboxResponse {
  const clientName = str(body, 'clientName');
  const clientType = str(body, 'clientType');
  if (!clientName || !clientType)
    return oidcError(400, 'InvalidRequestException', 'invalid_request', 'clientName and clientType are required');
  if (clientType !== 'public')
    return oidcError(400, 'InvalidClientMetadataException', 'invalid_client_metadata', 'Invalid client type');
  const now = sandbox.world.clock.now();
  const client: OidcClient = {
    clientId: randomToken(16),
    clientSecret: randomToken(96, 'eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0.'),
    clientName,
    scopes: Array.isArray(body.scopes) ? (body.scopes as string[]) : [],
    redirectUris: Array.isArray(body.redirectUris) ? (body.redirectUris as string[]) : [],
    issuedAt: now,
    secretExpiresAt: new Date(now.getTime() + CLIENT_LIFETIME_MS),
  };
  state.clients.set(client.clientId, client);
  const base = `${sandbox.endpoint}`;
  return restJson(200, {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    clientIdIssuedAt: Math.floor(now.getTime() / 1000),
    clientSecretExpiresAt: Math.floor(client.secretExpiresAt.getTime() / 1000),
    authorizationEndpoint: `${base}/authorize`,
    tokenEndpoint: `${base}/token`,
  });
}

function userCode(): string {
  const letters = 'BCDFGHJKLMNPQRSTVWXZ';
  const bytes = randomToken(8);
  let code = '';
  for (let i = 0; i < 8; i++) code += letters[bytes.charCodeAt(i) % letters.length];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

function startDeviceAuthorization(sandbox: SandboxContext, state: SigninState, body: Body): SandboxResponse {
  const now = sandbox.world.clock.now();
  const client = clientOf(state, body, now);
  if (!client) return invalidClient();
  const startUrl = str(body, 'startUrl') ?? '';
  if (!isStartUrl(sandbox, startUrl))
    return oidcError(400, 'InvalidRequestException', 'invalid_request', `Invalid start URL: ${startUrl}`);
  const code = userCode();
  const deviceCode = randomToken(64);
  state.devices.set(deviceCode, {
    deviceCode,
    userCode: code,
    clientId: client.clientId,
    startUrl,
    expiresAt: new Date(now.getTime() + DEVICE_CODE_SECONDS * 1000),
    intervalSeconds: POLL_INTERVAL_SECONDS,
    lastPollMs: null,
    approvedBy: null,
    used: false,
  });
  const verificationUri = `${sandbox.endpoint}/start/device`;
  return restJson(200, {
    deviceCode,
    userCode: code,
    verificationUri,
    verificationUriComplete: `${verificationUri}?user_code=${code}`,
    expiresIn: DEVICE_CODE_SECONDS,
    interval: POLL_INTERVAL_SECONDS,
  });
}

/** Issues an access token (and a refresh token for clients registered with scopes). */
function issueTokens(sandbox: SandboxContext, state: SigninState, client: OidcClient, userId: string): SandboxResponse {
  const now = sandbox.world.clock.now();
  const accessToken = randomToken(96, 'aoa');
  state.accessTokens.set(accessToken, {
    token: accessToken,
    userId,
    clientId: client.clientId,
    expiresAt: new Date(now.getTime() + ACCESS_TOKEN_SECONDS * 1000),
  });
  const out: Record<string, unknown> = { accessToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_SECONDS };
  if (client.scopes.length) {
    const refreshToken = randomToken(96, 'aor');
    state.refreshTokens.set(refreshToken, {
      token: refreshToken,
      userId,
      clientId: client.clientId,
      scopes: client.scopes,
    });
    out.refreshToken = refreshToken;
  }
  return restJson(200, out);
}

function deviceGrant(sandbox: SandboxContext, state: SigninState, client: OidcClient, body: Body): SandboxResponse {
  const device = state.devices.get(str(body, 'deviceCode') ?? '');
  if (!device || device.clientId !== client.clientId || device.used) return invalidGrant('Invalid grant provided');
  const nowMs = sandbox.world.clock.nowMs();
  if (device.expiresAt.getTime() <= nowMs)
    return oidcError(400, 'ExpiredTokenException', 'expired_token', 'Device code has expired');
  if (device.approvedBy === 'denied')
    return oidcError(400, 'AccessDeniedException', 'access_denied', 'The user denied the authorization request');
  if (device.approvedBy === null) {
    const tooSoon = device.lastPollMs !== null && nowMs - device.lastPollMs < device.intervalSeconds * 1000 - 250;
    device.lastPollMs = nowMs;
    if (tooSoon) return oidcError(400, 'SlowDownException', 'slow_down', 'Client is polling too quickly');
    return oidcError(400, 'AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending');
  }
  device.used = true;
  return issueTokens(sandbox, state, client, device.approvedBy);
}

function refreshGrant(sandbox: SandboxContext, state: SigninState, client: OidcClient, body: Body): SandboxResponse {
  const refresh = state.refreshTokens.get(str(body, 'refreshToken') ?? '');
  if (!refresh || refresh.clientId !== client.clientId) return invalidGrant('Invalid refresh token provided');
  state.refreshTokens.delete(refresh.token);
  return issueTokens(sandbox, state, client, refresh.userId);
}

function codeGrant(sandbox: SandboxContext, state: SigninState, client: OidcClient, body: Body): SandboxResponse {
  const code = state.codes.get(str(body, 'code') ?? '');
  const now = sandbox.world.clock.now();
  if (!code || code.used || code.clientId !== client.clientId || code.expiresAt <= now)
    return invalidGrant('Invalid authorization code provided');
  if (code.redirectUri !== str(body, 'redirectUri')) return invalidGrant('Redirect URI does not match');
  if (code.codeChallenge) {
    const verifier = str(body, 'codeVerifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (challenge !== code.codeChallenge) return invalidGrant('Code verifier does not match the code challenge');
  }
  code.used = true;
  return issueTokens(sandbox, state, client, code.userId);
}

function createToken(sandbox: SandboxContext, state: SigninState, body: Body): SandboxResponse {
  const client = clientOf(state, body, sandbox.world.clock.now());
  if (!client) return invalidClient();
  const grant = str(body, 'grantType');
  if (grant === DEVICE_GRANT) return deviceGrant(sandbox, state, client, body);
  if (grant === 'refresh_token') return refreshGrant(sandbox, state, client, body);
  if (grant === 'authorization_code') return codeGrant(sandbox, state, client, body);
  return oidcError(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
}

/** The OIDC paths this module serves. */
export const OIDC_PATHS: Record<string, string> = {
  '/client/register': 'RegisterClient',
  '/device_authorization': 'StartDeviceAuthorization',
  '/token': 'CreateToken',
};

/** Serves one OIDC API call and records it in CloudTrail. */
export function serveOidc(sandbox: SandboxContext, request: SandboxRequest): SandboxResponse {
  const action = OIDC_PATHS[request.url.pathname];
  if (request.method !== 'POST' || !action)
    return oidcError(404, 'InvalidRequestException', 'invalid_request', 'Unknown operation');
  let body: Body;
  try {
    body = request.body.length ? (JSON.parse(request.body.toString('utf8')) as Body) : {};
  } catch {
    return oidcError(400, 'InvalidRequestException', 'invalid_request', 'Malformed JSON body');
  }
  const state = signinStateOf(sandbox.world);
  const response =
    action === 'RegisterClient'
      ? registerClient(sandbox, state, body)
      : action === 'StartDeviceAuthorization'
        ? startDeviceAuthorization(sandbox, state, body)
        : createToken(sandbox, state, body);
  const pending = response.headers['x-amzn-errortype'];
  if (pending !== 'AuthorizationPendingException' && pending !== 'SlowDownException') {
    const token = response.status === 200 && action === 'CreateToken' ? JSON.parse(String(response.body)) : null;
    const userId = token ? state.accessTokens.get(token.accessToken)?.userId : undefined;
    recordSigninEvent(sandbox.world, {
      source: 'sso-oauth',
      name: action,
      user: userId ? (sandbox.world.sso!.users.get(userId) ?? null) : null,
      sourceIp: request.sourceIp,
      userAgent: header(request, 'user-agent') ?? '',
      ...(pending ? { errorCode: pending, errorMessage: JSON.parse(String(response.body)).error_description } : {}),
      requestParameters: { clientName: body.clientName, clientType: body.clientType, grantType: body.grantType },
    });
  }
  return response;
}
