import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateInstanceCommand,
  CreatePermissionSetCommand,
  DeletePermissionSetCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListInstancesCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  SSOAdminClient,
  TagResourceCommand,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { type SsoWorld, startSsoWorld } from './helpers/sso-world.js';
import { skipWithoutTool } from './helpers/tools.js';

const isName = (name: string) => (e: Error) => e.name === name;

/** A policy document of exactly `n` non-whitespace characters (padded in a Sid). */
function policyOfSize(n: number, extraSpaces = 0): string {
  const base = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: '', Effect: 'Allow', Action: '*', Resource: '*' }],
  });
  const sid = 'A'.repeat(n - base.length);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sid, Effect: 'Allow', Action: '*', Resource: '*' }],
  }).replace('{"Version"', `{${' '.repeat(extraSpaces)}"Version"`);
}

describe('sandbox SSO Admin permission sets', () => {
  let w: SsoWorld;
  let instanceArn: string;
  const create = (Name: string, extra: Record<string, unknown> = {}) =>
    w.admin.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name, ...extra }));
  before(async () => {
    w = await startSsoWorld();
    instanceArn = w.sso.instanceArn;
  });
  after(() => w.sandbox.close());

  it('lists no instance when Identity Center is not enabled', async () => {
    const bare = await startTestSandbox();
    try {
      bare.world.sso = undefined;
      const r = await new SSOAdminClient(sdkConfig(bare)).send(new ListInstancesCommand({}));
      assert.deepEqual(r.Instances, []);
    } finally {
      await bare.close();
    }
  });

  it('creates an account instance in a standalone account, once, and none in a management account', async () => {
    const alone = await startTestSandbox();
    try {
      const sso = new SSOAdminClient(sdkConfig(alone));
      // The management account of the organization: the organization instance is the one it can have.
      alone.world.sso = undefined;
      await assert.rejects(sso.send(new CreateInstanceCommand({ Name: 'apps' })), isName('ValidationException'));
      alone.world.organization = undefined;
      const made = await sso.send(new CreateInstanceCommand({ Name: 'apps' }));
      const listed = await sso.send(new ListInstancesCommand({}));
      assert.deepEqual(
        listed.Instances?.map((i) => [i.InstanceArn, i.OwnerAccountId, i.Name]),
        [[made.InstanceArn, alone.info.managementAccountId, 'apps']],
      );
      await assert.rejects(sso.send(new CreateInstanceCommand({})), isName('ConflictException'));
      sso.destroy();
    } finally {
      await alone.close();
    }
  });

  it('lists the instance and its identity store through the AWS CLI v2', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const r = await awsCli(w.sandbox, ['sso-admin', 'list-instances']);
    assert.equal(r.status, 0, r.stderr);
    const [instance] = r.json<{ Instances: { InstanceArn: string; IdentityStoreId: string }[] }>().Instances;
    assert.equal(instance.InstanceArn, instanceArn);
    assert.equal(instance.IdentityStoreId, w.sso.identityStoreId);
  });

  it('accepts a 32-character name and refuses 33 characters, bad characters and duplicates', async () => {
    const ok = await create('N'.repeat(32));
    assert.equal(ok.PermissionSet?.Name, 'N'.repeat(32));
    assert.equal(ok.PermissionSet?.SessionDuration, 'PT1H');
    await assert.rejects(create('N'.repeat(33)), isName('ValidationException'));
    await assert.rejects(create('has space'), isName('ValidationException'));
    await assert.rejects(create('N'.repeat(32)), isName('ConflictException'));
  });

  it('accepts session durations PT1H to PT12H and refuses PT13H', async () => {
    const ps = await create('Durations', { SessionDuration: 'PT12H' });
    assert.equal(ps.PermissionSet?.SessionDuration, 'PT12H');
    await assert.rejects(create('TooLong', { SessionDuration: 'PT13H' }), isName('ValidationException'));
    await assert.rejects(create('TooShort', { SessionDuration: 'PT30M' }), isName('ValidationException'));
    const arn = ps.PermissionSet!.PermissionSetArn!;
    await w.admin.send(
      new UpdatePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn, SessionDuration: 'PT4H' }),
    );
    const d = await w.admin.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
    assert.equal(d.PermissionSet?.SessionDuration, 'PT4H');
    await assert.rejects(
      w.admin.send(
        new UpdatePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn, SessionDuration: 'PT13H' }),
      ),
      isName('ValidationException'),
    );
  });

  it('accepts an inline policy of 10,240 non-whitespace characters and refuses 10,241', async () => {
    const arn = (await create('Inline')).PermissionSet!.PermissionSetArn!;
    const put = (InlinePolicy: string) =>
      w.admin.send(
        new PutInlinePolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn, InlinePolicy }),
      );
    const atLimit = policyOfSize(10240, 20_000);
    assert.equal(atLimit.replace(/\s/g, '').length, 10240);
    await put(atLimit);
    const got = await w.admin.send(
      new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
    );
    assert.equal(got.InlinePolicy, atLimit);
    await assert.rejects(put(policyOfSize(10241)), isName('ValidationException'));
    // 32,768 characters in all is the other bound.
    await put(policyOfSize(100, 32768 - policyOfSize(100).length));
    await assert.rejects(put(policyOfSize(100, 32769 - policyOfSize(100).length)), isName('ValidationException'));
    await assert.rejects(put('{not json'), isName('ValidationException'));
  });

  it('attaches real AWS managed policies only, and at most 20 policies per permission set', async () => {
    const arn = (await create('ManyPolicies')).PermissionSet!.PermissionSetArn!;
    const attachManaged = (ManagedPolicyArn: string) =>
      w.admin.send(
        new AttachManagedPolicyToPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arn,
          ManagedPolicyArn,
        }),
      );
    await assert.rejects(
      attachManaged('arn:aws:iam::aws:policy/NoSuchPolicyAtAll'),
      isName('ResourceNotFoundException'),
    );
    await attachManaged('arn:aws:iam::aws:policy/ReadOnlyAccess');
    await attachManaged('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess');
    await assert.rejects(attachManaged('arn:aws:iam::aws:policy/ReadOnlyAccess'), isName('ConflictException'));
    for (let i = 0; i < 18; i++) {
      await w.admin.send(
        new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arn,
          CustomerManagedPolicyReference: { Name: `Team${i}`, Path: '/teams/' },
        }),
      );
    }
    await assert.rejects(
      attachManaged('arn:aws:iam::aws:policy/AdministratorAccess'),
      isName('ServiceQuotaExceededException'),
    );
    const listed = await w.admin.send(
      new ListManagedPoliciesInPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
    );
    assert.deepEqual(
      listed.AttachedManagedPolicies?.map((p) => p.Name),
      ['ReadOnlyAccess', 'ViewOnlyAccess'],
    );
  });

  it('keeps a permissions boundary and tags', async () => {
    const arn = (await create('Bounded', { Tags: [{ Key: 'team', Value: 'platform' }] })).PermissionSet!
      .PermissionSetArn!;
    await assert.rejects(
      w.admin.send(
        new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
      ),
      isName('ResourceNotFoundException'),
    );
    await w.admin.send(
      new PutPermissionsBoundaryToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: arn,
        PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'Boundary' } },
      }),
    );
    const b = await w.admin.send(
      new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
    );
    assert.deepEqual(b.PermissionsBoundary?.CustomerManagedPolicyReference, { Name: 'Boundary', Path: '/' });
    await w.admin.send(
      new TagResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn, Tags: [{ Key: 'owner', Value: 'ops' }] }),
    );
    const tags = await w.admin.send(new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn }));
    assert.deepEqual(tags.Tags, [
      { Key: 'team', Value: 'platform' },
      { Key: 'owner', Value: 'ops' },
    ]);
  });

  it('lists, describes and deletes permission sets through the AWS CLI v2', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const arn = (await create('CliVisible', { Description: 'seen by the CLI' })).PermissionSet!.PermissionSetArn!;
    const listed = await awsCli(w.sandbox, ['sso-admin', 'list-permission-sets', '--instance-arn', instanceArn]);
    assert.equal(listed.status, 0, listed.stderr);
    assert.ok(listed.json<{ PermissionSets: string[] }>().PermissionSets.includes(arn));
    const deleted = await awsCli(w.sandbox, [
      'sso-admin',
      'delete-permission-set',
      '--instance-arn',
      instanceArn,
      '--permission-set-arn',
      arn,
    ]);
    assert.equal(deleted.status, 0, deleted.stderr);
    const gone = await awsCli(w.sandbox, [
      'sso-admin',
      'describe-permission-set',
      '--instance-arn',
      instanceArn,
      '--permission-set-arn',
      arn,
    ]);
    assert.notEqual(gone.status, 0);
    assert.match(gone.stderr, /ResourceNotFoundException/);
    const left = await w.admin.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }));
    assert.ok(!left.PermissionSets?.includes(arn));
    await assert.rejects(
      w.admin.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
      isName('ResourceNotFoundException'),
    );
  });
});
