/**
 * Contract tests: AWS API behaviours the sandbox must share with AWS, each with the public source it follows.
 * Remaining guesses are listed in packages/sandbox/GUESSES.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CreateUserCommand } from '@aws-sdk/client-identitystore';
import { DescribeAccountCommand, DescribePolicyCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_DELIVERY_DELAY_MS } from '../src/aws/cloudtrail/lookup-events.js';
import { rejectsWith } from './helpers/aws-assert.js';
import { awsCli, hasAwsCli, sdkConfig } from './helpers/sandbox.js';
import { type SsoWorld, startSsoWorld, waitForCreation, waitForDeletion } from './helpers/sso-world.js';

const GHOST = '906734f8-7011-70a7-2b4f-6c0a4e0a1e11';

describe('sandbox AWS fidelity (STS, Organizations, Identity Center, CloudTrail, IAM)', () => {
  let w: SsoWorld;
  let permissionSetArn: string;

  before(async () => {
    w = await startSsoWorld();
    permissionSetArn = (
      await w.admin.send(new CreatePermissionSetCommand({ InstanceArn: w.sso.instanceArn, Name: 'Fidelity' }))
    ).PermissionSet!.PermissionSetArn!;
    await w.admin.send(
      new AttachManagedPolicyToPermissionSetCommand({
        InstanceArn: w.sso.instanceArn,
        PermissionSetArn: permissionSetArn,
        ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
  });
  after(() => w.sandbox.close());

  const assignment = (PrincipalType: 'USER' | 'GROUP', PrincipalId: string) => ({
    InstanceArn: w.sso.instanceArn,
    PermissionSetArn: permissionSetArn,
    TargetId: w.member.id,
    TargetType: 'AWS_ACCOUNT' as const,
    PrincipalType,
    PrincipalId,
  });

  // Source: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
  it('issues GetSessionToken credentials that act as the same IAM user, and refuses them a second time', async () => {
    const sts = new STSClient(sdkConfig(w.sandbox));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    const session = (await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    assert.match(session.AccessKeyId!, /^ASIA/);
    assert.equal(session.Expiration!.getTime() - w.sandbox.world.clock.nowMs() <= 900_000, true);
    const asSession = new STSClient({
      ...sdkConfig(w.sandbox),
      credentials: {
        accessKeyId: session.AccessKeyId!,
        secretAccessKey: session.SecretAccessKey!,
        sessionToken: session.SessionToken!,
      },
    });
    assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, me.Arn);
    await rejectsWith(asSession.send(new GetSessionTokenCommand({})), 'AccessDenied', 403);
    await rejectsWith(sts.send(new GetSessionTokenCommand({ DurationSeconds: 129_601 })), 'ValidationError', 400);
  });

  it('serves aws sts get-session-token to the AWS CLI v2', { skip: !hasAwsCli && 'no AWS CLI' }, async () => {
    const r = await awsCli(w.sandbox, ['sts', 'get-session-token', '--duration-seconds', '3600']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.json<{ Credentials: { AccessKeyId: string } }>().Credentials.AccessKeyId, /^ASIA/);
  });

  // Source: the Organizations API model (organizations-2016-11-28) declares no HTTP status on its exceptions,
  // so they travel as 400 (awsJson1_1 client errors).
  it('lists the Identity Center instance only in the region it is enabled in (SSO Admin is regional)', async () => {
    const home = await w.admin.send(new ListInstancesCommand({}));
    assert.equal(home.Instances?.[0]?.InstanceArn, w.sso.instanceArn);
    const other = new SSOAdminClient({ ...sdkConfig(w.sandbox), region: 'ap-southeast-2' });
    assert.deepEqual((await other.send(new ListInstancesCommand({}))).Instances, []);
    other.destroy();
  });

  it('answers Organizations exceptions with HTTP 400', async () => {
    const orgs = new OrganizationsClient(sdkConfig(w.sandbox));
    await rejectsWith(
      orgs.send(new DescribeAccountCommand({ AccountId: '123456789012' })),
      'AccountNotFoundException',
      400,
    );
    await rejectsWith(orgs.send(new DescribePolicyCommand({ PolicyId: 'p-abcdefgh' })), 'PolicyNotFoundException', 400);
  });

  // Source: public reports of CloudFormation AWS::SSO::Assignment failures quote "Received a 404 status error:
  // the GROUP assignee <id> was not found in directory d-<id>"; CreateAccountAssignment itself accepts the call.
  it('accepts an assignment to a principal that does not exist and fails it later naming the principal', async () => {
    const started = await w.admin.send(new CreateAccountAssignmentCommand(assignment('GROUP', GHOST)));
    assert.equal(started.AccountAssignmentCreationStatus?.Status, 'IN_PROGRESS');
    const done = await waitForCreation(w, started.AccountAssignmentCreationStatus!.RequestId!);
    assert.equal(done.Status, 'FAILED');
    assert.match(
      done.FailureReason ?? '',
      /^Received a 404 status error: .*GROUP assignee .*not found in directory d-/,
    );
    assert.ok(done.FailureReason?.includes(GHOST));
  });

  // Source: the Terraform AWS provider (ssoadmin account assignment delete) quotes "Received a 404 status error:
  // EntitlementItem doesn't exist with the given entitlement key EntitlementKey{...}".
  it('fails the deletion of an assignment that does not exist, after accepting it', async () => {
    const user = await w.store.send(
      new CreateUserCommand({
        IdentityStoreId: w.sso.identityStoreId,
        UserName: 'never-assigned',
        DisplayName: 'Never Assigned',
        Name: { GivenName: 'Never', FamilyName: 'Assigned' },
      }),
    );
    const started = await w.admin.send(new DeleteAccountAssignmentCommand(assignment('USER', user.UserId!)));
    assert.equal(started.AccountAssignmentDeletionStatus?.Status, 'IN_PROGRESS');
    const done = await waitForDeletion(w, started.AccountAssignmentDeletionStatus!.RequestId!);
    assert.equal(done.Status, 'FAILED');
    assert.match(done.FailureReason ?? '', /^Received a 404 status error: EntitlementItem doesn't exist/);
  });

  // Source: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html ("limited to
  // two per second, per account, per Region. If this limit is exceeded, a throttling error occurs.")
  it('throttles a third LookupEvents call within a second by default', async () => {
    const trail = new CloudTrailClient(sdkConfig(w.sandbox));
    await new Promise((r) => setTimeout(r, 1100));
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => trail.send(new LookupEventsCommand({ MaxResults: 1 }))),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 1);
    assert.equal((refused[0] as PromiseRejectedResult).reason.name, 'ThrottlingException');
  });

  // Source: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html (events are
  // delivered minutes after the call); the default delay is a guess (GUESSES.md).
  it('shows a call in LookupEvents only after the delivery delay', async () => {
    const iam = new IAMClient(sdkConfig(w.sandbox));
    await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForSSO' }));
    const trail = new CloudTrailClient(sdkConfig(w.sandbox));
    const lookup = () =>
      trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetRole' }] }),
      );
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await lookup()).Events?.length ?? 0, 0, 'not delivered yet');
    w.sandbox.world.clock.advance(DEFAULT_DELIVERY_DELAY_MS);
    assert.equal((await lookup()).Events?.[0]?.EventName, 'GetRole');
  });

  // Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html and the
  // Organizations, IAM Identity Center, Support and Trusted Advisor service-linked role pages.
  it('has the service-linked roles of a real account under /aws-service-role/<service>/', async () => {
    const iam = new IAMClient(sdkConfig(w.sandbox));
    const roles = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }))).Roles ?? [];
    const byName = new Map(roles.map((r) => [r.RoleName, r]));
    for (const [name, service] of [
      ['AWSServiceRoleForOrganizations', 'organizations.amazonaws.com'],
      ['AWSServiceRoleForSSO', 'sso.amazonaws.com'],
      ['AWSServiceRoleForSupport', 'support.amazonaws.com'],
      ['AWSServiceRoleForTrustedAdvisor', 'trustedadvisor.amazonaws.com'],
    ]) {
      const role = byName.get(name);
      assert.equal(role?.Path, `/aws-service-role/${service}/`, name);
      const trust = JSON.parse(decodeURIComponent(role!.AssumeRolePolicyDocument!));
      assert.deepEqual(trust.Statement[0].Principal, { Service: service });
    }
  });
});
