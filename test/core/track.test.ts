import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { classifyActivity } from '../../src/core/track-classify.js';
import { ActivityAggregator, activityFromRecord, recordProblem } from '../../src/core/track-records.js';
import { computeTrack, statusLabel, type TrackedIamUser } from '../../src/core/track-status.js';
import { buildTimeline, mergeTimelines } from '../../src/core/track-timeline.js';
import type { ActivityRow } from '../../src/core/track-types.js';

type Case = { name: string; record: Record<string, unknown>; expect: Record<string, unknown> };
const cases = parse(readFileSync(new URL('./cases/track-records.yaml', import.meta.url), 'utf8')) as Case[];

function matches(got: unknown, want: unknown, path: string): void {
  if (want && typeof want === 'object') {
    for (const [k, v] of Object.entries(want)) matches((got as Record<string, unknown>)?.[k], v, `${path}.${k}`);
    return;
  }
  assert.equal(got, want, path);
}

describe('CloudTrail record classification case table', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(recordProblem(c.record), null);
      matches(classifyActivity(activityFromRecord(c.record)), c.expect, 'usage');
    });
  }

  it('names records that are not CloudTrail events', () => {
    assert.match(recordProblem({ hello: 'world' }) ?? '', /not a CloudTrail record/);
    assert.match(recordProblem([1, 2]) ?? '', /not a JSON object/);
    assert.match(
      recordProblem({ eventTime: 'yesterday', eventSource: 's', eventName: 'n', eventID: 'i' }) ?? '',
      /not a time/,
    );
  });
});

const ACCT = '111122223333';
const MGMT = '444455556666';
const STORE = `arn:aws:identitystore::${MGMT}:identitystore/d-9067642ac7`;
let seq = 0;

function row(over: Partial<ActivityRow>): ActivityRow {
  const id = `ev-${++seq}`;
  const t = over.lastTime ?? '2026-10-01T00:00:00Z';
  return {
    accountId: ACCT,
    region: 'us-east-1',
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    identityType: 'IAMUser',
    arn: null,
    userName: null,
    accessKeyId: null,
    onBehalfOfUserId: null,
    identityStoreArn: null,
    issuerArn: null,
    sessionFromConsole: false,
    mfaUsed: null,
    loginResult: null,
    errorCode: null,
    samlProvider: null,
    roleArn: null,
    targetAccountId: null,
    targetRoleName: null,
    sessionName: null,
    count: 1,
    firstTime: t,
    lastTime: t,
    firstEventId: id,
    lastEventId: id,
    lastSourceIp: '203.0.113.9',
    lastUserAgent: 'aws-cli/2.15.0',
    ...over,
  };
}

const keyUse = (userName: string, key: string, time: string, extra: Partial<ActivityRow> = {}) =>
  row({ userName, accessKeyId: key, firstTime: time, lastTime: time, ...extra });
const samlRole = (upn: string, time: string, ps = 'ReadOnlyAccess') =>
  row({
    identityType: 'SAMLUser',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithSAML',
    userName: upn,
    samlProvider: `arn:aws:iam::${ACCT}:saml-provider/AWSSSO_0a1b2c3d4e5f6789_DO_NOT_DELETE`,
    roleArn: `arn:aws:iam::${ACCT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${ps}_0123456789abcdef`,
    firstTime: time,
    lastTime: time,
  });

const users: TrackedIamUser[] = [
  { accountId: ACCT, userName: 'ann', upn: 'ann@example.com', category: 'human-console' },
  { accountId: ACCT, userName: 'ben', upn: 'ben@example.com', category: 'human-programmatic' },
  { accountId: ACCT, userName: 'cat', upn: 'Cat@Example.com', category: 'human-console' },
  { accountId: ACCT, userName: 'dan', upn: 'dan@example.com', category: 'human-console' },
  { accountId: ACCT, userName: 'etl-bot', upn: null, category: 'service' },
  { accountId: ACCT, userName: 'old-bot', upn: null, category: 'service' },
];
const NOW = new Date('2026-12-01T00:00:00Z');
const WINDOW = { since: new Date('2026-09-02T00:00:00Z'), until: NOW };

