import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshnessOf } from '../../src/core/dashboard-freshness.js';

describe('freshness of a result kept for the dashboard', () => {
  it('is current when no audit ran after it and the plan is unchanged', () => {
    assert.deepEqual(freshnessOf('2026-12-06T10:00:00Z', '2026-12-06T09:00:00Z'), {
      computedAt: '2026-12-06T10:00:00Z',
      stale: false,
      why: null,
    });
    assert.equal(freshnessOf('2026-12-06T10:00:00Z', null).stale, false);
  });

  it('is stale once an audit ran after it, or once the plan it was computed for changed', () => {
    assert.match(freshnessOf('2026-12-06T10:00:00Z', '2026-12-06T10:00:01Z').why ?? '', /older than the last audit/);
    assert.match(freshnessOf('2026-12-06T10:00:00Z', null, true).why ?? '', /plan file has changed/);
  });
});
