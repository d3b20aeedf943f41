/**
 * The Microsoft Graph front end: `/v1.0/...` (and `/beta/...`). Checks the bearer token on every call,
 * throttles with 429 + Retry-After when the world asks for it, checks the handler's application permissions,
 * and serves `$batch` (at most 20 requests, `dependsOn` honoured).
 */
import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../../sandbox-context.js';
import type { SandboxResponse } from '../../server/http-types.js';
import type { EntraState } from '../../world/entra-state.js';
import {
  type GraphCaller,
  type GraphHandler,
  type GraphRequest,
  type GraphResult,
  graphError,
} from '../graph-types.js';
import { sweepPim } from '../harden/state.js';
import { validateAccessToken } from '../oauth/access-token.js';

/** Graph accepts at most 20 requests in one JSON batch. */
export const MAX_BATCH = 20;

export type GraphCall = {
  method: string;
  /** Path after the version segment, percent-decoded. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  baseUrl: string;
};

function isGraphResult(value: unknown): value is GraphResult {
  return typeof value === 'object' && value !== null && typeof (value as GraphResult).status === 'number';
}

const throttleLogs = new WeakMap<EntraState, Map<string, number[]>>();

/** 429 when the fault knob or the per-app budget says so; null otherwise. */
function throttle(entra: EntraState, appId: string): GraphResult | null {
  const settings = entra.graphThrottle;
  if (!settings) return null;
  const tooMany = () => {
    const result = graphError(429, 'TooManyRequests', 'Too many requests. Please retry again later.');
    result.headers = { ...result.headers, 'retry-after': String(settings.retryAfterSeconds) };
    return result;
  };
  if (settings.failNext > 0) {
    settings.failNext -= 1;
    return tooMany();
  }
  if (settings.limit === null) return null;
  const logs = throttleLogs.get(entra) ?? new Map<string, number[]>();
  throttleLogs.set(entra, logs);
  const now = Date.now();
  const recent = (logs.get(appId) ?? []).filter((t) => now - t < settings.windowMs);
  if (recent.length >= settings.limit) {
    logs.set(appId, recent);
    return tooMany();
  }
  recent.push(now);
  logs.set(appId, recent);
  return null;
}

function authenticate(entra: EntraState, authorization: string | undefined): GraphCaller | GraphResult {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? null;
  const check = validateAccessToken(entra, token);
  if (check.ok) return check.caller;
  const result = graphError(401, 'InvalidAuthenticationToken', check.message);
  result.headers = {
    ...result.headers,
    'www-authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  };
  return result;
}

/** Runs one Graph call for an authenticated caller: throttling, routing, permissions, the handler. */
export async function runGraphCall(
  sandbox: SandboxContext,
  handlers: GraphHandler[],
  call: GraphCall,
  caller: GraphCaller,
): Promise<GraphResult> {
  const entra = sandbox.world.entra!;
  // Activations that ended on the virtual clock leave their groups before anything reads them.
  sweepPim(entra, sandbox.world.clock.now());
  const throttled = throttle(entra, caller.appId);
  if (throttled) return throttled;
  let matched: { handler: GraphHandler; match: RegExpExecArray } | null = null;
  let pathKnown = false;
  for (const handler of handlers) {
    const match = handler.pattern.exec(call.path);
    if (!match) continue;
    pathKnown = true;
    if (handler.method === call.method) {
      matched = { handler, match };
      break;
    }
  }
  if (!matched) {
    if (pathKnown)
      return graphError(
        405,
        'Request_BadRequest',
        `The HTTP method '${call.method}' is not allowed for this resource.`,
      );
    const segment = call.path.split('/').filter(Boolean).pop() ?? '';
    return graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  }
  const { handler, match } = matched;
  if (!handler.permissions.some((p) => caller.roles.includes(p))) {
    return graphError(
      403,
      'Authorization_RequestDenied',
      `Insufficient privileges to complete the operation. The app needs one of these application permissions: ${handler.permissions.join(', ')}.`,
    );
  }
  const request: GraphRequest = { ...call, caller, sandbox };
  try {
    return await handler.handle(request, match);
  } catch (e) {
    if (isGraphResult(e)) return e;
    throw e;
  }
}

type BatchItem = {
  id?: unknown;
  method?: unknown;
  url?: unknown;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: unknown;
};

/** `POST /$batch`: runs up to 20 requests in order, answering 424 for those whose dependency failed. */
export async function runBatch(
  sandbox: SandboxContext,
  handlers: GraphHandler[],
  outer: GraphCall,
  caller: GraphCaller,
): Promise<GraphResult> {
  const requests = (outer.body as { requests?: BatchItem[] } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    return graphError(400, 'BadRequest', 'Invalid batch payload format.');
  }
  if (requests.length > MAX_BATCH) {
    return graphError(400, 'BadRequest', `Number of batch requests exceeds the limit of ${MAX_BATCH}.`);
  }
  const ids = requests.map((r) => String(r.id ?? ''));
  if (ids.some((id) => !id) || new Set(ids).size !== ids.length) {
    return graphError(400, 'BadRequest', 'Batch request ids must be present and unique.');
  }
  const statuses = new Map<string, number>();
  const responses: unknown[] = [];
  for (const item of requests) {
    const id = String(item.id);
    const dependsOn = Array.isArray(item.dependsOn) ? item.dependsOn.map(String) : [];
    let result: GraphResult;
    if (dependsOn.some((d) => !statuses.has(d) || statuses.get(d)! >= 400)) {
      result = graphError(424, 'FailedDependency', 'The request failed due to a failed dependent request.');
    } else {
      const url = new URL(String(item.url ?? '').replace(/^\/?/, '/'), 'http://batch.invalid');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(item.headers ?? {})) headers[k.toLowerCase()] = String(v);
      result = await runGraphCall(
        sandbox,
        handlers,
        {
          method: String(item.method ?? 'GET').toUpperCase(),
          path: decodeURIComponent(url.pathname),
          query: url.searchParams,
          headers,
          body: item.body ?? null,
          baseUrl: outer.baseUrl,
        },
        caller,
      );
    }
    statuses.set(id, result.status);
    responses.push({ id, status: result.status, headers: result.headers ?? {}, body: result.body });
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { responses } };
}

/** Serves a Graph request end to end (authentication first, then `$batch` or one call). */
export async function serveGraph(
  sandbox: SandboxContext,
  handlers: GraphHandler[],
  call: GraphCall,
  authorization: string | undefined,
): Promise<SandboxResponse> {
  const entra = sandbox.world.entra;
  let result: GraphResult;
  if (!entra) {
    result = graphError(503, 'ServiceNotAvailable', 'The sandbox has no Entra tenant.');
  } else {
    const caller = authenticate(entra, authorization);
    if (isGraphResult(caller)) result = caller;
    else if (call.path === '/$batch' && call.method === 'POST')
      result = await runBatch(sandbox, handlers, call, caller);
    else result = await runGraphCall(sandbox, handlers, call, caller);
  }
  const clientRequestId = String(call.headers['client-request-id'] ?? randomUUID());
  const headers: Record<string, string> = {
    'request-id': randomUUID(),
    'client-request-id': clientRequestId,
    ...(result.headers ?? {}),
  };
  if (result.body === undefined) return { status: result.status, headers, body: '' };
  if (typeof result.body === 'string') return { status: result.status, headers, body: result.body };
  headers['content-type'] ??= 'application/json';
  return { status: result.status, headers, body: JSON.stringify(result.body) };
}