describe('track statuses', () => {
  const rows = [
    keyUse('ann', 'AKIAANN', '2026-11-20T10:00:00Z'),
    keyUse('ben', 'AKIABEN', '2026-10-01T10:00:00Z'),
    samlRole('ben@example.com', '2026-11-01T10:00:00Z'),
    keyUse('cat', 'AKIACAT', '2026-06-01T10:00:00Z'),
    samlRole('cat@example.com', '2026-10-15T10:00:00Z', 'AdministratorAccess'),
    samlRole('CAT@example.com', '2026-11-15T10:00:00Z', 'AdministratorAccess'),
    keyUse('etl-bot', 'AKIAETL1', '2026-11-29T01:00:00Z', {
      lastSourceIp: '10.0.0.5',
      lastUserAgent: 'aws-sdk-go-v2/1.30',
    }),
    keyUse('etl-bot', 'AKIAETL1', '2026-11-28T01:00:00Z', { eventSource: 'sqs.amazonaws.com' }),
    keyUse('old-bot', 'AKIAOLD', '2026-05-01T00:00:00Z'),
  ];
  const batch = buildTimeline(rows, NOW);
  const report = computeTrack(batch.entries, users, WINDOW);
  const person = (upn: string) => report.people.find((p) => p.upn === upn)!;
  const iam = (name: string) => report.iamUsers.find((u) => u.userName === name)!;

  it('says legacy-only, dual, sso-only since the first SSO day, and silent, with evidence', () => {
    assert.equal(person('ann@example.com').status, 'legacy-only');
    assert.equal(person('ann@example.com').lastLegacy?.eventId, rows[0].lastEventId);
    assert.equal(person('ben@example.com').status, 'dual');
    const cat = person('cat@example.com');
    assert.equal(statusLabel(cat.status, cat.since), 'sso-only since 2026-10-15');
    assert.equal(cat.firstSso?.eventId, rows[4].firstEventId);
    assert.deepEqual(
      cat.sso.map((s) => [s.accountId, s.permissionSet, s.first.time, s.last.time, s.events]),
      [[ACCT, 'AdministratorAccess', '2026-10-15T10:00:00Z', '2026-11-15T10:00:00Z', 2]],
    );
    assert.equal(person('dan@example.com').status, 'silent');
  });

  it('reports each service key with its last call: service, source IP and user agent', () => {
    const bot = iam('etl-bot');
    assert.equal(bot.status, 'legacy-only');
    assert.deepEqual(
      bot.keys.map((k) => [k.accessKeyId, k.service, k.sourceIp, k.userAgent, k.events]),
      [['AKIAETL1', 's3', '10.0.0.5', 'aws-sdk-go-v2/1.30', 2]],
    );
    assert.equal(iam('old-bot').status, 'silent');
  });

  it('counts post-2025 Identity Center records for the person once their user id is resolved', () => {
    const signIn = row({
      identityType: 'IdentityCenterUser',
      eventSource: 'signin.amazonaws.com',
      eventName: 'CredentialVerification',
      accountId: MGMT,
      onBehalfOfUserId: 'u-dan',
      identityStoreArn: STORE,
      lastTime: '2026-11-02T00:00:00Z',
      firstTime: '2026-11-02T00:00:00Z',
    });
    const t = buildTimeline([signIn], NOW);
    assert.equal(
      computeTrack(t.entries, users, WINDOW).people.find((p) => p.upn === 'dan@example.com')?.status,
      'silent',
    );
    const resolved = computeTrack(t.entries, users, WINDOW, new Map([[`${STORE}#u-dan`, 'Dan@example.com']]));
    assert.equal(resolved.people.find((p) => p.upn === 'dan@example.com')?.status, 'sso-only');
    assert.deepEqual(computeTrack(t.entries, users, WINDOW).unmatchedSso, [`unresolved:${STORE}#u-dan`]);
  });

  it('lists direct SAML federation sign-ins per role and person, apart from SSO: the status stays legacy or silent', () => {
    const direct = (upn: string, time: string, role: string) =>
      row({
        identityType: 'SAMLUser',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRoleWithSAML',
        userName: upn,
        samlProvider: `arn:aws:iam::${ACCT}:saml-provider/EntraID`,
        roleArn: `arn:aws:iam::${ACCT}:role/${role}`,
        firstTime: time,
        lastTime: time,
      });
    const t = buildTimeline(
      [
        direct('Dan@Example.com', '2026-11-02T00:00:00Z', 'Entra-Admin'),
        direct('dan@example.com', '2026-11-09T00:00:00Z', 'Entra-Admin'),
        direct('zoe@example.com', '2026-11-03T00:00:00Z', 'Entra-ReadOnly'),
        direct('zoe@example.com', '2026-01-03T00:00:00Z', 'Entra-Old'),
      ],
      NOW,
    );
    const r = computeTrack(t.entries, users, WINDOW);
    assert.deepEqual(
      r.directSaml.map((d) => [d.accountId, d.role, d.upn, d.first.time, d.last.time, d.events]),
      [
        [ACCT, 'Entra-Admin', 'dan@example.com', '2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z', 2],
        [ACCT, 'Entra-ReadOnly', 'zoe@example.com', '2026-11-03T00:00:00Z', '2026-11-03T00:00:00Z', 1],
      ],
    );
    assert.equal(r.people.find((p) => p.upn === 'dan@example.com')?.status, 'silent');
    assert.deepEqual(r.unmatchedSso, []);
  });

  it('skips and names events from the future and unknown identity types', () => {
    const future = keyUse('ann', 'AKIAANN', '2027-01-01T00:00:00Z');
    const odd = row({ identityType: 'Martian', lastTime: '2026-11-01T00:00:00Z' });
    const t = buildTimeline([future, odd], NOW);
    assert.equal(t.entries.length, 0);
    assert.equal(t.skipped.future, 1);
    assert.equal(t.skipped.unrecognized, 1);
    assert.ok(t.skipped.examples.some((e) => e.includes(future.lastEventId) && e.includes('future')));
    assert.ok(t.skipped.examples.some((e) => e.includes('Martian')));
  });

  it('counts a key used in the last second of the window (CloudTrail dates events to the second)', () => {
    const end = new Date('2026-12-01T00:00:00.900Z');
    const t = buildTimeline([keyUse('old-bot', 'AKIAOLD', '2026-12-01T00:00:00Z')], end);
    assert.equal(t.skipped.future, 0);
    const r = computeTrack(t.entries, users, { since: WINDOW.since, until: end });
    assert.equal(r.iamUsers.find((u) => u.userName === 'old-bot')?.status, 'legacy-only');
  });

  it('gives the same timeline whether records are grouped first or merged afterwards', () => {
    const agg = new ActivityAggregator();
    for (const r of rows) agg.add(r);
    const grouped = buildTimeline(agg.rows(), NOW).entries;
    const split = mergeTimelines(
      buildTimeline(rows.slice(0, 4), NOW).entries,
      buildTimeline(rows.slice(4), NOW).entries,
    );
    const norm = (es: typeof grouped) => es.map((e) => JSON.stringify(e)).sort();
    assert.deepEqual(norm(grouped), norm(split));
  });
});
