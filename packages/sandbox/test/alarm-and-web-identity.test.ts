import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../src/index.js';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { eventsCall, snsCall } from './helpers/signed.js';
import { skipWithoutTool } from './helpers/tools.js';

type Delivery = { topicArn: string; message: string; sentBy: string };

// biome-ignore lint/suspicious/noExplicitAny: the answers are untyped JSON the tests read field by field
async function control(sandbox: RunningSandbox, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sandbox.info.endpoint}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function deliveries(sandbox: RunningSandbox, topicArn: string): Promise<Delivery[]> {
  const out = await control(sandbox, `/_sandbox/sns/deliveries?topicArn=${encodeURIComponent(topicArn)}`);
  return out.json.deliveries as Delivery[];
}

const EVENTS_MAY_PUBLISH = (topicArn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topicArn },
    ],
  });

describe('sandbox EventBridge, SNS and web identity federation', () => {
  let sandbox: RunningSandbox;
  let account: string;
  let iam: IAMClient;
  before(async () => {
    sandbox = await startTestSandbox();
    account = sandbox.info.managementAccountId;
    iam = new IAMClient(sdkConfig(sandbox));
  });
  after(() => sandbox.close());

  it('delivers a rule-matched console sign-in of one user to the SNS topic, and nothing else (AWS CLI)', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    await iam.send(new CreateUserCommand({ UserName: 'glass' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'glass', Password: 'Correct-Horse-9!' }));
    const topic = await awsCli(sandbox, ['sns', 'create-topic', '--name', 'glass-alarm']);
    assert.equal(topic.status, 0, topic.stderr);
    const topicArn = topic.json<{ TopicArn: string }>().TopicArn;
    assert.match(topicArn, new RegExp(`^arn:aws:sns:us-east-1:${account}:glass-alarm$`));
    const pattern = JSON.stringify({
      source: ['aws.signin'],
      'detail-type': ['AWS Console Sign In via CloudTrail'],
      detail: { userIdentity: { userName: ['glass'] } },
    });
    const rule = await awsCli(sandbox, ['events', 'put-rule', '--name', 'glass-use', '--event-pattern', pattern]);
    assert.equal(rule.status, 0, rule.stderr);
    const put = await eventsCall(sandbox, 'PutTargets', { Rule: 'glass-use', Targets: [{ Id: 'sns', Arn: topicArn }] });
    assert.equal(put.FailedEntryCount, 0);

    // Without a topic policy that lets EventBridge publish, nothing is delivered.
    await control(sandbox, '/_sandbox/console-signin', {
      accountId: account,
      userName: 'glass',
      password: 'Correct-Horse-9!',
    });
    assert.equal((await deliveries(sandbox, topicArn)).length, 0);
    const policy = await snsCall(sandbox, {
      Action: 'SetTopicAttributes',
      TopicArn: topicArn,
      AttributeName: 'Policy',
      AttributeValue: EVENTS_MAY_PUBLISH(topicArn),
    });
    assert.equal(policy.status, 200, policy.text);

    const wrong = await control(sandbox, '/_sandbox/console-signin', {
      accountId: account,
      userName: 'glass',
      password: 'nope',
    });
    assert.equal(wrong.status, 401);
    const ok = await control(sandbox, '/_sandbox/console-signin', {
      accountId: account,
      userName: 'glass',
      password: 'Correct-Horse-9!',
    });
    assert.equal(ok.status, 200);
    const got = await deliveries(sandbox, topicArn);
    assert.equal(got.length, 2, 'the failed and the successful sign-in');
    const event = JSON.parse(got[1].message);
    assert.equal(event['detail-type'], 'AWS Console Sign In via CloudTrail');
    assert.equal(event.detail.eventName, 'ConsoleLogin');
    assert.equal(event.detail.responseElements.ConsoleLogin, 'Success');
    assert.equal(got[1].sentBy, `arn:aws:events:us-east-1:${account}:rule/glass-use`);

    const described = await eventsCall(sandbox, 'DescribeRule', { Name: 'glass-use' });
    assert.equal(described.State, 'ENABLED');
    const targets = await eventsCall(sandbox, 'ListTargetsByRule', { Rule: 'glass-use' });
    assert.deepEqual(targets.Targets, [{ Id: 'sns', Arn: topicArn }]);
    const refused = await eventsCall(sandbox, 'DeleteRule', { Name: 'glass-use' });
    assert.equal(refused.__type, 'ValidationException');
    assert.match(refused.message, /can't be deleted since it has targets/);
    await eventsCall(sandbox, 'RemoveTargets', { Rule: 'glass-use', Ids: ['sns'] });
    assert.equal((await eventsCall(sandbox, 'DeleteRule', { Name: 'glass-use' })).status, 200);
    const gone = await eventsCall(sandbox, 'DescribeRule', { Name: 'glass-use' });
    assert.equal(gone.__type, 'ResourceNotFoundException');
    assert.equal((await snsCall(sandbox, { Action: 'DeleteTopic', TopicArn: topicArn })).status, 200);
    const missing = await snsCall(sandbox, { Action: 'GetTopicAttributes', TopicArn: topicArn });
    assert.match(missing.text, /<Code>NotFound<\/Code>/);
  });

  it('alarms on API calls only when the rule takes read-only management events too', async () => {
    const created = await snsCall(sandbox, { Action: 'CreateTopic', Name: 'api-alarm' });
    const topicArn = /<TopicArn>([^<]+)<\/TopicArn>/.exec(created.text)![1];
    await snsCall(sandbox, {
      Action: 'SetTopicAttributes',
      TopicArn: topicArn,
      AttributeName: 'Policy',
      AttributeValue: EVENTS_MAY_PUBLISH(topicArn),
    });
    const pattern = JSON.stringify({
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventName: [{ prefix: 'ListRoles' }] },
    });
    await eventsCall(sandbox, 'PutRule', { Name: 'reads', EventPattern: pattern });
    await eventsCall(sandbox, 'PutTargets', { Rule: 'reads', Targets: [{ Id: '1', Arn: topicArn }] });
    await iam.send(new ListRolesCommand({}));
    assert.equal((await deliveries(sandbox, topicArn)).length, 0);
    const state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
    await eventsCall(sandbox, 'PutRule', { Name: 'reads', EventPattern: pattern, State: state });
    await iam.send(new ListRolesCommand({}));
    const got = await deliveries(sandbox, topicArn);
    assert.equal(got.length, 1);
    assert.equal(JSON.parse(got[0].message).source, 'aws.iam');
    const bad = await eventsCall(sandbox, 'PutRule', { Name: 'bad', EventPattern: '{"source":[]}' });
    assert.equal(bad.__type, 'InvalidEventPatternException');
  });

  it('lets a GitHub Actions run assume a role through the OIDC provider only from the trusted branch', async () => {
    const sts = new STSClient(sdkConfig(sandbox));
    const provider = await awsCliOrSdkProvider(sandbox);
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'deploy',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: provider },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
                StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' },
              },
            },
          ],
        }),
      }),
    );
    const roleArn = `arn:aws:iam::${account}:role/deploy`;
    const mint = async (body: object) =>
      (await control(sandbox, '/_sandbox/oidc/github/token', body)).json.token as string;
    const anonymous = new STSClient({
      ...sdkConfig(sandbox),
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    });
    const out = await anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'gha',
        WebIdentityToken: await mint({ repository: 'acme/app' }),
      }),
    );
    assert.equal(out.SubjectFromWebIdentityToken, 'repo:acme/app:ref:refs/heads/main');
    assert.equal(out.Audience, 'sts.amazonaws.com');
    const who = await new STSClient({
      ...sdkConfig(sandbox),
      credentials: {
        accessKeyId: out.Credentials!.AccessKeyId!,
        secretAccessKey: out.Credentials!.SecretAccessKey!,
        sessionToken: out.Credentials!.SessionToken!,
      },
    }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${account}:assumed-role/deploy/gha`);

    const branch = anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'gha',
        WebIdentityToken: await mint({ repository: 'acme/app', ref: 'refs/heads/dev' }),
      }),
    );
    await assert.rejects(branch, { name: 'AccessDenied' });
    const audience = anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'gha',
        WebIdentityToken: await mint({ repository: 'acme/app', audience: 'other' }),
      }),
    );
    await assert.rejects(audience, { name: 'InvalidIdentityTokenException' });
    assert.ok(sts);
  });

  it('hands a workload the credentials of a role that trusts its service, and refuses other services', async () => {
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'worker',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const roleArn = `arn:aws:iam::${account}:role/worker`;
    const ok = await control(sandbox, '/_sandbox/workload-credentials', { roleArn, service: 'ec2.amazonaws.com' });
    assert.equal(ok.status, 200);
    const who = await new STSClient({
      ...sdkConfig(sandbox),
      credentials: {
        accessKeyId: ok.json.AccessKeyId,
        secretAccessKey: ok.json.SecretAccessKey,
        sessionToken: ok.json.Token,
      },
    }).send(new GetCallerIdentityCommand({}));
    assert.match(who.Arn ?? '', /:assumed-role\/worker\//);
    const refused = await control(sandbox, '/_sandbox/workload-credentials', {
      roleArn,
      service: 'lambda.amazonaws.com',
    });
    assert.equal(refused.status, 403);
  });
});

/** Creates GitHub's OIDC provider with the IAM SDK and returns its ARN. */
async function awsCliOrSdkProvider(sandbox: RunningSandbox): Promise<string> {
  const { CreateOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand } = await import('@aws-sdk/client-iam');
  const iam = new IAMClient(sdkConfig(sandbox));
  const out = await iam.send(
    new CreateOpenIDConnectProviderCommand({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    }),
  );
  const read = await iam.send(
    new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: out.OpenIDConnectProviderArn }),
  );
  assert.equal(read.Url, 'token.actions.githubusercontent.com');
  return out.OpenIDConnectProviderArn!;
}
