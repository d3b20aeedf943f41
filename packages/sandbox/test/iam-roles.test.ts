import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateAccountAliasCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  DeleteAccountAliasCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteSAMLProviderCommand,
  DetachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetSAMLProviderCommand,
  IAMClient,
  ListAccountAliasesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  ListSAMLProvidersCommand,
  ListUsersCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam';
import { createRole, iamScope } from '../src/aws/iam/ops.js';
import type { RunningSandbox } from '../src/index.js';
import { rejectsWith } from './helpers/aws-assert.js';
import { awsCli, sdkConfig, startTestSandbox } from './helpers/sandbox.js';
import { restCall } from './helpers/signed.js';
import { requireTool } from './helpers/tools.js';

function trust(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

/** SAML IdP metadata of the size IAM requires (at least 1,000 characters). */
function idpMetadata(entityId: string): string {
  const cert = 'MIIC'.padEnd(900, 'A');
  return (
    `<?xml version="1.0"?><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">` +
    '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
    `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${entityId}/saml2"/>` +
    '</IDPSSODescriptor></EntityDescriptor>'
  );
}

describe('sandbox IAM roles, SAML providers and account aliases', () => {
  let sandbox: RunningSandbox;
  let iam: IAMClient;
  let account: string;
  before(async () => {
    sandbox = await startTestSandbox();
    iam = new IAMClient(sdkConfig(sandbox));
    account = sandbox.info.managementAccountId;
  });
  after(() => sandbox.close());

  it('creates a role with its trust policy and returns the policy URL-encoded', async () => {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: 'r-app',
        Path: '/apps/',
        AssumeRolePolicyDocument: trust('ec2.amazonaws.com'),
        Description: 'app servers',
        MaxSessionDuration: 7200,
      }),
    );
    assert.equal(created.Role?.Arn, `arn:aws:iam::${account}:role/apps/r-app`);
    assert.match(created.Role?.RoleId ?? '', /^AROA/);
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'r-app' }))).Role!;
    assert.equal(decodeURIComponent(got.AssumeRolePolicyDocument!), trust('ec2.amazonaws.com'));
    assert.equal(got.MaxSessionDuration, 7200);
    assert.equal(got.Description, 'app servers');

    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'r-app', PolicyDocument: trust('lambda.amazonaws.com') }),
    );
    await iam.send(new UpdateRoleCommand({ RoleName: 'r-app', MaxSessionDuration: 43200 }));
    await iam.send(new TagRoleCommand({ RoleName: 'r-app', Tags: [{ Key: 'owner', Value: 'platform' }] }));
    const again = (await iam.send(new GetRoleCommand({ RoleName: 'r-app' }))).Role!;
    assert.equal(decodeURIComponent(again.AssumeRolePolicyDocument!), trust('lambda.amazonaws.com'));
    assert.equal(again.MaxSessionDuration, 43200);
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'r-app' }))).Tags, [
      { Key: 'owner', Value: 'platform' },
    ]);

    await rejectsWith(
      iam.send(new UpdateRoleCommand({ RoleName: 'r-app', MaxSessionDuration: 50000 })),
      'ValidationError',
      400,
    );
    await rejectsWith(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'r-noprincipal',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
          }),
        }),
      ),
      'MalformedPolicyDocumentException',
      400,
    );
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'R-APP', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') })),
      'EntityAlreadyExistsException',
      409,
    );
  });

  it('enforces the managed-policies-per-role quota and refuses to delete a role with policies', async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: 'r-quota', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }),
    );
    const arns: string[] = [];
    for (let i = 0; i < 11; i++) {
      const p = await iam.send(
        new CreatePolicyCommand({
          PolicyName: `rq-${i}`,
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: `s3:Get${i}`, Resource: '*' }],
          }),
        }),
      );
      arns.push(p.Policy!.Arn!);
    }
    for (const arn of arns.slice(0, 10))
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r-quota', PolicyArn: arn }));
    await rejectsWith(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'r-quota', PolicyArn: arns[10] })),
      'LimitExceededException',
      409,
    );
    await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'r-quota' })), 'DeleteConflictException', 409);
    for (const arn of arns.slice(0, 10))
      await iam.send(new DetachRolePolicyCommand({ RoleName: 'r-quota', PolicyArn: arn }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'r-quota' }));
    await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'r-quota' })), 'NoSuchEntityException', 404);
  });

  it('lists Identity Center reserved roles by path and refuses to change them', async (t) => {
    // Identity Center provisioning creates these through the same state operation.
    createRole(iamScope(sandbox.world, account), {
      roleName: 'AWSReservedSSO_ReadOnly_0123456789abcdef',
      path: '/aws-reserved/sso.amazonaws.com/',
      assumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${account}:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE` },
            Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
            Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
          },
        ],
      }),
    });
    const listed = await iam.send(new ListRolesCommand({ PathPrefix: '/aws-reserved/sso.amazonaws.com/' }));
    assert.ok(listed.Roles?.some((r) => r.RoleName === 'AWSReservedSSO_ReadOnly_0123456789abcdef'));
    assert.ok(listed.Roles?.every((r) => r.Path?.startsWith('/aws-reserved/sso.amazonaws.com/')));
    await rejectsWith(
      iam.send(new DeleteRoleCommand({ RoleName: 'AWSReservedSSO_ReadOnly_0123456789abcdef' })),
      'UnmodifiableEntityException',
      400,
    );
    await rejectsWith(
      iam.send(
        new AttachRolePolicyCommand({
          RoleName: 'AWSReservedSSO_ReadOnly_0123456789abcdef',
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        }),
      ),
      'UnmodifiableEntityException',
      400,
    );
    if (requireTool(t, 'aws', 'aws iam list-roles decoding the trust policy')) {
      const r = await awsCli(sandbox, ['iam', 'list-roles', '--path-prefix', '/aws-reserved/sso.amazonaws.com/']);
      assert.equal(r.status, 0, r.stderr);
      const roles = r.json<{ Roles: { RoleName: string; AssumeRolePolicyDocument: { Statement: unknown[] } }[] }>()
        .Roles;
      const sso = roles.find((x) => x.RoleName === 'AWSReservedSSO_ReadOnly_0123456789abcdef');
      assert.equal(sso?.AssumeRolePolicyDocument.Statement.length, 1, 'the CLI decodes the trust policy');
    }
  });

  it('holds one role per instance profile, and deletes neither while the role is in it', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    const made = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'worker', Path: '/apps/' }));
    assert.equal(made.InstanceProfile?.Arn, `arn:aws:iam::${account}:instance-profile/apps/worker`);
    assert.match(made.InstanceProfile?.InstanceProfileId ?? '', /^AIPA/);
    await rejectsWith(
      iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'WORKER' })),
      'EntityAlreadyExistsException',
      409,
    );
    const named = { InstanceProfileName: 'worker' };
    await rejectsWith(
      iam.send(new AddRoleToInstanceProfileCommand({ ...named, RoleName: 'nope' })),
      'NoSuchEntityException',
      404,
    );
    await iam.send(new AddRoleToInstanceProfileCommand({ ...named, RoleName: 'worker' }));
    const second = iam.send(new AddRoleToInstanceProfileCommand({ ...named, RoleName: 'other' }));
    await assert.rejects(second, /Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1/);
    const got = await iam.send(new GetInstanceProfileCommand(named));
    assert.deepEqual(
      got.InstanceProfile?.Roles?.map((r) => r.RoleName),
      ['worker'],
    );
    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'worker' }));
    assert.deepEqual(
      forRole.InstanceProfiles?.map((p) => p.InstanceProfileName),
      ['worker'],
    );
    await assert.rejects(
      iam.send(new DeleteRoleCommand({ RoleName: 'worker' })),
      /must remove roles from instance profile first/,
    );
    await assert.rejects(
      iam.send(new DeleteInstanceProfileCommand(named)),
      /must remove roles from instance profile first/,
    );
    await rejectsWith(
      iam.send(new RemoveRoleFromInstanceProfileCommand({ ...named, RoleName: 'other' })),
      'NoSuchEntityException',
      404,
    );
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ ...named, RoleName: 'worker' }));
    await iam.send(new DeleteInstanceProfileCommand(named));
    await rejectsWith(iam.send(new GetInstanceProfileCommand(named)), 'NoSuchEntityException', 404);
    for (const RoleName of ['worker', 'other']) await iam.send(new DeleteRoleCommand({ RoleName }));
  });

  it('serves IAM Roles Anywhere trust anchors and profiles over REST-JSON, to the AWS CLI', async (t) => {
    requireTool(t, 'aws', 'the AWS CLI v2 is the independent Roles Anywhere client');
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUY2E=\n-----END CERTIFICATE-----\n';
    const source = `sourceType=CERTIFICATE_BUNDLE,sourceData={x509CertificateData=${pem}}`;
    const made = await awsCli(sandbox, [
      'rolesanywhere',
      'create-trust-anchor',
      '--name',
      'ci-ca',
      '--enabled',
      '--source',
      source,
      '--tags',
      'key=managed-by,value=iam2sso',
    ]);
    assert.equal(made.status, 0, made.stderr);
    const anchor = made.json<{ trustAnchor: { trustAnchorId: string; trustAnchorArn: string; createdAt: string } }>()
      .trustAnchor;
    // TrustAnchorDetail carries no tags: ListTagsForResource answers them.
    assert.equal('tags' in anchor, false);
    const tags = await awsCli(sandbox, [
      'rolesanywhere',
      'list-tags-for-resource',
      '--resource-arn',
      anchor.trustAnchorArn,
    ]);
    assert.equal(tags.status, 0, tags.stderr);
    assert.deepEqual(tags.json<{ tags: unknown }>().tags, [{ key: 'managed-by', value: 'iam2sso' }]);
    assert.match(
      anchor.trustAnchorArn,
      new RegExp(`^arn:aws:rolesanywhere:${sandbox.info.region}:${account}:trust-anchor/[0-9a-f-]{36}$`),
    );
    const roleArn = `arn:aws:iam::${account}:role/ci`;
    const profile = await restCall(sandbox, 'rolesanywhere', 'POST', '/profiles', {
      name: 'ci',
      roleArns: [roleArn],
      enabled: true,
    });
    assert.equal(profile.status, 201);
    assert.equal(profile.profile.durationSeconds, 3600);
    const listed = await restCall(sandbox, 'rolesanywhere', 'GET', '/profiles');
    assert.deepEqual(
      listed.profiles.map((p: { roleArns: string[] }) => p.roleArns),
      [[roleArn]],
    );
    const bad = await restCall(sandbox, 'rolesanywhere', 'POST', '/profiles', {
      name: 'x',
      roleArns: [roleArn],
      durationSeconds: 60,
    });
    assert.deepEqual([bad.status, bad.errorType], [400, 'ValidationException']);
    const gone = await restCall(sandbox, 'rolesanywhere', 'DELETE', `/profile/${profile.profile.profileId}`);
    assert.equal(gone.profile.name, 'ci');
    const again = await restCall(sandbox, 'rolesanywhere', 'DELETE', `/profile/${profile.profile.profileId}`);
    assert.deepEqual([again.status, again.errorType], [404, 'ResourceNotFoundException']);
    assert.equal(
      (await restCall(sandbox, 'rolesanywhere', 'DELETE', `/trustanchor/${anchor.trustAnchorId}`)).status,
      200,
    );
    const anchors = await restCall(sandbox, 'rolesanywhere', 'GET', '/trustanchors');
    assert.deepEqual(anchors.trustAnchors, []);
  });

  it('manages SAML providers', async () => {
    const created = await iam.send(
      new CreateSAMLProviderCommand({
        Name: 'EntraID',
        SAMLMetadataDocument: idpMetadata('https://sts.windows.net/t1/'),
      }),
    );
    assert.equal(created.SAMLProviderArn, `arn:aws:iam::${account}:saml-provider/EntraID`);
    await rejectsWith(
      iam.send(
        new CreateSAMLProviderCommand({
          Name: 'EntraID',
          SAMLMetadataDocument: idpMetadata('https://sts.windows.net/t1/'),
        }),
      ),
      'EntityAlreadyExistsException',
      409,
    );
    await rejectsWith(
      iam.send(
        new CreateSAMLProviderCommand({ Name: 'Broken', SAMLMetadataDocument: `<html>${'x'.repeat(1200)}</html>` }),
      ),
      'InvalidInputException',
      400,
    );
    const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: created.SAMLProviderArn }));
    assert.equal(got.SAMLMetadataDocument, idpMetadata('https://sts.windows.net/t1/'));
    assert.ok(got.ValidUntil instanceof Date);
    await iam.send(
      new UpdateSAMLProviderCommand({
        SAMLProviderArn: created.SAMLProviderArn,
        SAMLMetadataDocument: idpMetadata('https://sts.windows.net/t2/'),
      }),
    );
    const list = await iam.send(new ListSAMLProvidersCommand({}));
    assert.deepEqual(
      list.SAMLProviderList?.map((p) => p.Arn),
      [created.SAMLProviderArn],
    );
    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: created.SAMLProviderArn }));
    await rejectsWith(
      iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: created.SAMLProviderArn })),
      'NoSuchEntityException',
      404,
    );
  });

  it('manages the account alias', async () => {
    await rejectsWith(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad--Alias' })), 'ValidationError', 400);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'acme-prod' }));
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['acme-prod']);
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'acme-prod' }));
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
    await rejectsWith(
      iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'acme-prod' })),
      'NoSuchEntityException',
      404,
    );
  });

  it('summarizes usage and quotas with GetAccountSummary', async (t) => {
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
    const users = (await iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users ?? [];
    const roles = (await iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles ?? [];
    assert.equal(summary.Users, users.length);
    assert.equal(summary.Roles, roles.length);
    assert.equal(summary.AccessKeysPerUserQuota, 2);
    assert.equal(summary.PolicySizeQuota, 6144);
    assert.equal(summary.UserPolicySizeQuota, 2048);
    if (requireTool(t, 'aws', 'aws iam get-account-summary')) {
      const r = await awsCli(sandbox, ['iam', 'get-account-summary']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.json<{ SummaryMap: Record<string, number> }>().SummaryMap, summary);
    }
  });
});
