import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import type { RunningSandbox } from '../src/index.js';
import { rejectsWith } from './helpers/aws-assert.js';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { skipWithoutTool } from './helpers/tools.js';

/** A policy document allowing `actions`, pretty-printed as people write them. */
function doc(actions: string[], resource = '*'): string {
  return JSON.stringify(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] },
    null,
    2,
  );
}

/** A document of about `n` non-white-space characters. */
function docOfSize(n: number): string {
  const actions: string[] = [];
  let text = doc(actions);
  for (let i = 0; text.replace(/\s/g, '').length < n; i++) {
    actions.push(`s3:GetObjectVersion${i}`);
    text = doc(actions);
  }
  return text;
}

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('sandbox IAM policies', () => {
  let sandbox: RunningSandbox;
  let iam: IAMClient;
  let account: string;
  before(async () => {
    sandbox = await startTestSandbox();
    iam = new IAMClient(sdkConfig(sandbox));
    account = sandbox.info.managementAccountId;
  });
  after(() => sandbox.close());

  it('serves AWS managed policies with their real paths and URL-encoded documents', async () => {
    const arn = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess';
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
    assert.equal(policy.PolicyName, 'ViewOnlyAccess');
    assert.equal(policy.Path, '/job-function/');
    assert.match(policy.PolicyId ?? '', /^ANPA/);
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId }));
    assert.equal(version.PolicyVersion?.IsDefaultVersion, true);
    assert.match(version.PolicyVersion?.Document ?? '', /^%7B/);
    const parsed = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
    assert.ok(Array.isArray(parsed.Statement) && parsed.Statement.length > 0);
    await rejectsWith(
      iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicyAnywhere' })),
      'NoSuchEntityException',
      404,
    );

    const first = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    assert.equal(first.Policies?.length, 100);
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', Marker: first.Marker }));
    assert.notEqual(second.Policies?.[0].Arn, first.Policies?.[0].Arn);
    const jobs = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/job-function/' }));
    assert.ok(jobs.Policies?.some((p) => p.Arn === arn));
    assert.ok(jobs.Policies?.every((p) => p.Path === '/job-function/'));
  });

  it('keeps at most five versions of a customer policy and guards the default one', async () => {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: 'p-s3', PolicyDocument: doc(['s3:GetObject']) }),
    );
    const arn = created.Policy!.Arn!;
    assert.equal(arn, `arn:aws:iam::${account}:policy/p-s3`);
    assert.equal(created.Policy?.DefaultVersionId, 'v1');
    await rejectsWith(
      iam.send(new CreatePolicyCommand({ PolicyName: 'p-s3', PolicyDocument: doc(['s3:GetObject']) })),
      'EntityAlreadyExistsException',
      409,
    );
    for (const n of [2, 3, 4, 5])
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc([`s3:Get${n}`]), SetAsDefault: n === 3 }),
      );
    await rejectsWith(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(['s3:Get6']) })),
      'LimitExceededException',
      409,
    );
    const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
    assert.deepEqual(
      versions.map((v) => [v.VersionId, v.IsDefaultVersion]),
      [
        ['v5', false],
        ['v4', false],
        ['v3', true],
        ['v2', false],
        ['v1', false],
      ],
    );
    await rejectsWith(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })),
      'DeleteConflictException',
      409,
    );
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    const v6 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(['s3:Get6']) }));
    assert.equal(v6.PolicyVersion?.VersionId, 'v6', 'a deleted version id is not reused');
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
    const got = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
    assert.equal(decodeURIComponent(got.PolicyVersion!.Document!), doc(['s3:Get6']));

    await iam.send(new CreateUserCommand({ UserName: 'pol-user' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'pol-user', PolicyArn: arn }));
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount, 1);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    assert.deepEqual(
      entities.PolicyUsers?.map((u) => u.UserName),
      ['pol-user'],
    );
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }));
    assert.ok(local.Policies?.some((p) => p.Arn === arn));
    await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflictException', 409);
    await iam.send(new DetachUserPolicyCommand({ UserName: 'pol-user', PolicyArn: arn }));
    await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflictException', 409);
    for (const v of ['v1', 'v2', 'v3', 'v4'])
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await rejectsWith(iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntityException', 404);
  });

  it('validates documents and counts policy size without white space, per identity kind', async () => {
    await rejectsWith(
      iam.send(new CreatePolicyCommand({ PolicyName: 'p-bad', PolicyDocument: '{"Statement": [' })),
      'MalformedPolicyDocumentException',
      400,
    );
    await rejectsWith(
      iam.send(
        new CreatePolicyCommand({
          PolicyName: 'p-noresource',
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }),
        }),
      ),
      'MalformedPolicyDocumentException',
      400,
    );
    const big = docOfSize(6200);
    await rejectsWith(
      iam.send(new CreatePolicyCommand({ PolicyName: 'p-big', PolicyDocument: big })),
      'LimitExceededException',
      409,
    );
    const fits = docOfSize(6000);
    const padded = fits.replace(/\n/g, `\n${' '.repeat(20)}`);
    assert.ok(padded.length > 6144 && padded.replace(/\s/g, '').length <= 6144);
    await iam.send(new CreatePolicyCommand({ PolicyName: 'p-padded', PolicyDocument: padded }));

    await iam.send(new CreateUserCommand({ UserName: 'size-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'size-group' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'size-role', AssumeRolePolicyDocument: TRUST }));
    const d3000 = docOfSize(3000);
    await rejectsWith(
      iam.send(new PutUserPolicyCommand({ UserName: 'size-user', PolicyName: 'big', PolicyDocument: d3000 })),
      'LimitExceededException',
      409,
    );
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'size-user', PolicyName: 'a', PolicyDocument: docOfSize(1500) }),
    );
    await rejectsWith(
      iam.send(new PutUserPolicyCommand({ UserName: 'size-user', PolicyName: 'b', PolicyDocument: docOfSize(600) })),
      'LimitExceededException',
      409,
    );
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'size-group', PolicyName: 'big', PolicyDocument: d3000 }));
    await rejectsWith(
      iam.send(new PutGroupPolicyCommand({ GroupName: 'size-group', PolicyName: 'big2', PolicyDocument: d3000 })),
      'LimitExceededException',
      409,
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'size-role', PolicyName: 'big', PolicyDocument: docOfSize(10000) }),
    );
    await rejectsWith(
      iam.send(new PutRolePolicyCommand({ RoleName: 'size-role', PolicyName: 'more', PolicyDocument: docOfSize(500) })),
      'LimitExceededException',
      409,
    );
    const inline = await iam.send(new GetUserPolicyCommand({ UserName: 'size-user', PolicyName: 'a' }));
    assert.equal(decodeURIComponent(inline.PolicyDocument!), docOfSize(1500));
    await rejectsWith(
      iam.send(new GetUserPolicyCommand({ UserName: 'size-user', PolicyName: 'missing' })),
      'NoSuchEntityException',
      404,
    );
  });

  it('pages GetAccountAuthorizationDetails and returns every document as it was put', async () => {
    const put = new Map<string, string>();
    for (const n of [1, 2, 3]) {
      const user = `aad-user-${n}`;
      await iam.send(new CreateUserCommand({ UserName: user }));
      const d = doc([`sqs:SendMessage${n}`], `arn:aws:sqs:us-east-1:${account}:q-${n}`);
      await iam.send(new PutUserPolicyCommand({ UserName: user, PolicyName: 'inline', PolicyDocument: d }));
      put.set(`user/${user}/inline`, d);
    }
    await iam.send(new CreateGroupCommand({ GroupName: 'aad-group' }));
    const gd = doc(['ec2:Describe*']);
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'aad-group', PolicyName: 'describe', PolicyDocument: gd }));
    put.set('group/aad-group/describe', gd);
    await iam.send(
      new AttachGroupPolicyCommand({
        GroupName: 'aad-group',
        PolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      }),
    );
    const local = doc(['dynamodb:GetItem']);
    const made = await iam.send(new CreatePolicyCommand({ PolicyName: 'aad-local', PolicyDocument: local }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'aad-user-1', PolicyArn: made.Policy!.Arn }));

    const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 7, Marker: marker }));
      const count =
        (page.UserDetailList?.length ?? 0) +
        (page.GroupDetailList?.length ?? 0) +
        (page.RoleDetailList?.length ?? 0) +
        (page.Policies?.length ?? 0);
      assert.ok(count <= 7 && count > 0);
      pages.push(page);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    assert.ok(pages.length > 2, 'several pages');
    const users = pages.flatMap((p) => p.UserDetailList ?? []);
    const groups = pages.flatMap((p) => p.GroupDetailList ?? []);
    const policies = pages.flatMap((p) => p.Policies ?? []);
    assert.equal(new Set(users.map((u) => u.UserName)).size, users.length, 'no user twice');
    const apiUsers = users.length;
    assert.equal(apiUsers, sandbox.world.account(account).iam.users.size);

    for (const [key, expected] of put) {
      const [kind, name, policyName] = key.split('/');
      const list =
        kind === 'user'
          ? users.find((u) => u.UserName === name)?.UserPolicyList
          : groups.find((g) => g.GroupName === name)?.GroupPolicyList;
      const entry = list?.find((p) => p.PolicyName === policyName);
      assert.ok(entry, key);
      assert.equal(decodeURIComponent(entry.PolicyDocument!), expected);
    }
    const u1 = users.find((u) => u.UserName === 'aad-user-1')!;
    assert.deepEqual(u1.AttachedManagedPolicies, [{ PolicyName: 'aad-local', PolicyArn: made.Policy!.Arn }]);
    const localDetail = policies.find((p) => p.Arn === made.Policy!.Arn)!;
    assert.equal(localDetail.AttachmentCount, 1);
    assert.equal(localDetail.IsAttachable, true);
    assert.equal(decodeURIComponent(localDetail.PolicyVersionList![0].Document!), local);
    const awsPolicies = policies.filter((p) => p.Arn?.startsWith('arn:aws:iam::aws:policy/'));
    assert.ok(awsPolicies.some((p) => p.Arn === 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'));
    for (const p of awsPolicies) assert.ok((p.AttachmentCount ?? 0) > 0, `${p.Arn} is attached somewhere`);

    const onlyGroups = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Group'] }));
    assert.equal(onlyGroups.UserDetailList?.length ?? 0, 0);
    assert.ok((onlyGroups.GroupDetailList ?? []).some((g) => g.GroupName === 'aad-group'));
  });

  it('gives the AWS CLI v2 decoded documents and attached policies', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const r = await awsCli(sandbox, [
      'iam',
      'get-account-authorization-details',
      '--filter',
      'User',
      'LocalManagedPolicy',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const out = r.json<{
      UserDetailList: { UserName: string; UserPolicyList?: { PolicyName: string; PolicyDocument: unknown }[] }[];
      Policies: { PolicyName: string; PolicyVersionList: { Document: unknown; IsDefaultVersion: boolean }[] }[];
    }>();
    const u2 = out.UserDetailList.find((u) => u.UserName === 'aad-user-2');
    assert.deepEqual(
      u2?.UserPolicyList?.[0].PolicyDocument,
      JSON.parse(doc(['sqs:SendMessage2'], `arn:aws:sqs:us-east-1:${account}:q-2`)),
    );
    const local = out.Policies.find((p) => p.PolicyName === 'aad-local');
    assert.deepEqual(local?.PolicyVersionList[0].Document, JSON.parse(doc(['dynamodb:GetItem'])));
    const attached = await awsCli(sandbox, ['iam', 'list-attached-user-policies', '--user-name', 'aad-user-1']);
    assert.equal(attached.status, 0, attached.stderr);
    const sdk = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'aad-user-1' }));
    assert.deepEqual(attached.json<{ AttachedPolicies: unknown[] }>().AttachedPolicies, sdk.AttachedPolicies);
  });
});
