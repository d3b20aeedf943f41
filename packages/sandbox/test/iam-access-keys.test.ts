import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_DELIVERY_DELAY_MS } from '../src/aws/cloudtrail/lookup-events.js';
import type { RunningSandbox } from '../src/index.js';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { requireTool, skipWithoutTool } from './helpers/tools.js';

type AwsErr = Error & { $metadata?: { httpStatusCode?: number } };

describe('sandbox IAM access keys and passwords', () => {
  let sandbox: RunningSandbox;
  let iam: IAMClient;
  let robotKey: { accessKeyId: string; secretAccessKey: string };
  before(async () => {
    sandbox = await startTestSandbox();
    iam = new IAMClient(sdkConfig(sandbox));
    await iam.send(new CreateUserCommand({ UserName: 'k-robot' }));
    // What AWS's "manage your own credentials" example grants: the user's own keys and user record.
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'k-robot',
        PolicyName: 'own-credentials',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['iam:GetUser', 'iam:*AccessKey*'],
              // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
              Resource: 'arn:aws:iam::*:user/${aws:username}',
            },
          ],
        }),
      }),
    );
  });
  after(() => sandbox.close());

  it('refuses a third key with LimitExceeded (409)', async () => {
    await iam.send(new CreateAccessKeyCommand({ UserName: 'k-robot' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'k-robot' }));
    await assert.rejects(iam.send(new CreateAccessKeyCommand({ UserName: 'k-robot' })), (e: AwsErr) => {
      assert.equal(e.name, 'LimitExceededException');
      assert.equal(e.$metadata?.httpStatusCode, 409);
      return true;
    });
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'k-robot' }));
    assert.equal(keys.AccessKeyMetadata?.length, 2);
    for (const k of keys.AccessKeyMetadata ?? [])
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'k-robot', AccessKeyId: k.AccessKeyId }));
  });

  it('reports N/A until a key is used, then the date, service and region of its last use', async () => {
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'k-robot' }))).AccessKey!;
    robotKey = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    assert.match(key.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.equal(key.SecretAccessKey?.length, 40);
    const before = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
    assert.equal(before.UserName, 'k-robot');
    assert.equal(before.AccessKeyLastUsed?.ServiceName, 'N/A');
    assert.equal(before.AccessKeyLastUsed?.Region, 'N/A');
    assert.equal(before.AccessKeyLastUsed?.LastUsedDate, undefined);

    const t0 = sandbox.world.clock.nowMs();
    const sts = new STSClient(
      sdkConfig(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }),
    );
    await sts.send(new GetCallerIdentityCommand({}));
    const afterSts = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
    assert.equal(afterSts.AccessKeyLastUsed?.ServiceName, 'sts');
    assert.equal(afterSts.AccessKeyLastUsed?.Region, sandbox.info.region);
    assert.ok((afterSts.AccessKeyLastUsed?.LastUsedDate?.getTime() ?? 0) >= t0 - 1000);

    const asRobot = new IAMClient(
      sdkConfig(sandbox, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }),
    );
    const me = await asRobot.send(new GetUserCommand({}));
    assert.equal(me.User?.UserName, 'k-robot');
    const afterIam = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
    assert.equal(afterIam.AccessKeyLastUsed?.ServiceName, 'iam');
  });

  it('refuses a deactivated key with InvalidClientTokenId, and accepts it again once reactivated', async (t) => {
    const key = (await iam.send(new ListAccessKeysCommand({ UserName: 'k-robot' }))).AccessKeyMetadata![0];
    assert.equal(key.AccessKeyId, robotKey.accessKeyId);
    const creds = robotKey;
    const sts = new STSClient(sdkConfig(sandbox, creds));
    await sts.send(new GetCallerIdentityCommand({}));
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'k-robot', AccessKeyId: key.AccessKeyId, Status: 'Inactive' }),
    );
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'k-robot' }));
    assert.equal(listed.AccessKeyMetadata?.[0].Status, 'Inactive');
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: AwsErr) => {
      assert.equal(e.name, 'InvalidClientTokenId');
      assert.equal(e.$metadata?.httpStatusCode, 403);
      return true;
    });
    await assert.rejects(
      new IAMClient(sdkConfig(sandbox, creds)).send(new ListAccessKeysCommand({})),
      (e: Error) => e.name === 'InvalidClientTokenId',
    );
    if (requireTool(t, 'aws', 'aws iam get-user refused with the deactivated key')) {
      const r = await awsCli(sandbox, ['iam', 'get-user'], creds);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /InvalidClientTokenId/);
    }
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'k-robot', AccessKeyId: key.AccessKeyId, Status: 'Active' }));
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn?.endsWith(':user/k-robot'), true);

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'k-robot', AccessKeyId: key.AccessKeyId }));
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: Error) => e.name === 'InvalidClientTokenId');
    await assert.rejects(
      iam.send(new DeleteAccessKeyCommand({ UserName: 'k-robot', AccessKeyId: key.AccessKeyId })),
      (e: AwsErr) => e.name === 'NoSuchEntityException' && e.$metadata?.httpStatusCode === 404,
    );
  });

  it('lets a user manage its own keys without UserName, through the AWS CLI v2', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'k-robot' }))).AccessKey!;
    const creds = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const r = await awsCli(sandbox, ['iam', 'list-access-keys'], creds);
    assert.equal(r.status, 0, r.stderr);
    const listed = r.json<{ AccessKeyMetadata: { UserName: string; AccessKeyId: string; Status: string }[] }>();
    assert.deepEqual(
      listed.AccessKeyMetadata.map((k) => [k.UserName, k.AccessKeyId, k.Status]),
      [['k-robot', key.AccessKeyId, 'Active']],
    );
  });

  it('keeps console passwords write-only and enforces the default password policy', async () => {
    await assert.rejects(
      iam.send(new CreateLoginProfileCommand({ UserName: 'k-robot', Password: 'short' })),
      (e: Error) => e.name === 'PasswordPolicyViolationException',
    );
    const created = await iam.send(
      new CreateLoginProfileCommand({ UserName: 'k-robot', Password: 'Str0ng-Enough!', PasswordResetRequired: true }),
    );
    assert.equal(created.LoginProfile?.UserName, 'k-robot');
    assert.equal(created.LoginProfile?.PasswordResetRequired, true);
    assert.equal(JSON.stringify(created).includes('Str0ng-Enough!'), false);
    await assert.rejects(
      iam.send(new CreateLoginProfileCommand({ UserName: 'k-robot', Password: 'Str0ng-Enough!' })),
      (e: AwsErr) => e.name === 'EntityAlreadyExistsException' && e.$metadata?.httpStatusCode === 409,
    );
    await iam.send(new UpdateLoginProfileCommand({ UserName: 'k-robot', PasswordResetRequired: false }));
    const got = await iam.send(new GetLoginProfileCommand({ UserName: 'k-robot' }));
    assert.equal(got.LoginProfile?.PasswordResetRequired, false);
    assert.equal(JSON.stringify(got).includes('Str0ng-Enough!'), false);
  });

  it("names the user and key it acted on in each call's CloudTrail event", async () => {
    sandbox.world.clock.advance(DEFAULT_DELIVERY_DELAY_MS); // events show once CloudTrail has delivered them
    const trail = new CloudTrailClient(sdkConfig(sandbox));
    const events = await trail.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'k-robot' }] }),
    );
    const names = new Set((events.Events ?? []).map((e) => e.EventName));
    for (const action of ['CreateUser', 'CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey', 'CreateLoginProfile'])
      assert.ok(names.has(action), `${action} is found by the user name`);
    const update = events.Events?.find((e) => e.EventName === 'UpdateAccessKey');
    assert.ok(
      update?.Resources?.some((r) => r.ResourceType === 'AWS::IAM::AccessKey' && /^AKIA/.test(r.ResourceName ?? '')),
    );
  });
});
