/**
 * `POST /{tenant}/oauth2/v2.0/token`: the client credentials grant with a client secret or a certificate
 * (a client assertion: an RS256 JWT signed with a key whose certificate is in the app's keyCredentials).
 * Failures answer with Entra's AADSTS error bodies and status codes.
 */
import { createHash } from 'node:crypto';
import type { EntraApplication, EntraState } from '../../world/entra-state.js';
import { decodeJwt, verifyJwtSignature } from '../crypto/jwt.js';
import { parseCertificate, pemToBase64 } from '../crypto/x509.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE, issueAccessToken, oauthError } from './access-token.js';

export type TokenResult = { status: number; body: unknown };

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function fail(status: number, error: string, code: number, message: string): TokenResult {
  return { status, body: oauthError(error, code, message) };
}

function checkScope(scope: string | null): TokenResult | null {
  const scopes = (scope ?? '').split(' ').filter(Boolean);
  if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
    return fail(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = scopes[0].slice(0, -'/.default'.length).replace(/\/$/, '');
  if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) {
    return fail(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
  return null;
}

/** Checks a client assertion against the app's certificates; null when it is valid. */
function checkAssertion(app: EntraApplication, assertion: string, tokenEndpoints: string[]): TokenResult | null {
  const decoded = decodeJwt(assertion);
  if (!decoded) return fail(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  const thumbprint = decoded.header.x5t ?? decoded.header['x5t#S256'];
  const algorithm = decoded.header.x5t ? 'sha1' : 'sha256';
  const credential = app.keyCredentials.find((k) => {
    const der = Buffer.from(pemToBase64(k.certificatePem), 'base64');
    return createHash(algorithm).update(der).digest('base64url') === thumbprint;
  });
  if (!credential) {
    return fail(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ?? ''}']`,
    );
  }
  if (!verifyJwtSignature(assertion, parseCertificate(credential.certificatePem).publicKey)) {
    return fail(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
  }
  const claims = decoded.claims;
  if (claims.iss !== app.appId || claims.sub !== app.appId) {
    return fail(
      401,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter.",
    );
  }
  if (!tokenEndpoints.includes(claims.aud)) {
    return fail(401, 'invalid_client', 700016, `The audience '${claims.aud}' of the client assertion is not valid.`);
  }
  const nowSeconds = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < nowSeconds - 300) {
    return fail(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
  }
  if (credential.endDateTime.getTime() < Date.now()) {
    return fail(401, 'invalid_client', 700027, 'The certificate used to sign the client assertion has expired.');
  }
  return null;
}

function checkSecret(app: EntraApplication, secret: string): TokenResult | null {
  const match = app.passwordCredentials.find((p) => p.secretText === secret);
  if (!match) {
    return fail(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
    );
  }
  if (match.endDateTime.getTime() < Date.now()) {
    return fail(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.appId}' are expired.`);
  }
  return null;
}

/**
 * Answers a token request. `tokenEndpoints` are the URLs a client assertion may name as its audience
 * (the sandbox's own token URL and Entra's public one).
 */
export function handleTokenRequest(entra: EntraState, form: URLSearchParams, tokenEndpoints: string[]): TokenResult {
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials') {
    return fail(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType ?? ''}'.`,
    );
  }
  const clientId = form.get('client_id');
  if (!clientId) {
    return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  }
  const app = [...entra.applications.values()].find((a) => a.appId === clientId && !a.deletedDateTime);
  if (!app) {
    return fail(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${entra.domain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const assertion = form.get('client_assertion');
  const secret = form.get('client_secret');
  let refused: TokenResult | null;
  if (assertion) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
      return fail(400, 'invalid_request', 50027, "Invalid 'client_assertion_type' parameter.");
    }
    refused = checkAssertion(app, assertion, tokenEndpoints);
  } else if (secret) {
    refused = checkSecret(app, secret);
  } else {
    refused = fail(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  if (refused) return refused;
  const scopeError = checkScope(form.get('scope'));
  if (scopeError) return scopeError;
  const { token, expiresIn } = issueAccessToken(entra, app, assertion ? '2' : '1');
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
  };
}
