import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { assertExact } from '../apply/exact.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';

/** The AWS error codes the sandbox answers an injected throttle or server error with (and its SSO rate limit). */
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException']);
const SERVER_ERROR = new Set(['InternalServerException', 'ServiceFailure', 'ServiceUnavailable', 'ServiceException']);

type Call = { key: string; eventID: string; errorCode?: string };

/** Every AWS call the sandbox served, as its CloudTrail records them (errors included), in order. */
function servedCalls(sandbox: RunningSandbox): Call[] {
  return [...sandbox.world.accounts.values()].flatMap((a) =>
    a.trail.events.map(({ record: r }) => ({
      key: `${r.recipientAccountId} ${r.eventSource} ${r.eventName} ${JSON.stringify(r.requestParameters)}`,
      eventID: r.eventID,
      errorCode: r.errorCode,
    })),
  );
}

describe('iam2sso apply with throttling and errors injected', () => {
  let w: ApplyWorld;
  before(async () => {
    w = await startApplyWorld();
    w.sandbox.world.faults = { ...w.sandbox.world.faults, throttleRate: 0.1, errorRate: 0.03 };
    // Identity Center's own shared rate limit, tighter than the client's pace: the SDK must back off.
    w.sandbox.world.sso!.rateLimitPerSecond = 60;
    w.sandbox.world.entra!.graphThrottle!.failNext = 3;
    // The random faults above may, by chance, spare every call: one server error is certain on top of them.
    w.sandbox.world.faultRules.add({
      service: 'sso',
      operation: 'CreatePermissionSet',
      error: 'InternalServerException',
      status: 500,
      count: 1,
    });
  });
  after(async () => {
    await w?.close();
  });

  it('retries every throttled or failed call and still ends exactly as planned', async (t) => {
    const earlier = new Set(servedCalls(w.sandbox).map((c) => c.eventID));
    const r = await w.apply(['--json', '--rate', '100']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json<{ failed: unknown[] }>().failed, []);
    w.sandbox.world.faults = { ...w.sandbox.world.faults, throttleRate: 0, errorRate: 0 };
    w.sandbox.world.sso!.rateLimitPerSecond = null;

    // Faults were injected: count them in what the sandbox served during the apply.
    const calls = servedCalls(w.sandbox).filter((c) => !earlier.has(c.eventID));
    const throttled = calls.filter((c) => c.errorCode !== undefined && THROTTLED.has(c.errorCode));
    const failed = calls.filter((c) => c.errorCode !== undefined && SERVER_ERROR.has(c.errorCode));
    t.diagnostic(`${calls.length} AWS calls, ${throttled.length} throttled, ${failed.length} server errors`);
    assert.ok(throttled.length > 0, 'some AWS calls were throttled');
    assert.ok(failed.length > 0, 'some AWS calls failed with a server error');
    assert.equal(w.sandbox.world.entra!.graphThrottle!.failNext, 0, 'the three Graph 429s were all served');
    // And retried: each faulted call was later made again, the same, and answered without a fault (the answer
    // may still be an error, e.g. ValidationError where AllUsers is refused, which the product handles).
    const faulted = (c: Call) =>
      c.errorCode !== undefined && (THROTTLED.has(c.errorCode) || SERVER_ERROR.has(c.errorCode));
    const unretried = [...throttled, ...failed].filter(
      (f) => !calls.some((c, i) => i > calls.indexOf(f) && c.key === f.key && !faulted(c)),
    );
    assert.deepEqual(
      unretried.map((c) => `${c.errorCode}: ${c.key}`),
      [],
      'every faulted call was retried',
    );

    await assertExact(w, { cli: false });
    const again = await w.apply(['--json']);
    const report = again.json<{ created: string[]; updated: string[]; deleted: string[] }>();
    assert.deepEqual([report.created, report.updated, report.deleted], [[], [], []]);
  });
});
