import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudTrailClient,
  type Event,
  LookupEventsCommand,
  type LookupEventsCommandInput,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { recordApiCall, recordConsoleSignIn } from '../src/aws/trail-recorder.js';
import type { RunningSandbox } from '../src/index.js';
import { buildOrgWorld, type Credentials, type OrgWorld, serveOrgWorld, userCredentials } from './helpers/org-world.js';
import { awsCli, sdkConfig } from './helpers/sandbox.js';
import { skipWithoutTool } from './helpers/tools.js';

const DAY = 24 * 3600 * 1000;

type Record = {
  eventName: string;
  eventType: string;
  eventSource: string;
  userIdentity: { type: string; userName?: string; accessKeyId?: string; accountId?: string };
  errorCode?: string;
  errorMessage?: string;
  responseElements: { ConsoleLogin?: string } | null;
  additionalEventData?: { MFAUsed?: string; LoginTo?: string; MobileVersion?: string };
  sourceIPAddress: string;
  userAgent: string;
  recipientAccountId: string;
};

function trail(sandbox: RunningSandbox, credentials?: Credentials): CloudTrailClient {
  return new CloudTrailClient({ ...sdkConfig(sandbox), ...(credentials ? { credentials } : {}) });
}

function sts(sandbox: RunningSandbox, credentials?: Credentials): STSClient {
  return new STSClient({ ...sdkConfig(sandbox), ...(credentials ? { credentials } : {}) });
}

function parsed(event: Event): Record {
  return JSON.parse(event.CloudTrailEvent ?? '{}') as Record;
}

function by(key: string, value: string, extra: Partial<LookupEventsCommandInput> = {}): LookupEventsCommand {
  return new LookupEventsCommand({
    LookupAttributes: [{ AttributeKey: key as never, AttributeValue: value }],
    ...extra,
  });
}

/** Writes a past API call straight into the account's history, as the scenario generator does. */
function pastCall(org: OrgWorld, action: string, ageMs: number, userName = 'management-user-1'): void {
  recordApiCall(org.world, {
    accountId: org.management.id,
    principal: { kind: 'user', accountId: org.management.id, userName },
    accessKeyId: org.management.iam.users.get(userName)!.accessKeys[0].accessKeyId,
    service: 'iam',
    action,
    region: org.world.region,
    sourceIp: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0',
    requestId: `req-${action}-${ageMs}`,
    requestParameters: null,
    time: new Date(org.world.clock.nowMs() - ageMs),
  });
}

