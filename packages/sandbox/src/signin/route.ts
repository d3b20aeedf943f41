/**
 * The route of the sign-in path: the access portal's pages and ACS, the OIDC and portal APIs (served at the
 * paths their service models give, the CLI reaching them through endpoint rule sets), and the control endpoints
 * under `/_sandbox/signin/` for console-only steps: the identity source's IdP metadata (GET/PUT) and whether the
 * tenant requires MFA (PUT {"required": true}).
 */

import { serveAcs, servePortalPage } from '../portal/pages.js';
import { PORTAL_API_PATHS, servePortalApi } from '../portal/portal-api.js';
import { restJson } from '../portal/rest-json.js';
import { identitySourceFromMetadata } from '../saml-sp/identity-source.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { Route, SandboxRequest, SandboxResponse } from '../server/http-types.js';
import { OIDC_PATHS, serveOidc } from '../sso-oidc/oidc.js';
import { signinStateOf } from './state.js';

const CONTROL = '/_sandbox/signin/';
const ACS = /^\/platform\/saml\/acs\/[^/]+$/;

function isPortalPage(path: string): boolean {
  return path === '/start' || path.startsWith('/start/') || path === '/authorize';
}

function control(sandbox: SandboxContext, request: SandboxRequest): SandboxResponse {
  const what = request.url.pathname.slice(CONTROL.length);
  const state = signinStateOf(sandbox.world);
  if (what === 'identity-source' && request.method === 'GET') return restJson(200, state.identitySource);
  if (what === 'identity-source' && request.method === 'PUT') {
    const source = identitySourceFromMetadata(request.body.toString('utf8'));
    if (typeof source === 'string') return restJson(400, { error: 'InvalidMetadata', message: source });
    state.identitySource = source;
    return restJson(200, source);
  }
  if (what === 'mfa' && request.method === 'PUT') {
    state.mfaRequired = JSON.parse(request.body.toString('utf8') || '{}').required === true;
    return restJson(200, { required: state.mfaRequired });
  }
  return restJson(404, { error: 'NotFound', message: `no control endpoint ${request.method} ${request.url.pathname}` });
}

/** The sign-in route; it claims nothing when the world has no Identity Center instance. */
export function createSigninRoute(sandbox: SandboxContext): Route {
  return {
    name: 'signin',
    matches: (request) => {
      if (!sandbox.world.sso) return false;
      const path = request.url.pathname;
      return (
        path.startsWith(CONTROL) ||
        ACS.test(path) ||
        isPortalPage(path) ||
        Object.hasOwn(OIDC_PATHS, path) ||
        Object.hasOwn(PORTAL_API_PATHS, path)
      );
    },
    handle: (request) => {
      const path = request.url.pathname;
      if (path.startsWith(CONTROL)) return control(sandbox, request);
      if (ACS.test(path)) return serveAcs(sandbox, request);
      if (Object.hasOwn(OIDC_PATHS, path)) return serveOidc(sandbox, request);
      if (Object.hasOwn(PORTAL_API_PATHS, path)) return servePortalApi(sandbox, request);
      return servePortalPage(sandbox, request);
    },
  };
}
