import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedMutex, Semaphore, sleep, TokenBucket } from '../../src/reconcile/limits.js';

describe('apply limits', () => {
  it('a semaphore never has more holders than its limit', async () => {
    const s = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        s.run(async () => {
          peak = Math.max(peak, ++active);
          await sleep(5);
          active--;
        }),
      ),
    );
    assert.equal(peak, 3);
  });

  it('a keyed mutex serializes one key and lets others run', async () => {
    const m = new KeyedMutex();
    const order: string[] = [];
    const job = (key: string, name: string, ms: number) =>
      m.run(key, async () => {
        order.push(`${name}+`);
        await sleep(ms);
        order.push(`${name}-`);
      });
    await Promise.all([job('a', 'a1', 20), job('a', 'a2', 1), job('b', 'b1', 1)]);
    assert.ok(order.indexOf('a1-') < order.indexOf('a2+'), order.join(' '));
    assert.ok(order.indexOf('b1+') < order.indexOf('a1-'), order.join(' '));
  });

  it('a token bucket paces requests to its rate after the burst', async () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    const clock = setInterval(() => {
      now += 10;
    }, 1);
    await Promise.all(Array.from({ length: 6 }, () => bucket.take()));
    clearInterval(clock);
    // 2 from the burst, 4 more at 10 per second: at least 400 ms of the bucket's clock.
    assert.ok(now >= 380, `virtual time ${now}`);
  });
});
