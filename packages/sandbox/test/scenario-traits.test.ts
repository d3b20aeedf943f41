import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../src/index.js';
import { buildScenario } from '../src/scenarios/index.js';
import type { FindingKind } from '../src/scenarios/types.js';
import type { TrailRecord } from '../src/world/cloudtrail-state.js';
import type { IamUser } from '../src/world/iam-state.js';
import { sdkConfig, startTestSandbox } from './helpers/sandbox.js';

const DAY = 86_400_000;
const NOW = new Date('2026-03-02T10:00:00Z');
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** Days between `d` and NOW. */
const age = (d: Date) => (NOW.getTime() - d.getTime()) / DAY;

/** Each finding kind, judged here from the state with the rules of issue 3 (written apart from the generator). */
const RULES: Record<Exclude<FindingKind, 'root-access-keys' | 'root-without-mfa'>, (u: IamUser) => boolean> = {
  'console-without-mfa': (u) => !!u.loginProfile && u.mfaDevices.length === 0,
  'admin-attached-directly': (u) =>
    u.attachedPolicies.includes(ADMIN) ||
    [...u.inlinePolicies.values()].some((d) => /"Action":\s*"\*"/.test(d) && /"Resource":\s*"\*"/.test(d)),
  'key-older-than-90-days': (u) => u.accessKeys.some((k) => k.status === 'Active' && age(k.createDate) > 90),
  'key-unused-90-days': (u) =>
    u.accessKeys.some((k) => k.status === 'Active' && k.lastUsed && age(k.lastUsed.date) > 90),
  'key-never-used': (u) => u.accessKeys.some((k) => k.status === 'Active' && !k.lastUsed),
  'two-active-keys': (u) => u.accessKeys.filter((k) => k.status === 'Active').length === 2,
  'password-unused-90-days': (u) => !!u.loginProfile && age(u.passwordLastUsed ?? u.loginProfile.createDate) > 90,
  'console-and-keys': (u) => !!u.loginProfile && u.accessKeys.some((k) => k.status === 'Active'),
};

describe('scenario traits and history agree with the state', () => {
  for (const [scenario, seed] of [
    ['small', 1],
    ['small', 77],
    ['medium', 4],
  ] as const) {
    it(`gives exactly the users that match each finding rule that trait (${scenario}, seed ${seed})`, () => {
      const { world, manifest } = buildScenario({ scenario, seed, now: NOW });
      for (const entry of manifest.users) {
        const user = world.account(entry.accountId).iam.users.get(entry.userName)!;
        assert.ok(user.accessKeys.length <= 2, `${entry.userName}: IAM allows two keys per user`);
        for (const [kind, rule] of Object.entries(RULES))
          assert.equal(
            entry.traits.includes(kind as FindingKind),
            rule(user),
            `${entry.accountId}/${entry.userName} ${kind}`,
          );
      }
      for (const account of manifest.accounts) {
        const root = world.account(account.id).iam.root;
        assert.equal(account.rootTraits.includes('root-without-mfa'), !root.mfaActive);
        assert.equal(account.rootTraits.includes('root-access-keys'), root.accessKeys.length > 0);
      }
    });
  }

  it('keeps every generated age well away from the 90-day threshold', () => {
    const { world } = buildScenario({ scenario: 'medium', seed: 11, now: NOW });
    for (const account of world.accounts.values()) {
      for (const user of account.iam.users.values()) {
        const ages = user.accessKeys.flatMap((k) => [k.createDate, ...(k.lastUsed ? [k.lastUsed.date] : [])]);
        if (user.passwordLastUsed) ages.push(user.passwordLastUsed);
        if (user.loginProfile && !user.passwordLastUsed) ages.push(user.loginProfile.createDate);
        for (const d of ages) assert.ok(Math.abs(age(d) - 90) > 20, `${user.userName}: ${age(d)} days`);
      }
    }
  });

  it('writes CloudTrail history that ends exactly at each key and password last use', () => {
    const { world } = buildScenario({ scenario: 'small', seed: 1, now: NOW });
    let checkedKeys = 0;
    for (const account of world.accounts.values()) {
      const events = account.trail.events.map((e) => e.record as TrailRecord);
      for (let i = 1; i < account.trail.events.length; i++)
        assert.ok(account.trail.events[i - 1].time <= account.trail.events[i].time, 'events are ordered');
      for (const user of account.iam.users.values()) {
        for (const key of user.accessKeys) {
          const mine = events.filter((e) => e.userIdentity.accessKeyId === key.accessKeyId);
          if (!key.lastUsed || age(key.lastUsed.date) > 90) {
            assert.ok(!key.lastUsed || mine.length === 0, `${user.userName}: no events for a key unused for months`);
            if (!key.lastUsed) assert.equal(mine.length, 0, `${user.userName}: a never-used key has no events`);
            continue;
          }
          const newest = mine.at(-1)!;
          assert.ok(newest, `${user.userName}: events for a key used ${age(key.lastUsed.date)} days ago`);
          assert.equal(newest.eventTime, key.lastUsed.date.toISOString().replace('.000Z', 'Z'));
          assert.equal(newest.eventSource, `${key.lastUsed.serviceName}.amazonaws.com`);
          assert.equal(newest.awsRegion, key.lastUsed.region);
          assert.equal(newest.userIdentity.userName, user.userName);
          assert.ok(mine.every((e) => new Date(e.eventTime) >= key.createDate));
          checkedKeys++;
        }
        const signIns = events.filter(
          (e) => e.eventName === 'ConsoleLogin' && e.userIdentity.userName === user.userName,
        );
        const successes = signIns.filter(
          (e) => (e.responseElements as { ConsoleLogin: string }).ConsoleLogin === 'Success',
        );
        if (user.passwordLastUsed && age(user.passwordLastUsed) < 90) {
          assert.equal(successes.at(-1)?.eventTime, user.passwordLastUsed.toISOString().replace('.000Z', 'Z'));
          const mfaUsed = successes.map((e) => (e.additionalEventData as { MFAUsed: string }).MFAUsed);
          assert.ok(mfaUsed.every((m) => m === (user.mfaDevices.length ? 'Yes' : 'No')));
          assert.ok(
            successes.every((e) => e.eventType === 'AwsConsoleSignIn' && e.eventSource === 'signin.amazonaws.com'),
          );
        } else {
          assert.equal(successes.length, 0, `${user.userName} has not signed in for months`);
        }
      }
    }
    assert.ok(checkedKeys > 20);
  });

  it('uses CLI user agents for people and SDK or CI user agents for services', () => {
    const { world, manifest } = buildScenario({ scenario: 'small', seed: 1, now: NOW });
    const category = new Map(manifest.users.map((u) => [`${u.accountId}/${u.userName}`, u.category]));
    for (const account of world.accounts.values())
      for (const e of account.trail.events) {
        const r = e.record;
        if (r.eventType !== 'AwsApiCall') continue;
        const c = category.get(`${account.id}/${r.userIdentity.userName}`);
        if (c === 'human-programmatic' || c === 'human-console')
          assert.match(r.userAgent, /^(aws-cli\/2|APN\/1.0 HashiCorp|Boto3\/.* os\/(macos|windows))/, r.userAgent);
        if (c === 'service')
          assert.doesNotMatch(r.userAgent, /Darwin|Windows|os\/macos|os\/windows/, `${r.userIdentity.userName}`);
      }
  });
});

