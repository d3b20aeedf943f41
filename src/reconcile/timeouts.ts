/**
 * Every call has an end: `withTimeout` bounds one operation (a change with its asynchronous request), so an endpoint
 * that never answers fails the change instead of hanging the run (or `sync --watch`). The transports bound each
 * request too (AWS SDK requestTimeout, the Graph client's timeout handler).
 */

/** The error a timed-out operation fails with. */
export class CallTimeout extends Error {
  override name = 'Timeout';
}

/** Runs `fn`, failing with CallTimeout after `ms` milliseconds (the call itself is left to its transport timeout). */
export async function withTimeout<T>(fn: () => Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeout(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([fn(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
