/**
 * Scoped fault rules for the Entra side: `graph` rules match Microsoft Graph calls by the first path segment
 * after the version (`users`, `groups`, `servicePrincipals`, ...), `login` rules match the OAuth token endpoint
 * (operation `token`). The account of a rule is the tenant id.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../sandbox-context.js';
import type { Route, SandboxRequest, SandboxResponse } from '../server/http-types.js';
import { HTML_503_PAGE } from '../world/fault-rules.js';
import { jsonResponse } from './http.js';

/**
 * Graph's error statuses by code (https://learn.microsoft.com/graph/errors): 403 for
 * Authorization_RequestDenied, 404 for Request_ResourceNotFound, 429 when throttled, 503 and 500 for service
 * failures, 400 otherwise.
 */
function graphStatus(code: string): number {
  if (/^Authorization_|accessDenied|Forbidden/i.test(code)) return 403;
  if (/NotFound/i.test(code)) return 404;
  if (/TooManyRequests|activityLimitReached|throttl/i.test(code)) return 429;
  if (/serviceNotAvailable|ServiceUnavailable/i.test(code)) return 503;
  if (/generalException|InternalServerError/i.test(code)) return 500;
  return 400;
}

function scopeOf(request: SandboxRequest): { service: string; operation: string } | undefined {
  const segments = request.url.pathname.split('/');
  if (/^(v1\.0|beta)$/.test(segments[1] ?? '')) return { service: 'graph', operation: segments[2] || '*' };
  if (/\/oauth2\/(v2\.0\/)?token$/i.test(request.url.pathname)) return { service: 'login', operation: 'token' };
  return undefined;
}

/** Wraps the Entra route so calls that match a rule fail the way the rule says. */
export function withGraphFaults(sandbox: SandboxContext, route: Route): Route {
  return {
    ...route,
    handle: (request) => {
      const scope = scopeOf(request);
      const effect =
        scope && sandbox.world.faultRules.take(scope.service, scope.operation, sandbox.world.entra?.tenantId);
      if (!effect) return route.handle(request);
      if (effect === 'reset' || effect === 'timeout') return { status: 0, headers: {}, body: '', abort: effect };
      if (effect === 'html503')
        return { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_503_PAGE };
      const status = effect.status ?? graphStatus(effect.code);
      const requestId = randomUUID();
      const headers: Record<string, string> = { 'request-id': requestId };
      if (status === 429 || status === 503) headers['retry-after'] = '1';
      return jsonResponse(
        status,
        {
          error: {
            code: effect.code,
            message: `Injected by a sandbox fault rule (${scope.service} ${scope.operation}).`,
            innerError: { date: new Date().toISOString(), 'request-id': requestId, 'client-request-id': requestId },
          },
        },
        headers,
      ) satisfies SandboxResponse;
    },
  };
}
