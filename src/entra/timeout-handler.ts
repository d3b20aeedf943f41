/**
 * Graph middleware that gives every request an end: a request with no answer within the timeout is aborted and
 * sent again, a bounded number of times, then fails with a Timeout error (so `sync`, `--watch` and `apply` never hang
 * on an endpoint that does not answer). The Graph client's RetryHandler keeps handling 429/503/504 and Retry-After.
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** The default timeout of one Graph request and how many times a timed-out request is sent again. */
export const GRAPH_TIMEOUT = { ms: 30_000, retries: 2 } as const;

/** Aborts requests after `ms` and retries them up to `retries` times. */
export class TimeoutHandler implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly ms: number = GRAPH_TIMEOUT.ms,
    private readonly retries: number = GRAPH_TIMEOUT.retries,
  ) {}

  async execute(context: Context): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const signal = AbortSignal.timeout(this.ms);
      context.options = { ...(context.options ?? {}), signal };
      try {
        await this.next!.execute(context);
        return;
      } catch (error) {
        if (!signal.aborted) throw error;
        if (attempt >= this.retries) {
          const e = new Error(`Microsoft Graph did not answer within ${this.ms / 1000} s (${attempt + 1} attempts)`);
          e.name = 'Timeout';
          throw e;
        }
      }
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
