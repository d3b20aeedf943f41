/**
 * The retry rule every AWS client of the product follows: a throttled call is retried with exponential backoff
 * up to the configured attempts (AWS asks callers to back off, and the call will go through); a server error or
 * a dropped connection is retried twice (three attempts in all: a failing endpoint is reported, not hammered);
 * a client error (AccessDenied, validation, not found) is never retried. Set AWS_RETRY_MODE to use the SDK's own
 * modes instead.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/** Attempts for a server error or a connection failure (first try included). */
export const SERVER_ERROR_ATTEMPTS = 3;

type Token = RetryToken & { count: number; delay: number; serverErrors: number };

function token(count: number, delay: number, serverErrors: number): Token {
  return { count, delay, serverErrors, getRetryCount: () => count, getRetryDelay: () => delay };
}

/**
 * A retry strategy with the rule above; `throttleAttempts` bounds throttled calls, `baseMs` scales the backoff.
 * The two budgets are separate: throttling before a server error does not use up the server error's retries.
 */
export function boundedRetryStrategy(throttleAttempts: number, baseMs = 100): RetryStrategyV2 {
  return {
    acquireInitialRetryToken: async () => token(0, 0, 0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const attempts = previous.getRetryCount() + 1;
      const server = info.errorType === 'TRANSIENT' || info.errorType === 'SERVER_ERROR';
      const serverErrors = ((previous as Token).serverErrors ?? 0) + (server ? 1 : 0);
      const allowed =
        info.errorType === 'THROTTLING'
          ? attempts < throttleAttempts
          : server
            ? serverErrors < SERVER_ERROR_ATTEMPTS && attempts < Math.max(throttleAttempts, SERVER_ERROR_ATTEMPTS)
            : false;
      if (!allowed) throw new Error('no retry');
      const hinted = info.retryAfterHint ? info.retryAfterHint.getTime() - Date.now() : 0;
      const backoff = Math.min(20_000, baseMs * 2 ** (attempts - 1) * (1 + Math.random()));
      return token(attempts, Math.max(backoff, Math.min(hinted, 20_000)), serverErrors);
    },
    recordSuccess: () => {},
  };
}
