import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { RunningSandbox } from '../src/index.js';
import { totp } from './helpers/aws-assert.js';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { skipWithoutTool } from './helpers/tools.js';

const COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** The report's date convention: seconds, +00:00. */
function reportDate(d: Date | undefined): string {
  return d ? `${d.toISOString().slice(0, 19)}+00:00` : 'N/A';
}

/** What the users whose keys the test uses may do (the sandbox authorizes every call). */
const IAM_READ_ONLY = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sandbox IAM credential report', () => {
  let sandbox: RunningSandbox;
  let iam: IAMClient;
  before(async () => {
    sandbox = await startTestSandbox();
    iam = new IAMClient(sdkConfig(sandbox));
  });
  after(() => sandbox.close());

  it('refuses GetCredentialReport before any report exists with ReportNotPresent (410)', async () => {
    await assert.rejects(
      iam.send(new GetCredentialReportCommand({})),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'CredentialReportNotPresentException');
        assert.equal(e.$metadata?.httpStatusCode, 410);
        return true;
      },
    );
  });

  it('generates a report whose 22 columns match what the API says about every user and the root', async () => {
    // An estate made through the API: a console user with MFA and a used key, a pipeline user with a used
    // key and an inactive unused one, a console user who never signed in.
    await iam.send(new CreateUserCommand({ UserName: 'cr-alice' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'cr-alice', Password: 'Corr3ct-Horse!' }));
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'cr-alice' }));
    const seed = Buffer.from(device.VirtualMFADevice?.Base32StringSeed ?? []).toString('ascii');
    assert.match(seed, /^[A-Z2-7]{32,}$/);
    const now = sandbox.world.clock.nowMs();
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: 'cr-alice',
        SerialNumber: device.VirtualMFADevice?.SerialNumber,
        AuthenticationCode1: totp(seed, now - 30_000),
        AuthenticationCode2: totp(seed, now),
      }),
    );
    const aliceKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'cr-alice' }))).AccessKey!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'cr-alice', PolicyArn: IAM_READ_ONLY }));
    await new IAMClient(
      sdkConfig(sandbox, { accessKeyId: aliceKey.AccessKeyId!, secretAccessKey: aliceKey.SecretAccessKey! }),
    ).send(new ListUsersCommand({ MaxItems: 1 }));

    await iam.send(new CreateUserCommand({ UserName: 'cr-pipeline', Path: '/ci/' }));
    const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'cr-pipeline' }))).AccessKey!;
    const k2 = (await iam.send(new CreateAccessKeyCommand({ UserName: 'cr-pipeline' }))).AccessKey!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'cr-pipeline', PolicyArn: IAM_READ_ONLY }));
    await new IAMClient(
      sdkConfig(sandbox, { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! }),
    ).send(new ListUsersCommand({ MaxItems: 1 }));
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'cr-pipeline', AccessKeyId: k2.AccessKeyId, Status: 'Inactive' }),
    );

    await iam.send(new CreateUserCommand({ UserName: 'cr-carol' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'cr-carol', Password: 'An0ther-Pass!' }));

    const first = await iam.send(new GenerateCredentialReportCommand({}));
    assert.equal(first.State, 'STARTED');
    await assert.rejects(iam.send(new GetCredentialReportCommand({})), (e: Error) => {
      assert.equal(e.name, 'CredentialReportNotReadyException');
      return true;
    });
    let state: string | undefined = first.State;
    for (let i = 0; i < 40 && state !== 'COMPLETE'; i++) {
      await sleep(100);
      state = (await iam.send(new GenerateCredentialReportCommand({}))).State;
    }
    assert.equal(state, 'COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    assert.equal(report.ReportFormat, 'text/csv');
    assert.ok(report.GeneratedTime instanceof Date);
    const lines = Buffer.from(report.Content ?? [])
      .toString('utf8')
      .split('\n');
    assert.equal(lines[0], COLUMNS);
    const header = lines[0].split(',');
    assert.equal(header.length, 22);
    const rows = new Map(
      lines.slice(1).map((line) => {
        const cells = line.split(',');
        assert.equal(cells.length, 22, line);
        return [cells[0], Object.fromEntries(header.map((h, i) => [h, cells[i]]))];
      }),
    );

    const account = sandbox.info.managementAccountId;
    const root = rows.get('<root_account>');
    assert.ok(root, 'the root row is present');
    assert.equal(lines[1].split(',')[0], '<root_account>', 'the root row comes first');
    const rootState = sandbox.world.account(account).iam.root;
    assert.equal(root.arn, `arn:aws:iam::${account}:root`);
    assert.equal(root.user_creation_time, reportDate(rootState.createDate));
    assert.equal(root.password_enabled, 'not_supported');
    assert.equal(root.password_last_changed, 'not_supported');
    assert.equal(root.password_next_rotation, 'not_supported');
    assert.equal(
      root.password_last_used,
      rootState.passwordLastUsed ? reportDate(rootState.passwordLastUsed) : 'no_information',
    );
    assert.equal(root.mfa_active, String(rootState.mfaActive));

    // Every user row, column by column, against what the IAM API reports for that user.
    const users = (await iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users ?? [];
    assert.equal(rows.size, users.length + 1);
    for (const user of users) {
      const row = rows.get(user.UserName!);
      assert.ok(row, `row for ${user.UserName}`);
      assert.equal(row.arn, user.Arn);
      assert.equal(row.user_creation_time, reportDate(user.CreateDate));
      const profile = await iam.send(new GetLoginProfileCommand({ UserName: user.UserName })).catch(() => undefined);
      assert.equal(row.password_enabled, String(Boolean(profile)), `${user.UserName} password_enabled`);
      const expectedLastUsed = user.PasswordLastUsed
        ? reportDate(user.PasswordLastUsed)
        : profile
          ? 'no_information'
          : 'N/A';
      assert.equal(row.password_last_used, expectedLastUsed, `${user.UserName} password_last_used`);
      if (!profile) assert.equal(row.password_last_changed, 'N/A');
      else assert.match(row.password_last_changed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      const mfa = (await iam.send(new ListMFADevicesCommand({ UserName: user.UserName }))).MFADevices ?? [];
      assert.equal(row.mfa_active, String(mfa.length > 0), `${user.UserName} mfa_active`);
      const keys = (await iam.send(new ListAccessKeysCommand({ UserName: user.UserName }))).AccessKeyMetadata ?? [];
      for (const n of [1, 2]) {
        const key = keys[n - 1];
        const p = `access_key_${n}_`;
        if (!key) {
          assert.deepEqual(
            [
              row[`${p}active`],
              row[`${p}last_rotated`],
              row[`${p}last_used_date`],
              row[`${p}last_used_region`],
              row[`${p}last_used_service`],
            ],
            ['false', 'N/A', 'N/A', 'N/A', 'N/A'],
          );
          continue;
        }
        const used = (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId })))
          .AccessKeyLastUsed;
        assert.equal(row[`${p}active`], String(key.Status === 'Active'), `${user.UserName} ${p}active`);
        assert.equal(row[`${p}last_rotated`], reportDate(key.CreateDate));
        if (key.AccessKeyId === sandbox.info.credentials.accessKeyId) {
          // The key signing these checks keeps being used after the report's snapshot.
          assert.ok(row[`${p}last_used_date`] <= reportDate(used?.LastUsedDate));
        } else {
          assert.equal(
            row[`${p}last_used_date`],
            reportDate(used?.LastUsedDate),
            `${user.UserName} ${p}last_used_date`,
          );
        }
        assert.equal(row[`${p}last_used_region`], used?.Region ?? 'N/A');
        assert.equal(row[`${p}last_used_service`], used?.ServiceName ?? 'N/A');
      }
    }

    // And the rows of the users made above say what was done to them.
    const alice = rows.get('cr-alice')!;
    assert.equal(alice.password_enabled, 'true');
    assert.equal(alice.password_last_used, 'no_information');
    assert.equal(alice.mfa_active, 'true');
    assert.equal(alice.access_key_1_active, 'true');
    assert.equal(alice.access_key_1_last_used_service, 'iam');
    assert.equal(alice.access_key_1_last_used_region, sandbox.info.region);
    assert.equal(alice.access_key_2_active, 'false');
    const pipeline = rows.get('cr-pipeline')!;
    assert.equal(pipeline.arn, `arn:aws:iam::${account}:user/ci/cr-pipeline`);
    assert.equal(pipeline.password_enabled, 'false');
    assert.equal(pipeline.password_last_used, 'N/A');
    assert.equal(pipeline.mfa_active, 'false');
    assert.equal(pipeline.access_key_1_active, 'true');
    assert.notEqual(pipeline.access_key_1_last_used_date, 'N/A');
    assert.equal(pipeline.access_key_2_active, 'false');
    assert.equal(pipeline.access_key_2_last_used_date, 'N/A');
    assert.equal(pipeline.access_key_2_last_used_service, 'N/A');
    assert.equal(rows.get('cr-carol')!.password_last_used, 'no_information');
  });

  it('reuses a fresh report, and expires it after four hours', async () => {
    const again = await iam.send(new GenerateCredentialReportCommand({}));
    assert.equal(again.State, 'COMPLETE');
    sandbox.world.clock.advance(4 * 60 * 60 * 1000 + 1000);
    await assert.rejects(
      iam.send(new GetCredentialReportCommand({})),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'CredentialReportExpiredException');
        assert.equal(e.$metadata?.httpStatusCode, 410);
        return true;
      },
    );
    assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'STARTED');
  });

  it('serves the report to the AWS CLI v2 as base64 CSV', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const started = await awsCli(sandbox, ['iam', 'generate-credential-report']);
    assert.equal(started.status, 0, started.stderr);
    assert.match(started.json<{ State: string }>().State, /^(STARTED|INPROGRESS|COMPLETE)$/);
    sandbox.world.clock.advance(5_000);
    const done = await awsCli(sandbox, ['iam', 'generate-credential-report']);
    assert.equal(done.json<{ State: string }>().State, 'COMPLETE');
    const r = await awsCli(sandbox, ['iam', 'get-credential-report']);
    assert.equal(r.status, 0, r.stderr);
    const out = r.json<{ Content: string; ReportFormat: string; GeneratedTime: string }>();
    assert.equal(out.ReportFormat, 'text/csv');
    const csv = Buffer.from(out.Content, 'base64').toString('utf8').split('\n');
    assert.equal(csv[0], COLUMNS);
    assert.ok(csv[1].startsWith('<root_account>,'));
    assert.ok(csv.some((l) => l.startsWith('cr-alice,')));
  });
});
