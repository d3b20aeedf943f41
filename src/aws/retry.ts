/**
 * The retry rule every AWS client of the product follows: a throttled call is retried with exponential backoff
 * up to the configured attempts (AWS asks callers to back off, and the call will go through); a server error or
 * a dropped connection is retried twice (three attempts in all: a failing endpoint is reported, not hammered);
 * a client error (AccessDenied, validation, not found) is never retried, except once when the SDK has just corrected
 * its clock from the answer's `Date` (the request is signed again on the cloud's time). The SDK flags every error
 * answer "clock skew corrected" while the local clock is more than four minutes off (it samples the offset again
 * from a `Date` given to the second), so without that limit each NoSuchEntity would be retried as transient, with
 * backoff, up to the attempts. Set AWS_RETRY_MODE to use the SDK's own modes instead.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/** Attempts for a server error or a connection failure (first try included). */
export const SERVER_ERROR_ATTEMPTS = 3;

type Token = RetryToken & { count: number; delay: number; serverErrors: number; skewRetried?: boolean };

function token(count: number, delay: number, serverErrors: number, skewRetried = false): Token {
  return { count, delay, serverErrors, skewRetried, getRetryCount: () => count, getRetryDelay: () => delay };
}

/** The error of `info` is a client error answered while the SDK corrected its clock (see the module comment). */
function skewedClientError(info: RetryErrorInfo): boolean {
  const metadata = (info as { error?: { $metadata?: { clockSkewCorrected?: boolean; httpStatusCode?: number } } }).error
    ?.$metadata;
  const status = metadata?.httpStatusCode ?? 0;
  return metadata?.clockSkewCorrected === true && status >= 400 && status < 500;
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
      const last = previous as Token;
      if (info.errorType !== 'THROTTLING' && skewedClientError(info)) {
        if (last.skewRetried) throw new Error('no retry');
        return token(attempts, 0, last.serverErrors ?? 0, true);
      }
      const server = info.errorType === 'TRANSIENT' || info.errorType === 'SERVER_ERROR';
      const serverErrors = (last.serverErrors ?? 0) + (server ? 1 : 0);
      const allowed =
        info.errorType === 'THROTTLING'
          ? attempts < throttleAttempts
          : server
            ? serverErrors < SERVER_ERROR_ATTEMPTS && attempts < Math.max(throttleAttempts, SERVER_ERROR_ATTEMPTS)
            : false;
      if (!allowed) throw new Error('no retry');
      const hinted = info.retryAfterHint ? info.retryAfterHint.getTime() - Date.now() : 0;
      const backoff = Math.min(20_000, baseMs * 2 ** (attempts - 1) * (1 + Math.random()));
      return token(attempts, Math.max(backoff, Math.min(hinted, 20_000)), serverErrors, last.skewRetried);
    },
    recordSuccess: () => {},
  };
}
