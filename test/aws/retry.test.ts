import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedRetryStrategy, SERVER_ERROR_ATTEMPTS } from '../../src/aws/retry.js';

type Kind = 'THROTTLING' | 'SERVER_ERROR' | 'CLIENT_ERROR';

/** How many attempts a call gets when its failures come in this order (the last one is the answer given up on). */
async function attemptsFor(failures: Kind[], throttleAttempts = 10): Promise<number> {
  const strategy = boundedRetryStrategy(throttleAttempts, 0);
  let t = await strategy.acquireInitialRetryToken('scope');
  for (const [i, errorType] of failures.entries()) {
    try {
      t = await strategy.refreshRetryTokenForRetry(t, { errorType } as never);
    } catch {
      return i + 1;
    }
  }
  return failures.length + 1;
}

describe('the retry rule of every AWS client', () => {
  it('never retries a client error such as AccessDenied', async () => {
    assert.equal(await attemptsFor(['CLIENT_ERROR', 'CLIENT_ERROR']), 1);
  });

  it('gives a failing endpoint three attempts in all', async () => {
    assert.equal(SERVER_ERROR_ATTEMPTS, 3);
    assert.equal(await attemptsFor(['SERVER_ERROR', 'SERVER_ERROR', 'SERVER_ERROR', 'SERVER_ERROR']), 3);
  });

  it('does not let throttling use up the retries of a server error', async () => {
    const order: Kind[] = ['THROTTLING', 'THROTTLING', 'SERVER_ERROR', 'SERVER_ERROR', 'SERVER_ERROR', 'SERVER_ERROR'];
    assert.equal(await attemptsFor(order), 5);
  });

  it('backs off throttling up to the configured attempts', async () => {
    assert.equal(
      await attemptsFor(
        Array.from({ length: 12 }, () => 'THROTTLING' as const),
        6,
      ),
      6,
    );
  });
});

describe('a client error answered while the SDK corrects its clock', () => {
  const skewed = (status: number) =>
    ({
      errorType: 'TRANSIENT',
      error: { $metadata: { clockSkewCorrected: true, httpStatusCode: status } },
    }) as never;

  it('is retried once at once (signed again on the corrected clock), then given up on', async () => {
    const strategy = boundedRetryStrategy(10, 0);
    const first = await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken('s'), skewed(400));
    assert.equal(first.getRetryDelay(), 0);
    await assert.rejects(strategy.refreshRetryTokenForRetry(first, skewed(400)));
  });

  it('leaves a server error answered with a corrected clock to the server-error rule', async () => {
    const strategy = boundedRetryStrategy(10, 0);
    let t = await strategy.acquireInitialRetryToken('s');
    t = await strategy.refreshRetryTokenForRetry(t, skewed(500));
    t = await strategy.refreshRetryTokenForRetry(t, skewed(500));
    await assert.rejects(strategy.refreshRetryTokenForRetry(t, skewed(500)));
  });
});