describe('sandbox CloudTrail LookupEvents', () => {
  let sandbox: RunningSandbox;
  let org: OrgWorld;
  let client: CloudTrailClient;
  let user: Credentials;
  before(async () => {
    org = buildOrgWorld({ members: 1, usersPerAccount: 2 });
    // These tests look at what LookupEvents returns; the rate limit and the delivery delay have their own tests
    // (cloudtrail-fidelity.test.ts), so here calls are unpaced and events show at once.
    org.world.faults.lookupEventsPerSecond = 0;
    org.world.cloudTrailDeliveryDelayMs = 0;
    sandbox = await serveOrgWorld(org);
    client = trail(sandbox);
    user = userCredentials(org.world, org.management.id, 'management-user-1');
  });
  after(() => sandbox.close());

  it('finds calls just made by user name, access key id and event name, newest first', async () => {
    for (let i = 0; i < 3; i++) await sts(sandbox, user).send(new GetCallerIdentityCommand({}));
    await sts(sandbox).send(new GetCallerIdentityCommand({}));

    const byUser = await client.send(by('Username', 'management-user-1'));
    assert.equal(byUser.Events?.length, 3);
    for (const e of byUser.Events ?? []) {
      assert.equal(e.EventName, 'GetCallerIdentity');
      assert.equal(e.EventSource, 'sts.amazonaws.com');
      assert.equal(e.ReadOnly, 'true');
      assert.equal(e.AccessKeyId, user.accessKeyId);
      const record = parsed(e);
      assert.equal(record.userIdentity.type, 'IAMUser');
      assert.equal(record.userIdentity.userName, 'management-user-1');
      assert.equal(record.sourceIPAddress, '127.0.0.1');
      assert.match(record.userAgent, /aws-sdk-js/);
    }
    const times = byUser.Events!.map((e) => e.EventTime!.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );

    const byKey = await client.send(by('AccessKeyId', org.operator.accessKeyId));
    assert.ok(byKey.Events!.length >= 2, 'the operator GetCallerIdentity and the LookupEvents calls before');
    assert.ok(byKey.Events!.every((e) => e.Username === 'sandbox-operator'));
    assert.ok(byKey.Events!.some((e) => e.EventName === 'LookupEvents'));

    const byName = await client.send(by('EventName', 'GetCallerIdentity'));
    assert.equal(byName.Events?.length, 4);
    const readOnly = await client.send(by('ReadOnly', 'false'));
    assert.ok(readOnly.Events!.every((e) => e.ReadOnly === 'false'));
  });

  it('accepts at most one lookup attribute', async () => {
    await assert.rejects(
      client.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'Username', AttributeValue: 'management-user-1' },
            { AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' },
          ],
        }),
      ),
      { name: 'InvalidLookupAttributesException' },
    );
    await assert.rejects(client.send(by('ReadOnly', 'maybe')), { name: 'InvalidLookupAttributesException' });
    await assert.rejects(client.send(by('UserAgent', 'x')), { name: 'InvalidLookupAttributesException' });
  });

  it('pages 50 events at a time with MaxResults 1..50 and NextToken', async () => {
    for (let i = 0; i < 120; i++) pastCall(org, 'ListUsers', DAY + i * 1000);
    const first = await client.send(by('EventName', 'ListUsers'));
    assert.equal(first.Events?.length, 50);
    assert.ok(first.NextToken);
    const ids = new Set<string>();
    let last = Number.POSITIVE_INFINITY;
    let pages = 0;
    const input = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'ListUsers' }] };
    for await (const page of paginateLookupEvents({ client }, input)) {
      pages++;
      assert.ok((page.Events?.length ?? 0) <= 50);
      for (const e of page.Events ?? []) {
        assert.ok(e.EventTime!.getTime() <= last, 'newest first across pages');
        last = e.EventTime!.getTime();
        ids.add(e.EventId!);
      }
    }
    assert.equal(ids.size, 120);
    assert.equal(pages, 3);
    assert.equal((await client.send(by('EventName', 'ListUsers', { MaxResults: 1 }))).Events?.length, 1);
    await assert.rejects(client.send(by('EventName', 'ListUsers', { MaxResults: 51 })), {
      name: 'InvalidMaxResultsException',
    });
    await assert.rejects(client.send(by('EventName', 'ListUsers', { MaxResults: 0 })), {
      name: 'InvalidMaxResultsException',
    });
    await assert.rejects(client.send(by('EventName', 'GetUser', { NextToken: first.NextToken })), {
      name: 'InvalidNextTokenException',
    });
  });

  it('honours StartTime and EndTime, and refuses a start after the end', async () => {
    const now = org.world.clock.nowMs();
    const window = await client.send(
      by('EventName', 'ListUsers', { StartTime: new Date(now - DAY - 9_500), EndTime: new Date(now - DAY - 500) }),
    );
    assert.equal(window.Events?.length, 9);
    await assert.rejects(
      client.send(new LookupEventsCommand({ StartTime: new Date(now), EndTime: new Date(now - 1000) })),
      { name: 'InvalidTimeRangeException' },
    );
  });

  it('returns only the last 90 days of virtual time', async () => {
    pastCall(org, 'CreateUser', 89 * DAY);
    pastCall(org, 'CreateUser', 91 * DAY);
    const longAgo = new Date(org.world.clock.nowMs() - 200 * DAY);
    const seen = await client.send(by('EventName', 'CreateUser', { StartTime: longAgo }));
    assert.equal(seen.Events?.length, 1);
    const age = org.world.clock.nowMs() - seen.Events![0].EventTime!.getTime();
    assert.ok(age < 90 * DAY);
    org.world.clock.advance(2 * DAY);
    const later = await client.send(by('EventName', 'CreateUser', { StartTime: longAgo }));
    assert.equal(later.Events?.length, 0);
  });

  it('records console sign-ins with the ConsoleLogin shape', async () => {
    recordConsoleSignIn(org.world, {
      accountId: org.management.id,
      userName: 'management-user-2',
      success: true,
      mfaUsed: false,
      sourceIp: '198.51.100.4',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    });
    recordConsoleSignIn(org.world, {
      accountId: org.management.id,
      userName: 'management-user-2',
      success: false,
      mfaUsed: false,
      sourceIp: '198.51.100.4',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    });
    const { Events } = await client.send(by('EventName', 'ConsoleLogin'));
    assert.equal(Events?.length, 2);
    const [failure, success] = Events!.map(parsed);
    for (const r of [failure, success]) {
      assert.equal(r.eventType, 'AwsConsoleSignIn');
      assert.equal(r.eventSource, 'signin.amazonaws.com');
      assert.equal(r.userIdentity.type, 'IAMUser');
      assert.equal(r.userIdentity.userName, 'management-user-2');
      assert.equal(r.additionalEventData?.MFAUsed, 'No');
      assert.equal(r.additionalEventData?.MobileVersion, 'No');
      assert.match(r.additionalEventData?.LoginTo ?? '', /^https:\/\/console\.aws\.amazon\.com\//);
    }
    assert.deepEqual(success.responseElements, { ConsoleLogin: 'Success' });
    assert.deepEqual(failure.responseElements, { ConsoleLogin: 'Failure' });
    assert.equal(failure.errorMessage, 'Failed authentication');
    assert.equal(Events![0].Username, 'management-user-2');
    assert.ok(org.management.iam.users.get('management-user-2')!.passwordLastUsed);
  });

  it('records calls with a deactivated key as InvalidClientTokenId in the key owner account', async () => {
    const second = userCredentials(org.world, org.management.id, 'management-user-2');
    org.management.iam.users.get('management-user-2')!.accessKeys[0].status = 'Inactive';
    await assert.rejects(sts(sandbox, second).send(new GetCallerIdentityCommand({})), { name: 'InvalidClientTokenId' });
    const { Events } = await client.send(by('AccessKeyId', second.accessKeyId));
    assert.equal(Events?.length, 1);
    const record = parsed(Events![0]);
    assert.equal(record.errorCode, 'InvalidClientTokenId');
    assert.equal(record.eventName, 'GetCallerIdentity');
    assert.equal(record.userIdentity.userName, 'management-user-2');
    assert.equal(record.recipientAccountId, org.management.id);
  });

  it("shows a role session's calls, and the AssumeRole, in the member account", async () => {
    const member = org.members[0].id;
    const roleArn = `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`;
    const out = await sts(sandbox).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'iam2sso-track' }));
    const session = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    await sts(sandbox, session).send(new GetCallerIdentityCommand({}));
    const memberTrail = trail(sandbox, session);
    const own = await memberTrail.send(by('Username', 'iam2sso-track'));
    assert.ok(own.Events?.some((e) => e.EventName === 'GetCallerIdentity' && e.AccessKeyId === session.accessKeyId));
    assert.equal(parsed(own.Events![0]).userIdentity.type, 'AssumedRole');
    const assumed = await memberTrail.send(by('ResourceName', roleArn));
    assert.equal(assumed.Events?.[0].EventName, 'AssumeRole');
    assert.equal(assumed.Events?.[0].Username, 'sandbox-operator');
    assert.ok(assumed.Events?.[0].Resources?.some((r) => r.ResourceType === 'AWS::IAM::Role'));
  });

  it('throttles LookupEvents at the configured rate per account', async () => {
    org.world.faults.lookupEventsPerSecond = 2;
    try {
      const results = await Promise.allSettled(
        [1, 2, 3].map(() => client.send(new LookupEventsCommand({ MaxResults: 1 }))),
      );
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(refused.length, 1);
      assert.equal((refused[0] as PromiseRejectedResult).reason.name, 'ThrottlingException');
    } finally {
      org.world.faults.lookupEventsPerSecond = 0;
    }
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
  });

  it('serves the AWS CLI v2 lookup-events as the field guide runs it', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const start = new Date(org.world.clock.nowMs() - 30 * DAY).toISOString().slice(0, 10);
    const r = await awsCli(sandbox, [
      'cloudtrail',
      'lookup-events',
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=ConsoleLogin',
      '--start-time',
      start,
      '--query',
      'Events[*].[EventTime,Username]',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.json<[unknown, string][]>();
    assert.equal(rows.length, 2);
    assert.ok(rows.every(([, name]) => name === 'management-user-2'));
    const all = await awsCli(sandbox, [
      'cloudtrail',
      'lookup-events',
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=ListUsers',
      '--page-size',
      '50',
    ]);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.json<{ Events: unknown[] }>().Events.length, 120);
  });
});
