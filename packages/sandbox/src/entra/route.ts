/**
 * The Entra front end of the sandbox: Microsoft Graph (`/v1.0`, `/beta`), the OAuth 2.0 token endpoint and
 * discovery documents, federation metadata, the SAML IdP (`/{tenant}/saml2`) and `/_sandbox/entra/` knobs.
 */
import type { SandboxContext } from '../sandbox-context.js';
import type { Route, SandboxRequest, SandboxResponse } from '../server/http-types.js';
import { header } from '../server/http-types.js';
import type { EntraState } from '../world/entra-state.js';
import { handleEntraControl } from './control.js';
import { serveGraph } from './graph/router.js';
import { graphHandlers } from './graph-modules.js';
import { jsonResponse, publicBase, xmlResponse } from './http.js';
import { oauthError } from './oauth/access-token.js';
import { instanceDiscovery, openIdConfiguration } from './oauth/discovery.js';
import { handleTokenRequest } from './oauth/token-endpoint.js';
import { jwksOf } from './oauth/token-keys.js';
import { activeSigningCertificate, federationMetadataXml } from './saml/federation-metadata.js';
import { serveSaml2 } from './saml/saml2-endpoint.js';

const TENANT_ENDPOINTS = new Set(['v2.0', 'oauth2', 'discovery', 'federationmetadata', 'saml2', '.well-known']);

function isGraphPath(path: string): boolean {
  return /^\/(v1\.0|beta)(\/|$)/.test(path);
}

function isTenantPath(path: string): boolean {
  const segments = path.split('/');
  return segments.length >= 3 && segments[1] !== '' && TENANT_ENDPOINTS.has(segments[2].toLowerCase());
}

function knownTenant(entra: EntraState, segment: string): boolean {
  const lower = segment.toLowerCase();
  return lower === entra.tenantId || lower === entra.domain.toLowerCase();
}

function graphBody(request: SandboxRequest): { ok: true; value: unknown } | { ok: false } {
  if (!request.body.length) return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(request.body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

async function handleGraph(sandbox: SandboxContext, request: SandboxRequest): Promise<SandboxResponse> {
  const base = publicBase(request, sandbox.world.entra);
  const [, version, ...rest] = request.url.pathname.split('/');
  const body = graphBody(request);
  if (!body.ok) {
    return jsonResponse(400, { error: { code: 'BadRequest', message: 'Unable to read JSON request payload.' } });
  }
  return serveGraph(
    sandbox,
    graphHandlers,
    {
      method: request.method,
      path: `/${rest.map((s) => decodeURIComponent(s)).join('/')}`,
      query: request.url.searchParams,
      headers: request.headers,
      body: body.value,
      baseUrl: `${base}/${version}`,
    },
    header(request, 'authorization'),
  );
}

function tokenEndpointUrls(entra: EntraState, base: string): string[] {
  const bases = [base, 'https://login.microsoftonline.com', entra.httpsEndpoint].filter(Boolean) as string[];
  return bases.flatMap((b) => [entra.tenantId, entra.domain].map((t) => `${b}/${t}/oauth2/v2.0/token`));
}

function handleTenantPath(sandbox: SandboxContext, entra: EntraState, request: SandboxRequest): SandboxResponse {
  const base = publicBase(request, entra);
  const [, tenant, ...rest] = request.url.pathname.split('/');
  const tail = rest.join('/').toLowerCase();
  const generic = tenant === 'common' || tenant === 'organizations';
  if (!generic && !knownTenant(entra, tenant)) {
    return jsonResponse(
      400,
      oauthError(
        'invalid_tenant',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      ),
    );
  }
  if (tail === 'v2.0/.well-known/openid-configuration')
    return jsonResponse(200, openIdConfiguration(base, entra, tenant));
  if (tail === '.well-known/openid-configuration')
    return jsonResponse(200, openIdConfiguration(base, entra, tenant, true));
  if (tail === 'discovery/v2.0/keys' || tail === 'discovery/keys') {
    return jsonResponse(200, jwksOf(entra.tokenSigningKey!, `${base}/${entra.tenantId}/v2.0`));
  }
  if (tail === 'discovery/instance')
    return jsonResponse(200, instanceDiscovery(base, request.url.searchParams.get('authorization_endpoint')));
  if (tail === 'oauth2/v2.0/token' && request.method === 'POST') {
    if (generic) {
      return jsonResponse(
        400,
        oauthError('invalid_request', 90002, `Tenant '${tenant}' cannot be used with the client credentials flow.`),
      );
    }
    const result = handleTokenRequest(
      entra,
      new URLSearchParams(request.body.toString('utf8')),
      tokenEndpointUrls(entra, base),
    );
    return jsonResponse(result.status, result.body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
  }
  if (tail === 'federationmetadata/2007-06/federationmetadata.xml') {
    const appId = request.url.searchParams.get('appid');
    const sp = [...entra.servicePrincipals.values()].find((s) => s.appId === appId && !s.deletedDateTime);
    const cert = sp && activeSigningCertificate(sp);
    if (!sp || !cert) {
      return jsonResponse(
        404,
        oauthError(
          'invalid_request',
          700016,
          `Application with identifier '${appId ?? ''}' has no SAML signing certificate in the directory.`,
        ),
      );
    }
    return xmlResponse(200, federationMetadataXml(entra, sp, cert, base));
  }
  if (tail === 'saml2') return serveSaml2(sandbox, entra, request);
  return jsonResponse(
    404,
    oauthError(
      'invalid_request',
      900561,
      `The endpoint only accepts requests it knows: ${request.method} /${tenant}/${tail}.`,
    ),
  );
}

/** The route claiming Graph, login (OAuth, discovery, federation metadata, SAML) and `/_sandbox/entra/`. */
export function createEntraRoute(sandbox: SandboxContext): Route {
  return {
    name: 'entra',
    matches: (request) => {
      const path = request.url.pathname;
      return path.startsWith('/_sandbox/entra/') || isGraphPath(path) || isTenantPath(path);
    },
    handle: async (request) => {
      const path = request.url.pathname;
      const entra = sandbox.world.entra;
      if (path.startsWith('/_sandbox/entra/')) {
        const input = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
        return handleEntraControl(sandbox, request.method, path, input);
      }
      if (isGraphPath(path)) return handleGraph(sandbox, request);
      if (!entra) return jsonResponse(404, { error: 'NotFound', message: 'the sandbox has no Entra tenant' });
      return handleTenantPath(sandbox, entra, request);
    },
  };
}
