import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { parse } from 'yaml';
import { awsCli, hasAwsCli, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { openStateDb } from '../../src/store/db.js';
import { loadTimeline } from '../../src/store/track-repo.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

type TrackJson = {
  source: string;
  eventsRead: number;
  sourceCalls: number;
  people: { upn: string; status: string; since: string | null; lastLegacy: { eventId: string } | null }[];
  iamUsers: { accountId: string; userName: string; upn: string | null; status: string }[];
  skipped: { files: { file: string; problem: string }[]; records: { where: string; problem: string; count: number }[] };
};

describe('iam2sso track against the sandbox organization trail', { skip: !hasAwsCli && 'needs the AWS CLI v2' }, () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let plan: string;
  let bucket: string;
  const runs = new Map<string, TrackJson>();
  let started = 0;
  let builtAt = 0;
  let mapped = new Set<string>();

  async function track(args: string[], state: string): Promise<TrackJson> {
    const r = await runIam2sso(
      ['track', '--json', '--no-progress', '--since', '30d', '--plan', plan, '--state', state, ...args],
      env,
    );
    assert.equal(r.status, 0, r.stderr);
    return r.json<TrackJson>();
  }

  before(async () => {
    // Three accounts of eight users: every status occurs, and LookupEvents at 2 requests/s stays quick.
    sandbox = await startTestSandbox({ scenario: 'small', seed: 3, accounts: 3, usersPerAccount: 8 });
    builtAt = sandbox.world.clock.nowMs();
    // AWS's LookupEvents limit, enforced by the sandbox: a client going faster gets ThrottlingException.
    sandbox.world.faults.lookupEventsPerSecond = 2;
    // Events show in LookupEvents as soon as they happen here; late delivery is not what this test is about.
    sandbox.world.cloudTrailDeliveryDelayMs = 0;
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-e2e-track-'));
    env = sandboxEnv(sandbox);
    const people = sandbox.manifest.users.filter((u) => u.upn).map((u) => `${u.accountId},${u.userName},${u.upn}`);
    writeFileSync(join(dir, 'people.csv'), `account,user,upn\n${people.join('\n')}\n`);
    plan = join(dir, 'migration-plan.yaml');
    const state = join(dir, 'audit.db');
    assert.equal((await runIam2sso(['audit', '--state', state, '--no-progress'], env)).status, 0);
    const planned = await runIam2sso(
      ['plan', '--state', state, '--out', plan, '--mapping', join(dir, 'people.csv')],
      env,
    );
    assert.equal(planned.status, 0, planned.stderr);
    const users = (parse(readFileSync(plan, 'utf8')) as { users: { upn: string | null }[] }).users;
    mapped = new Set(users.flatMap((u) => (u.upn ? [u.upn.toLowerCase()] : [])));
    bucket = `aws-cloudtrail-logs-${sandbox.manifest.managementAccountId}-org`;
    // The trail as `aws s3 sync` copies it: the --dir source reads this copy.
    const sync = await awsCli(sandbox, ['s3', 'sync', `s3://${bucket}/`, join(dir, 'logs')]);
    assert.equal(sync.status, 0, sync.stderr);
    const sources: [string, string[]][] = [
      ['lookup-events', []],
      ['dir', ['--dir', join(dir, 'logs')]],
      ['s3', ['--s3', `s3://${bucket}`]],
      ['athena', ['--athena', '--database', 'trail', '--output', 's3://athena-results/', '--s3', `s3://${bucket}`]],
    ];
    started = Date.now();
    // LookupEvents alone first (the 2 requests/s check measures it at the sandbox), then the others together.
    runs.set('lookup-events', await track([], join(dir, 'lookup-events.db')));
    const rest = sources.slice(1);
    const results = await Promise.all(rest.map(([name, args]) => track(args, join(dir, `${name}.db`))));
    for (const [i, [name]] of rest.entries()) runs.set(name, results[i]);
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the intended status of every person and IAM user from all four sources', () => {
    const expected = new Map<string, string>();
    for (const u of sandbox.manifest.users) {
      // People the plan maps to a UPN (not leavers it leaves unmapped), and every IAM user without a person.
      if (!u.track || (u.upn && !mapped.has(u.upn.toLowerCase()))) continue;
      const since = u.track.sinceDaysAgo === undefined ? null : new Date(builtAt - u.track.sinceDaysAgo * 86_400_000);
      const status = since ? `${u.track.status} since ${since.toISOString().slice(0, 10)}` : u.track.status;
      // People by UPN; IAM users that belong to no person (service accounts) by their own status.
      expected.set(u.upn ? u.upn.toLowerCase() : `${u.accountId}/${u.userName}`, status);
    }
    const kinds = new Set([...expected.values()].map((s) => s.split(' ')[0]));
    assert.deepEqual(
      [...kinds].sort(),
      ['dual', 'legacy-only', 'silent', 'sso-only'],
      'the history holds every status',
    );
    for (const [source, run] of runs) {
      const got = new Map<string, string>();
      for (const p of run.people) got.set(p.upn, p.since ? `${p.status} since ${p.since}` : p.status);
      for (const u of run.iamUsers) got.set(`${u.accountId}/${u.userName}`, u.status);
      for (const [subject, status] of expected) assert.equal(got.get(subject), status, `${source}: ${subject}`);
      assert.ok(run.eventsRead > 0, `${source} read events`);
    }
  });

  it('keeps LookupEvents within 2 requests per second in every account', () => {
    for (const account of sandbox.world.accounts.values()) {
      // The sandbox refuses a third call within a second (ThrottlingException, which CloudTrail records too).
      const calls = account.trail.events.filter((e) => e.record.eventName === 'LookupEvents');
      assert.ok(calls.length > 0, `LookupEvents called in ${account.id}`);
      // Timing jitter on a busy machine may still let one through now and then; a client without a limiter
      // would see most of its calls refused.
      const throttled = calls.filter((e) => e.record.errorCode === 'ThrottlingException');
      assert.ok(
        throttled.length * 20 <= calls.length,
        `${account.id}: ${throttled.length} of ${calls.length} calls throttled`,
      );
    }
    assert.ok((runs.get('lookup-events')?.sourceCalls ?? 0) > 0);
  });

  it('reads only new events on the next run, and a key used since then turns its user legacy-only', async () => {
    const state = join(dir, 'lookup-events.db');
    const before = await openStateDb(state);
    const timelineBefore = new Map(loadTimeline(before).map((e) => [`${e.subject}|${e.via}|${e.detail}`, e.events]));
    before.close();
    const silent = sandbox.manifest.users.find(
      (u) =>
        !u.upn &&
        u.track?.status === 'silent' &&
        sandbox.world
          .account(u.accountId)
          .iam.users.get(u.userName)
          ?.accessKeys.some((k) => k.status === 'Active'),
    );
    assert.ok(silent, 'the scenario has an idle service key');
    const key = sandbox.world
      .account(silent.accountId)
      .iam.users.get(silent.userName)!
      .accessKeys.find((k) => k.status === 'Active')!;
    const sts = new STSClient(
      sdkConfig(sandbox, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }),
    );
    await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    const first = runs.get('lookup-events')!;
    const second = await track([], state);
    // Everything before the first run was read then; the second reads at most what happened since.
    let newer = 0;
    for (const a of sandbox.world.accounts.values())
      newer += a.trail.events.filter((e) => e.time.getTime() >= started).length;
    assert.ok(
      second.eventsRead >= 1 && second.eventsRead <= newer,
      `second run read ${second.eventsRead}, ${newer} happened since`,
    );
    assert.ok(first.eventsRead > second.eventsRead, `the first run read the history (${first.eventsRead})`);
    assert.equal(
      second.iamUsers.find((u) => u.userName === silent.userName && u.accountId === silent.accountId)?.status,
      'legacy-only',
    );
    const after = await openStateDb(state);
    const changed = loadTimeline(after).filter((e) => {
      const was = timelineBefore.get(`${e.subject}|${e.via}|${e.detail}`);
      return was !== undefined && was !== e.events && !e.subject.includes('sandbox-operator');
    });
    after.close();
    assert.deepEqual(
      changed.map((e) => e.subject),
      [],
      'no event was counted twice',
    );
  });

  it('names, counts and skips bad files and records, and finishes', async () => {
    const bad = join(dir, 'bad');
    const day = join(bad, 'AWSLogs', 'o-x', '111111111111', 'CloudTrail', 'us-east-1', '2026', '01', '01');
    mkdirSync(day, { recursive: true });
    const good = {
      eventTime: new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      eventID: 'good-1',
      recipientAccountId: '111111111111',
      userIdentity: { type: 'IAMUser', userName: 'someone', accessKeyId: 'AKIAEXAMPLE' },
    };
    const future = { ...good, eventID: 'from-the-future', eventTime: '2099-01-01T00:00:00Z' };
    const martian = { ...good, eventID: 'martian-1', userIdentity: { type: 'Martian' } };
    writeFileSync(join(bad, 'export.json'), JSON.stringify([good, future, martian]));
    writeFileSync(join(bad, 'corrupt.json.gz'), gzipSync(JSON.stringify({ Records: [good] })).subarray(0, 25));
    writeFileSync(join(bad, 'truncated.json'), '{"Records":[{"eventTime":"2026-01-01T00:00:00Z","eve');
    writeFileSync(join(bad, 'notes.json'), 'these are not the logs you are looking for');
    writeFileSync(join(bad, 'other.ndjson'), `${JSON.stringify({ hello: 'world' })}\n`);
    const run = await track(['--dir', bad], join(dir, 'bad.db'));
    const files = run.skipped.files.map((f) => f.file.split('/').pop()).sort();
    assert.deepEqual(files, ['corrupt.json.gz', 'notes.json', 'truncated.json']);
    const records = run.skipped.records.map((r) => `${r.where}: ${r.problem}`).join('\n');
    assert.match(records, /from-the-future.*after the run started/);
    assert.match(records, /martian-1.*"Martian"/);
    assert.match(records, /other\.ndjson.*not CloudTrail events/);
    assert.equal(run.eventsRead, 3);
  });
});
