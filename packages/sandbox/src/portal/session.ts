/**
 * The access portal's session: a sign-in cookie (`x-amz-sso_authn`, also a bearer token of the portal API as the
 * portal's own pages use it), the SP-initiated SAML redirect to the identity source when there is none, and the
 * bearer token lookup of the portal API (`x-amz-sso_bearer_token`).
 */
import { deflateRawSync } from 'node:zlib';
import type { SandboxContext } from '../sandbox-context.js';
import { identityCenterSamlSettings } from '../scim/saml-sp-metadata.js';
import { header, type SandboxRequest, type SandboxResponse } from '../server/http-types.js';
import { type AccessToken, randomToken, signinStateOf } from '../signin/state.js';
import { ACCESS_TOKEN_SECONDS } from '../sso-oidc/oidc.js';
import type { IdentityStoreUser } from '../world/sso-state.js';
import { htmlPage, redirect } from './rest-json.js';

export const SESSION_COOKIE = 'x-amz-sso_authn';

function cookie(request: SandboxRequest, name: string): string | undefined {
  const raw = header(request, 'cookie') ?? '';
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** A live access token's Identity Store user (the token itself is checked for expiry). */
export function tokenUser(
  sandbox: SandboxContext,
  token: string | undefined,
): { token: AccessToken; user: IdentityStoreUser } | null {
  if (!token) return null;
  const found = signinStateOf(sandbox.world).accessTokens.get(token);
  if (!found || found.expiresAt.getTime() <= sandbox.world.clock.nowMs()) return null;
  const user = sandbox.world.sso!.users.get(found.userId);
  return user?.active ? { token: found, user } : null;
}

/** The signed-in user of a portal page request, from the session cookie. */
export function sessionUser(sandbox: SandboxContext, request: SandboxRequest): IdentityStoreUser | null {
  return tokenUser(sandbox, cookie(request, SESSION_COOKIE))?.user ?? null;
}

/** Starts a portal session for the user: the cookie to set. */
export function startSession(sandbox: SandboxContext, user: IdentityStoreUser): string {
  const token = randomToken(96, 'aoa');
  const expiresAt = new Date(sandbox.world.clock.nowMs() + ACCESS_TOKEN_SECONDS * 1000);
  signinStateOf(sandbox.world).accessTokens.set(token, { token, userId: user.userId, clientId: null, expiresAt });
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ACCESS_TOKEN_SECONDS}`;
}

/** The SP-initiated sign-in: an AuthnRequest to the identity source (HTTP-Redirect binding), back to `returnTo`. */
export function redirectToIdentitySource(sandbox: SandboxContext, request: SandboxRequest): SandboxResponse {
  const state = signinStateOf(sandbox.world);
  const source = state.identitySource;
  if (!source) {
    return htmlPage(
      400,
      'AWS access portal',
      '<h1>Something went wrong</h1><p id="error">IAM Identity Center has no external identity provider configured. In the sandbox, the console step is: curl -X PUT --data-binary @federation.xml {endpoint}/_sandbox/signin/identity-source (the metadata iam2sso entra setup --federation-metadata-out saves).</p>',
    );
  }
  const sp = identityCenterSamlSettings(sandbox.world);
  const id = `_${randomToken(18)}`;
  state.authnRequests.add(id);
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${sandbox.world.clock.now().toISOString()}" ` +
    `Destination="${source.idpSignInUrl}" AssertionConsumerServiceURL="${sp.acsUrl}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${sp.entityId}</saml:Issuer><samlp:NameIDPolicy Format="${sp.nameIdFormat}" AllowCreate="true"/></samlp:AuthnRequest>`;
  const target = new URL(source.idpSignInUrl);
  target.searchParams.set('SAMLRequest', deflateRawSync(Buffer.from(xml)).toString('base64'));
  target.searchParams.set('RelayState', `${request.url.pathname}${request.url.search}`);
  return redirect(target.toString());
}
