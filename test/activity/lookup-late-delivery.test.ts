/**
 * CloudTrail shows an event minutes after the call and not always in order: an incremental LookupEvents run reads
 * the late-delivery window again, so an event delivered after the previous run (dated before its cursor) is read
 * once, and the events that run already read are not counted twice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { LATE_DELIVERY_MS, lookupsFor, readLookups } from '../../src/activity/lookup-events.js';
import { ActivityAggregator } from '../../src/core/track-records.js';
import type { TrackCursor } from '../../src/store/track-repo.js';

const ACCOUNT = '111122223333';

function keyUse(id: string, time: string) {
  return {
    EventId: id,
    EventTime: new Date(time),
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLE',
        arn: `arn:aws:iam::${ACCOUNT}:user/ci-bot`,
        accountId: ACCOUNT,
        accessKeyId: 'AKIAEXAMPLEKEY000001',
        userName: 'ci-bot',
      },
      eventTime: time,
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.10',
      userAgent: 'aws-cli/2.9.19',
      eventID: id,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
    }),
  };
}

/** A LookupEvents that answers, newest first, the delivered events within the asked window. */
function trail(delivered: ReturnType<typeof keyUse>[]) {
  return {
    send: async (command: LookupEventsCommand) => {
      const { StartTime, EndTime } = command.input;
      const events = delivered
        .filter((e) => e.EventTime >= StartTime! && e.EventTime <= EndTime!)
        .sort((a, b) => b.EventTime.getTime() - a.EventTime.getTime());
      return { Events: events };
    },
  } as unknown as CloudTrailClient;
}

describe('incremental LookupEvents and late delivery', () => {
  it('reads an event delivered after the last run once, and nothing twice', async () => {
    const lookups = lookupsFor(['ci-bot']).filter((l) => l.scope === 'Username=ci-bot');
    const options = (cursors: TrackCursor[], until: string) => ({
      accountId: ACCOUNT,
      region: 'us-east-1',
      since: new Date('2026-11-01T00:00:00Z'),
      until: new Date(until),
      cursors: new Map(cursors.map((c) => [`${c.accountId}|${c.region}|${c.scope}`, c])),
    });
    const a = keyUse('a', '2026-12-01T10:00:00Z');
    const b = keyUse('b', '2026-12-01T10:05:00Z');
    const first = await readLookups(
      trail([a, b]),
      lookups,
      new ActivityAggregator(),
      options([], '2026-12-01T10:06:00Z'),
    );
    assert.equal(first.events, 2);
    // Delivered late: dated between the first run's events, shown only after that run.
    const late = keyUse('late', '2026-12-01T10:03:00Z');
    const into = new ActivityAggregator();
    const second = await readLookups(
      trail([a, b, late]),
      lookups,
      into,
      options(first.cursors, '2026-12-01T10:20:00Z'),
    );
    assert.equal(second.events, 1, 'only the late event is new');
    assert.equal(into.rows()[0].count, 1);
    // The cursor keeps the window's ids, not more: an event older than the window is dropped from it.
    const old = Date.parse(second.cursors[0].position) - LATE_DELIVERY_MS - 1;
    assert.ok(second.cursors[0].eventIds.every((e) => Date.parse(e.split(' ')[0]) > old));
    assert.deepEqual(second.cursors[0].eventIds.map((e) => e.split(' ')[1]).sort(), ['a', 'b', 'late']);
  });
});
