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
