/**
 * Microsoft Graph access tokens: v1.0 JWTs signed by the tenant's key with the app's granted permissions
 * in `roles`. Lifetimes use real time, not the virtual clock, so that moving the clock forward (weeks of
 * adoption) does not invalidate tokens that client libraries have cached by real time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntraApplication, EntraState } from '../../world/entra-state.js';
import { decodeJwt, signJwt, verifyJwtSignature } from '../crypto/jwt.js';
import { parseCertificate } from '../crypto/x509.js';
import type { GraphCaller } from '../graph-types.js';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Issues a Graph access token for an app; `appidacr` is 1 for a secret and 2 for a certificate. */
export function issueAccessToken(
  entra: EntraState,
  app: EntraApplication,
  appidacr: '1' | '2',
): { token: string; expiresIn: number } {
  const key = entra.tokenSigningKey!;
  const lifetime = entra.tokenLifetimeSeconds ?? 3599;
  const now = Math.floor(Date.now() / 1000);
  const sp = [...entra.servicePrincipals.values()].find((s) => s.appId === app.appId);
  const claims = {
    aud: GRAPH_RESOURCE,
    iss: `https://sts.windows.net/${entra.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    aio: randomBytes(24).toString('base64url'),
    app_displayname: app.displayName,
    appid: app.appId,
    appidacr,
    idp: `https://sts.windows.net/${entra.tenantId}/`,
    idtyp: 'app',
    oid: sp?.id ?? app.id,
    rh: `0.${randomBytes(12).toString('base64url')}.`,
    roles: [...app.grantedPermissions],
    sub: sp?.id ?? app.id,
    tenant_region_scope: 'NA',
    tid: entra.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
    xms_tcdt: 1600000000,
  };
  return { token: signJwt(claims, key.privateKeyPem, { kid: key.kid, x5t: key.kid }), expiresIn: lifetime };
}

export type TokenCheck = { ok: true; caller: GraphCaller } | { ok: false; message: string };

/** Validates a bearer token the way Graph does: signature, issuer, audience, tenant and lifetime. */
export function validateAccessToken(entra: EntraState, token: string | null): TokenCheck {
  if (!token) return { ok: false, message: 'Access token is empty.' };
  const decoded = decodeJwt(token);
  if (!decoded) return { ok: false, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
  const key = entra.tokenSigningKey!;
  const publicKey = parseCertificate(key.certificateBase64).publicKey;
  if (decoded.header.kid !== key.kid || !verifyJwtSignature(token, publicKey)) {
    return { ok: false, message: 'Access token validation failure. Invalid signature.' };
  }
  const claims = decoded.claims;
  if (claims.aud !== GRAPH_RESOURCE && claims.aud !== GRAPH_APP_ID) {
    return { ok: false, message: 'Access token validation failure. Invalid audience.' };
  }
  if (claims.tid !== entra.tenantId || claims.iss !== `https://sts.windows.net/${entra.tenantId}/`) {
    return { ok: false, message: 'Access token validation failure. Invalid issuer.' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
    return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
  }
  return { ok: true, caller: { appId: claims.appid, tenantId: claims.tid, roles: claims.roles ?? [] } };
}

/** Entra's OAuth error body (`error`, `error_description` with the AADSTS code, trace and correlation ids). */
export function oauthError(error: string, code: number, message: string, correlationId?: string): unknown {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}
