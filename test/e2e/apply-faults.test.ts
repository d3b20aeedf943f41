import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertExact } from '../apply/exact.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';

describe('iam2sso apply with throttling and errors injected', () => {
  let w: ApplyWorld;
  before(async () => {
    w = await startApplyWorld();
    w.sandbox.world.faults = { ...w.sandbox.world.faults, throttleRate: 0.1, errorRate: 0.05 };
    // Identity Center's own shared rate limit, tighter than the client's pace: the SDK must back off.
    w.sandbox.world.sso!.rateLimitPerSecond = 60;
    w.sandbox.world.entra!.graphThrottle!.failNext = 3;
  });
  after(async () => {
    await w?.close();
  });

  it('retries and still ends exactly as planned', async () => {
    const r = await w.apply(['--json', '--rate', '100']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json<{ failed: unknown[] }>().failed, []);
    w.sandbox.world.faults = { ...w.sandbox.world.faults, throttleRate: 0, errorRate: 0 };
    w.sandbox.world.sso!.rateLimitPerSecond = null;
    await assertExact(w, { cli: false });
    const again = await w.apply(['--json']);
    const report = again.json<{ created: string[]; updated: string[]; deleted: string[] }>();
    assert.deepEqual([report.created, report.updated, report.deleted], [[], [], []]);
  });
});
