/**
 * HTTP front ends of Identity Center's SCIM side: the SCIM endpoint at `/{tenant-id}/scim/v2/`, and the
 * sandbox control endpoints under `/_sandbox/identity-center/` that stand in for console-only steps
 * (generating and deleting SCIM access tokens, downloading the SP metadata).
 */
import type { SandboxContext } from '../sandbox-context.js';
import { header, type Route, type SandboxResponse } from '../server/http-types.js';
import { identityCenterSamlSettings, identityCenterSpMetadataXml } from './saml-sp-metadata.js';
import { handleScimRequest, SCIM_PATH } from './scim-handler.js';
import {
  awsScimEndpointUrl,
  createScimToken,
  listScimTokens,
  revokeScimToken,
  ScimTokenLimitError,
  scimEndpointUrl,
  scimStateOf,
} from './scim-state.js';

const CONTROL_PREFIX = '/_sandbox/identity-center/';

function json(status: number, value?: unknown, headers: Record<string, string> = {}): SandboxResponse {
  if (value === undefined) return { status, headers, body: '' };
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** The SCIM endpoint route. */
export function createScimRoute(sandbox: SandboxContext): Route {
  return {
    name: 'scim',
    matches: (request) => SCIM_PATH.test(request.url.pathname),
    handle: (request) => {
      const response = handleScimRequest(sandbox.world, {
        method: request.method,
        path: request.url.pathname,
        query: request.url.searchParams,
        body: request.body.length ? request.body.toString('utf8') : undefined,
        authorization: header(request, 'authorization'),
      });
      return json(response.status, response.body, response.headers);
    },
  };
}

function controlAnswer(sandbox: SandboxContext, method: string, path: string): SandboxResponse {
  const world = sandbox.world;
  if (!world.sso) return json(404, { error: 'NotFound', message: 'Identity Center is not enabled in this sandbox' });
  const endpoint = scimEndpointUrl(world, sandbox.endpoint);
  if (path === 'scim' && method === 'GET')
    return json(200, { endpoint, awsEndpoint: awsScimEndpointUrl(world), tenantId: scimStateOf(world).tenantId });
  if (path === 'scim/tokens' && method === 'GET') return json(200, { tokens: listScimTokens(world) });
  if (path === 'scim/tokens' && method === 'POST') {
    try {
      return json(201, { ...createScimToken(world), endpoint });
    } catch (e) {
      if (e instanceof ScimTokenLimitError) return json(409, { error: 'LimitExceeded', message: e.message });
      throw e;
    }
  }
  const revoke = /^scim\/tokens\/([^/]+)$/.exec(path);
  if (revoke && method === 'DELETE')
    return revokeScimToken(world, decodeURIComponent(revoke[1]))
      ? json(204)
      : json(404, { error: 'NotFound', message: 'no such token' });
  if (path === 'saml' && method === 'GET') return json(200, identityCenterSamlSettings(world));
  if (path === 'saml-metadata.xml' && method === 'GET')
    return {
      status: 200,
      headers: { 'content-type': 'application/samlmetadata+xml' },
      body: identityCenterSpMetadataXml(world),
    };
  return json(404, { error: 'NotFound', message: `no control endpoint ${method} ${CONTROL_PREFIX}${path}` });
}

/** Control endpoints for the console-only Identity Center steps (tokens, SP metadata). */
export function createIdentityCenterControlRoute(sandbox: SandboxContext): Route {
  return {
    name: 'identity-center-control',
    matches: (request) => request.url.pathname.startsWith(CONTROL_PREFIX),
    handle: (request) => controlAnswer(sandbox, request.method, request.url.pathname.slice(CONTROL_PREFIX.length)),
  };
}
