/** CloudTrail evidence collection keeps to LookupEvents' limit of 2 requests per second per account. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AccountReads } from '../../src/aws/account-reads.js';
import { collectActivity } from '../../src/aws/cloudtrail-activity.js';
import type { UserRecord } from '../../src/core/model.js';
import { buildUser, NOW } from '../core/cases/user-builder.js';

describe('collectActivity', () => {
  it('starts at most 2 LookupEvents calls in any second (CloudTrail API reference: 2 per second per account)', async () => {
    const starts: number[] = [];
    const client = {
      send: async () => {
        starts.push(Date.now());
        return { Events: [] };
      },
    } as unknown as CloudTrailClient;
    // Keys in use and no console: the users whose owner only CloudTrail can tell.
    const users: UserRecord[] = Array.from({ length: 5 }, (_, i) =>
      buildUser({ name: `robot-${i}`, keys: [{ ageDays: 100, usedDaysAgo: 1 }] }),
    );
    await collectActivity(client, users, { activityDays: 30, now: () => NOW }, new AccountReads('111111111111'));
    assert.equal(starts.length, 5);
    for (let i = 2; i < starts.length; i++)
      assert.ok(
        starts[i] - starts[i - 2] >= 1000,
        `call ${i} starts ${starts[i] - starts[i - 2]} ms after call ${i - 2}`,
      );
    assert.ok(
      users.every((u) => u.activity),
      'every user got its evidence',
    );
  });
});
