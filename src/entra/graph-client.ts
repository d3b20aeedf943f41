/**
 * The Microsoft Graph client the adapter uses: `Client.initWithMiddleware` with the token credential, the
 * configured endpoint (custom hosts for national clouds, proxies and the sandbox), the RetryHandler that honours
 * 429 Retry-After, and a small typed surface (get, post, patch, put, delete, paged lists, `$batch`) that tags
 * each call with its operation so a refusal names the permission it lacked.
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  AuthenticationHandler,
  Client,
  type Context,
  HTTPMessageHandler,
  type Middleware,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { failureFromBatchResponse, failureOf, GraphCallError, type GraphFailure } from './graph-errors.js';
import { AgentHttpHandler, agentTrusting } from './https-transport.js';
import type { GraphOperation } from './permissions.js';
import { TimeoutHandler } from './timeout-handler.js';

/** How to reach Graph. */
export type GraphClientOptions = {
  credential: TokenCredential;
  /** e.g. `https://graph.microsoft.com` (no version). */
  graphEndpoint: string;
  /** The token scope, e.g. `https://graph.microsoft.com/.default`. */
  scope: string;
  /** PEM certificates of extra CAs to trust in this process (otherwise NODE_EXTRA_CA_CERTS applies). */
  extraCaPem?: string[];
  /** Retries of throttled (429) and unavailable (503, 504) calls. */
  maxRetries?: number;
  clientId?: string | null;
  sleep?: (ms: number) => Promise<void>;
  /** How long one request may go unanswered before it is sent again (default 30 s; then it fails). */
  timeoutMs?: number;
};

/** One request of a `$batch`. */
export type BatchRequest = { id: string; method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; body?: unknown };
/** One response of a `$batch`: the body, or the failure. */
export type BatchResult = { id: string; status: number; body: unknown; failure: GraphFailure | null };

/** Requests made and throttled calls retried, for the summary line. */
export type GraphStats = { requests: number; retries: number };

/** A page of a Graph collection. */
type Page<T> = { value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

/** Graph accepts at most 20 requests in one JSON batch. */
export const BATCH_LIMIT = 20;

/** The typed Graph surface the adapter modules use. */
export type GraphApi = {
  readonly clientId: string | null;
  /** The Graph endpoint without version, e.g. `https://graph.microsoft.com`. */
  readonly endpoint: string;
  readonly stats: GraphStats;
  get<T>(path: string, op: GraphOperation): Promise<T>;
  post<T>(path: string, op: GraphOperation, body: unknown): Promise<T>;
  patch(path: string, op: GraphOperation, body: unknown): Promise<void>;
  put(path: string, op: GraphOperation, body: unknown): Promise<void>;
  delete(path: string, op: GraphOperation): Promise<void>;
  /** Every item of a collection, following `@odata.nextLink`; also the final `@odata.deltaLink` if any. */
  pages<T>(
    path: string,
    op: GraphOperation,
    onPage?: (count: number) => void,
  ): Promise<{ items: T[]; deltaLink: string | null }>;
  /** Runs requests through `$batch`, 20 at a time, retrying throttled ones after their Retry-After. */
  batch(requests: BatchRequest[], op: GraphOperation): Promise<BatchResult[]>;
};

function middlewareChain(options: GraphClientOptions, stats: GraphStats): Middleware[] {
  const provider = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [options.scope] });
  const retry = new RetryHandlerOptions(1, options.maxRetries ?? 5, () => {
    stats.retries++;
    return true;
  });
  const counter = new CountingHandler(stats);
  const transport = options.extraCaPem?.length
    ? new AgentHttpHandler(agentTrusting(options.extraCaPem))
    : new HTTPMessageHandler();
  return [
    new AuthenticationHandler(provider),
    new RetryHandler(retry),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    counter,
    new TimeoutHandler(options.timeoutMs),
    transport,
  ];
}

/** Counts the requests that go out (retries included). */
class CountingHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly stats: GraphStats) {}
  async execute(context: Context): Promise<void> {
    this.stats.requests++;
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

async function tagged<T>(op: GraphOperation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = failureOf(error);
    if (failure) throw new GraphCallError(failure, op);
    throw error;
  }
}

/** Builds the Graph client and its typed surface. */
export function createGraphApi(options: GraphClientOptions): GraphApi {
  const stats: GraphStats = { requests: 0, retries: 0 };
  const endpoint = new URL(options.graphEndpoint);
  const baseUrl = endpoint.origin + endpoint.pathname.replace(/\/$/, '');
  const client = Client.initWithMiddleware({
    middleware: middlewareChain(options, stats),
    baseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([endpoint.hostname]),
  });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const api: GraphApi = {
    clientId: options.clientId ?? null,
    endpoint: baseUrl,
    stats,
    get: (path, op) => tagged(op, () => client.api(path).get()),
    post: (path, op, body) => tagged(op, () => client.api(path).post(body)),
    patch: (path, op, body) => tagged(op, () => client.api(path).patch(body)),
    put: (path, op, body) => tagged(op, () => client.api(path).put(body)),
    delete: (path, op) => tagged(op, () => client.api(path).delete()),
    async pages<T>(path: string, op: GraphOperation, onPage?: (count: number) => void) {
      const items: T[] = [];
      let url: string | undefined = path;
      let deltaLink: string | null = null;
      while (url) {
        const page: Page<T> = await tagged(op, () => client.api(url!).get());
        items.push(...(page.value ?? []));
        onPage?.(items.length);
        url = page['@odata.nextLink'];
        deltaLink = page['@odata.deltaLink'] ?? deltaLink;
      }
      return { items, deltaLink };
    },
    async batch(requests, op) {
      const results = new Map<string, BatchResult>();
      for (let i = 0; i < requests.length; i += BATCH_LIMIT) {
        await runBatchChunk(requests.slice(i, i + BATCH_LIMIT), op, results);
      }
      return requests.map((r) => results.get(r.id)!);
    },
  };

  async function runBatchChunk(chunk: BatchRequest[], op: GraphOperation, results: Map<string, BatchResult>) {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const reply: { responses: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[] } =
        await tagged(op, () => client.api('/$batch').post({ requests: pending }));
      let wait = 0;
      const throttled: BatchRequest[] = [];
      for (const response of reply.responses) {
        const failure = response.status >= 400 ? failureFromBatchResponse(response) : null;
        if (failure?.status === 429 && attempt < (options.maxRetries ?? 5)) {
          throttled.push(pending.find((r) => r.id === response.id)!);
          wait = Math.max(wait, failure.retryAfterSeconds ?? 1);
          continue;
        }
        results.set(response.id, { id: response.id, status: response.status, body: response.body ?? null, failure });
      }
      if (throttled.length) {
        stats.retries += throttled.length;
        await sleep(wait * 1000);
      }
      pending = throttled;
    }
  }
  return api;
}
