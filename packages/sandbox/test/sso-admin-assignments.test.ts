import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateGroupCommand, CreateUserCommand, DeleteGroupCommand } from '@aws-sdk/client-identitystore';
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeletePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { awsCli, sdkConfig } from './helpers/sandbox.js';
import {
  addCustomerPolicy,
  type SsoWorld,
  startSsoWorld,
  waitForCreation,
  waitForDeletion,
  waitForProvisioning,
} from './helpers/sso-world.js';
import { requireTool } from './helpers/tools.js';

const INLINE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }],
});

describe('sandbox SSO Admin account assignments and provisioning', () => {
  let w: SsoWorld;
  let instanceArn: string;
  let storeId: string;

  async function permissionSet(Name: string, managed: string[], customer: string[] = []): Promise<string> {
    const arn = (
      await w.admin.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name, SessionDuration: 'PT8H' }))
    ).PermissionSet!.PermissionSetArn!;
    for (const ManagedPolicyArn of managed) {
      await w.admin.send(
        new AttachManagedPolicyToPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arn,
          ManagedPolicyArn,
        }),
      );
    }
    for (const policyName of customer) {
      await w.admin.send(
        new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: arn,
          CustomerManagedPolicyReference: { Name: policyName },
        }),
      );
    }
    return arn;
  }

  async function group(DisplayName: string): Promise<string> {
    return (await w.store.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName }))).GroupId!;
  }

  function assign(PermissionSetArn: string, PrincipalId: string, client = w.admin) {
    return client.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        TargetId: w.member.id,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn,
        PrincipalType: 'GROUP',
        PrincipalId,
      }),
    );
  }

  const reservedRoles = () => [...w.member.iam.roles.values()].filter((r) => r.roleName.startsWith('AWSReservedSSO_'));

  /** `aws sso-admin create-account-assignment` for a user in the member account; the creation status. */
  async function createByCli(ps: string, userId: string) {
    const started = await awsCli(w.sandbox, [
      'sso-admin',
      'create-account-assignment',
      '--instance-arn',
      instanceArn,
      '--target-id',
      w.member.id,
      '--target-type',
      'AWS_ACCOUNT',
      '--permission-set-arn',
      ps,
      '--principal-type',
      'USER',
      '--principal-id',
      userId,
    ]);
    assert.equal(started.status, 0, started.stderr);
    return started.json<{ AccountAssignmentCreationStatus: { Status: string; RequestId: string } }>()
      .AccountAssignmentCreationStatus;
  }

  /** `aws sso-admin list-account-assignments` of a permission set in the member account. */
  async function listByCli(ps: string) {
    const listed = await awsCli(w.sandbox, [
      'sso-admin',
      'list-account-assignments',
      '--instance-arn',
      instanceArn,
      '--account-id',
      w.member.id,
      '--permission-set-arn',
      ps,
    ]);
    assert.equal(listed.status, 0, listed.stderr);
    return listed.json<{ AccountAssignments: unknown[] }>().AccountAssignments;
  }

  before(async () => {
    w = await startSsoWorld();
    instanceArn = w.sso.instanceArn;
    storeId = w.sso.identityStoreId;
  });
  after(() => w.sandbox.close());

  it('creates an assignment asynchronously and provisions the AWSReservedSSO_ role', async (t) => {
    const withCli = requireTool(
      t,
      'aws',
      'create-account-assignment and list-account-assignments through the AWS CLI v2',
    );
    addCustomerPolicy(w.member, 'TeamBuckets');
    const ps = await permissionSet('Developers', ['arn:aws:iam::aws:policy/ReadOnlyAccess'], ['TeamBuckets']);
    await w.admin.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: ps,
        InlinePolicy: INLINE,
      }),
    );
    const { UserId } = await w.store.send(
      new CreateUserCommand({
        IdentityStoreId: storeId,
        UserName: 'dev1',
        DisplayName: 'Dev One',
        Name: { GivenName: 'Dev', FamilyName: 'One' },
      }),
    );
    const status = withCli
      ? await createByCli(ps, UserId!)
      : (
          await w.admin.send(
            new CreateAccountAssignmentCommand({
              InstanceArn: instanceArn,
              TargetId: w.member.id,
              TargetType: 'AWS_ACCOUNT',
              PermissionSetArn: ps,
              PrincipalType: 'USER',
              PrincipalId: UserId,
            }),
          )
        ).AccountAssignmentCreationStatus!;
    assert.equal(status.Status, 'IN_PROGRESS');
    const done = await waitForCreation(w, status.RequestId!);
    assert.equal(done.Status, 'SUCCEEDED', done.FailureReason);

    const listed = withCli
      ? await listByCli(ps)
      : (
          await w.admin.send(
            new ListAccountAssignmentsCommand({
              InstanceArn: instanceArn,
              AccountId: w.member.id,
              PermissionSetArn: ps,
            }),
          )
        ).AccountAssignments;
    assert.deepEqual(listed, [
      { AccountId: w.member.id, PermissionSetArn: ps, PrincipalType: 'USER', PrincipalId: UserId },
    ]);

    const [role] = reservedRoles();
    assert.match(role.roleName, /^AWSReservedSSO_Developers_[0-9a-f]{16}$/);
    assert.equal(role.path, '/aws-reserved/sso.amazonaws.com/');
    assert.deepEqual(
      [...role.attachedPolicies].sort(),
      [`arn:aws:iam::${w.member.id}:policy/TeamBuckets`, 'arn:aws:iam::aws:policy/ReadOnlyAccess'].sort(),
    );
    assert.deepEqual([...role.inlinePolicies], [['AwsSSOInlinePolicy', INLINE]]);
    assert.equal(role.maxSessionDuration, 8 * 3600);
    const trust = JSON.parse(role.assumeRolePolicyDocument);
    const federated: string = trust.Statement[0].Principal.Federated;
    assert.match(
      federated,
      new RegExp(`^arn:aws:iam::${w.member.id}:saml-provider/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE$`),
    );
    assert.deepEqual(trust.Statement[0].Action, ['sts:AssumeRoleWithSAML', 'sts:TagSession']);
    assert.ok(w.member.iam.samlProviders.has(federated));

    const forPrincipal = await w.admin.send(
      new ListAccountAssignmentsForPrincipalCommand({
        InstanceArn: instanceArn,
        PrincipalId: UserId,
        PrincipalType: 'USER',
      }),
    );
    assert.equal(forPrincipal.AccountAssignments?.length, 1);
    const accounts = await w.admin.send(
      new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: ps }),
    );
    assert.deepEqual(accounts.AccountIds, [w.member.id]);

    // A change is not live until provisioned again.
    await w.admin.send(
      new AttachManagedPolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: ps,
        ManagedPolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      }),
    );
    const stale = await w.admin.send(
      new ListPermissionSetsProvisionedToAccountCommand({
        InstanceArn: instanceArn,
        AccountId: w.member.id,
        ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
      }),
    );
    assert.deepEqual(stale.PermissionSets, [ps]);
    const prov = await w.admin.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: ps,
        TargetType: 'ALL_PROVISIONED_ACCOUNTS',
      }),
    );
    assert.equal(prov.PermissionSetProvisioningStatus?.Status, 'IN_PROGRESS');
    assert.equal((await waitForProvisioning(w, prov.PermissionSetProvisioningStatus!.RequestId!)).Status, 'SUCCEEDED');
    assert.ok(reservedRoles()[0].attachedPolicies.includes('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'));

    // Removing the last assignment removes the role; then the permission set can be deleted.
    await assert.rejects(
      w.admin.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: ps })),
      (e: Error) => e.name === 'ConflictException',
    );
    const del = await w.admin.send(
      new DeleteAccountAssignmentCommand({
        InstanceArn: instanceArn,
        TargetId: w.member.id,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: ps,
        PrincipalType: 'USER',
        PrincipalId: UserId,
      }),
    );
    assert.equal((await waitForDeletion(w, del.AccountAssignmentDeletionStatus!.RequestId!)).Status, 'SUCCEEDED');
    assert.equal(reservedRoles().length, 0);
    await w.admin.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: ps }));
  });

  it('fails provisioning when the account quota of managed policies per role is exceeded', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `Quota${i}`);
    for (const n of names) addCustomerPolicy(w.member, n);
    const ps = await permissionSet('Eleven', [], names);
    const gid = await group('QuotaTesters');
    const started = await assign(ps, gid);
    const failed = await waitForCreation(w, started.AccountAssignmentCreationStatus!.RequestId!);
    assert.equal(failed.Status, 'FAILED');
    assert.match(failed.FailureReason ?? '', /Cannot exceed quota for PoliciesPerRole: 10/);
    assert.equal(reservedRoles().length, 0);

    w.member.iam.managedPoliciesPerRole = 20;
    const retried = await assign(ps, gid);
    assert.equal((await waitForCreation(w, retried.AccountAssignmentCreationStatus!.RequestId!)).Status, 'SUCCEEDED');
    assert.equal(reservedRoles()[0].attachedPolicies.length, 11);

    // Deleting the group removes its assignment and the role.
    await w.store.send(new DeleteGroupCommand({ IdentityStoreId: storeId, GroupId: gid }));
    assert.equal(reservedRoles().length, 0);
    w.member.iam.managedPoliciesPerRole = 10;
  });

  it('fails provisioning when a referenced customer managed policy is missing in the account', async () => {
    const ps = await permissionSet('NeedsPolicy', [], ['NotCreatedYet']);
    const started = await assign(ps, await group('MissingPolicy'));
    const failed = await waitForCreation(w, started.AccountAssignmentCreationStatus!.RequestId!);
    assert.equal(failed.Status, 'FAILED');
    // The Terraform AWS provider's acceptance test expects "Received a 404 status error: Not supported policy.*<name>".
    assert.match(failed.FailureReason ?? '', /^Received a 404 status error: Not supported policy .*NotCreatedYet/);
  });

  it('allows at most 15 outstanding asynchronous requests', async () => {
    w.sso.asyncDelayMs = 60_000;
    try {
      const ps = await permissionSet('Outstanding', ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
      const ids: string[] = [];
      for (let i = 0; i < 16; i++) ids.push(await group(`Outstanding${i}`));
      for (let i = 0; i < 15; i++) await assign(ps, ids[i]);
      await assert.rejects(assign(ps, ids[15]), (e: Error) => e.name === 'ThrottlingException');
      assert.ok(
        !reservedRoles().some((r) => r.roleName.startsWith('AWSReservedSSO_Outstanding_')),
        'no role while IN_PROGRESS',
      );
    } finally {
      w.sso.asyncDelayMs = 150;
      w.sandbox.world.clock.advance(61_000);
    }
    const list = await awsCli(w.sandbox, [
      'sso-admin',
      'list-account-assignment-creation-status',
      '--instance-arn',
      instanceArn,
      '--filter',
      'Status=IN_PROGRESS',
    ]);
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(list.json<{ AccountAssignmentsCreationStatus: unknown[] }>().AccountAssignmentsCreationStatus, []);
  });

  it('throttles SSO Admin and Identity Store calls beyond the configured rate', async () => {
    w.sso.rateLimitPerSecond = 5;
    w.sso.rateBucket = undefined;
    try {
      // One attempt per call: the SDK's retries would spread the burst over the refill and make the count depend on timing.
      const client = new SSOAdminClient({ ...sdkConfig(w.sandbox), maxAttempts: 1 });
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () => client.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }))),
      );
      const throttled = results.filter(
        (r) => r.status === 'rejected' && (r.reason as Error).name === 'ThrottlingException',
      );
      assert.ok(throttled.length >= 5, `expected throttling, got ${throttled.length}`);
      assert.ok(results.some((r) => r.status === 'fulfilled'));
    } finally {
      w.sso.rateLimitPerSecond = null;
    }
  });
});