describe('scenario served to real clients', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 1 });
  });
  after(() => sandbox.close());

  async function credentialsFor(accountId: string) {
    if (accountId === sandbox.info.managementAccountId) return sandbox.info.credentials;
    const sts = new STSClient(sdkConfig(sandbox));
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'scenario-test',
      }),
    );
    const c = assumed.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  }

  it("agrees with every account's credential report on console, MFA and key traits", async () => {
    for (const account of sandbox.manifest.accounts) {
      const iam = new IAMClient({ ...sdkConfig(sandbox), credentials: await credentialsFor(account.id) });
      let state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
      for (let i = 0; i < 50 && state !== 'COMPLETE'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
      }
      const content = Buffer.from((await iam.send(new GetCredentialReportCommand({}))).Content ?? []).toString();
      const [header, ...lines] = content.trim().split('\n');
      const columns = header.split(',');
      const rows = new Map(
        lines.map((l) => {
          const cells = l.split(',');
          return [cells[0], Object.fromEntries(columns.map((c, i) => [c, cells[i]]))] as const;
        }),
      );
      const users = sandbox.manifest.users.filter((u) => u.accountId === account.id);
      assert.equal(rows.size, users.length + 1, 'one row per user plus the root');
      for (const u of users) {
        const row = rows.get(u.userName)!;
        const console = row.password_enabled === 'true';
        const active = [row.access_key_1_active, row.access_key_2_active].filter((a) => a === 'true').length;
        assert.equal(u.traits.includes('console-without-mfa'), console && row.mfa_active === 'false', u.userName);
        assert.equal(u.traits.includes('two-active-keys'), active === 2, u.userName);
        assert.equal(u.traits.includes('console-and-keys'), console && active > 0, u.userName);
      }
      const root = rows.get('<root_account>')!;
      assert.equal(account.rootTraits.includes('root-without-mfa'), root.mfa_active === 'false');
      assert.equal(
        account.rootTraits.includes('root-access-keys'),
        root.access_key_1_active === 'true' || root.access_key_2_active === 'true',
      );
    }
  });

  it('answers LookupEvents with the key use GetAccessKeyLastUsed reports', async () => {
    const management = sandbox.info.managementAccountId;
    const iamState = sandbox.world.account(management).iam;
    const service = sandbox.manifest.users.find(
      (u) => u.accountId === management && u.category === 'service' && !u.traits.includes('key-never-used'),
    )!;
    const key = iamState.users.get(service.userName)!.accessKeys.find((k) => k.status === 'Active')!;
    const iam = new IAMClient(sdkConfig(sandbox));
    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId }));
    const trail = new CloudTrailClient(sdkConfig(sandbox));
    const found = await trail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: key.accessKeyId }] }),
    );
    const newest = found.Events?.[0];
    assert.ok(newest, 'the key has history');
    assert.equal(newest.Username, service.userName);
    assert.equal(newest.EventTime?.getTime(), lastUsed.AccessKeyLastUsed?.LastUsedDate?.getTime());
    assert.equal(newest.EventSource, `${lastUsed.AccessKeyLastUsed?.ServiceName}.amazonaws.com`);
  });
});
