/**
 * The contract between the Microsoft Graph router and the modules that serve parts of Graph
 * (directory objects, applications, synchronization). Each module exports a list of GraphHandlers.
 */
import type { SandboxContext } from '../sandbox-context.js';

/**
 * What a validated access token says about the caller. `userId` is set for a delegated call (a person signed in
 * to an app, such as the My Access portal the sandbox's control knobs stand in for); app-only tokens have none.
 */
export type GraphCaller = { appId: string; tenantId: string; roles: string[]; userId?: string };

export type GraphRequest = {
  method: string;
  /** Path after `/v1.0` (or `/beta`), e.g. `/users/abc/memberOf`. */
  path: string;
  query: URLSearchParams;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are untyped JSON checked by each handler
  body: any;
  headers: Record<string, string | string[] | undefined>;
  caller: GraphCaller;
  sandbox: SandboxContext;
  /** Base URL for links in responses, e.g. `http://127.0.0.1:4566/v1.0`. */
  baseUrl: string;
};

export type GraphResult = { status: number; body?: unknown; headers?: Record<string, string> };

export type GraphHandler = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Matched against GraphRequest.path; capture groups are passed to handle. */
  pattern: RegExp;
  /** Graph application permissions any one of which allows the call (checked by the router). */
  permissions: string[];
  handle(request: GraphRequest, match: RegExpExecArray): GraphResult | Promise<GraphResult>;
};

/** Graph's error response shape. */
export function graphError(status: number, code: string, message: string): GraphResult {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, '');
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: {
      error: {
        code,
        message,
        innerError: { date: now, 'request-id': crypto.randomUUID(), 'client-request-id': crypto.randomUUID() },
      },
    },
  };
}
