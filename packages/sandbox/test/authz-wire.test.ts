/** The sandbox's authorization as clients see it: AWS's denial shapes per protocol, and every kind of policy. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DisablePolicyTypeCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../src/index.js';
import { addUserWithKey, buildOrgWorld, type Credentials, type OrgWorld, serveOrgWorld } from './helpers/org-world.js';
import { sdkConfig } from './helpers/sandbox.js';

type AwsErr = Error & { $metadata?: { httpStatusCode?: number } };
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('sandbox authorization on the wire', () => {
  let built: OrgWorld;
  let sandbox: RunningSandbox;
  const iam = (credentials: Credentials) => new IAMClient({ ...sdkConfig(sandbox), credentials });
  const denied = (pattern: RegExp, status: number, code: string) => (e: AwsErr) => {
    assert.equal(e.name, code);
    assert.equal(e.$metadata?.httpStatusCode, status);
    assert.match(e.message, pattern);
    return true;
  };
  async function assume(roleArn: string, policy?: string): Promise<Credentials> {
    const out = await new STSClient(sdkConfig(sandbox)).send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'wire', Policy: policy }),
    );
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
  }

  before(async () => {
    built = buildOrgWorld({ members: 1, usersPerAccount: 0, outsider: false });
    sandbox = await serveOrgWorld(built);
  });
  after(() => sandbox.close());

  it('refuses a user without policies: AccessDenied 403 in IAM, AccessDeniedException 400 in JSON services', async () => {
    const nobody = addUserWithKey(built.world, built.management, 'nobody');
    await assert.rejects(
      iam(nobody).send(new ListUsersCommand({})),
      denied(
        /^User: arn:aws:iam::111111111111:user\/nobody is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action$/,
        403,
        'AccessDenied',
      ),
    );
    await assert.rejects(
      new SSOAdminClient({ ...sdkConfig(sandbox), credentials: nobody }).send(new ListInstancesCommand({})),
      denied(
        /not authorized to perform: sso:ListInstances because no identity-based policy/,
        400,
        'AccessDeniedException',
      ),
    );
  });

  it('authorizes AddRoleToInstanceProfile on the instance profile and iam:PassRole on the role', async () => {
    const creds = addUserWithKey(built.world, built.management, 'profiler');
    const allow = (Action: string[], Resource: string) => ({ Effect: 'Allow', Action, Resource });
    const grant = (...statements: object[]) => {
      built.management.iam.users.get('profiler')!.inlinePolicies.set('p', doc(...statements));
      built.world.authzGeneration++;
    };
    const writes = ['iam:CreateRole', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'];
    grant(
      allow(writes, 'arn:aws:iam::111111111111:instance-profile/app-*'),
      allow(writes, 'arn:aws:iam::111111111111:role/app-*'),
    );
    const trust = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    await iam(creds).send(new CreateRoleCommand({ RoleName: 'app-worker', AssumeRolePolicyDocument: trust }));
    await iam(creds).send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app-worker' }));
    const add = () =>
      iam(creds).send(
        new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app-worker', RoleName: 'app-worker' }),
      );
    await assert.rejects(
      add(),
      denied(
        /not authorized to perform: iam:PassRole on resource: arn:aws:iam::111111111111:role\/app-worker because no identity-based policy allows/,
        403,
        'AccessDenied',
      ),
    );
    grant(
      allow(writes, 'arn:aws:iam::111111111111:instance-profile/app-*'),
      allow(['iam:PassRole'], 'arn:aws:iam::111111111111:role/app-*'),
    );
    await add();
  });

  it('caps an admin with its permissions boundary and a role session with its session policy', async () => {
    const bounded = addUserWithKey(built.world, built.management, 'bounded');
    const user = built.management.iam.users.get('bounded')!;
    user.attachedPolicies.push('arn:aws:iam::aws:policy/AdministratorAccess');
    user.permissionsBoundary = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
    built.world.authzGeneration++;
    await iam(bounded).send(new ListUsersCommand({}));
    await assert.rejects(
      iam(bounded).send(new CreateUserCommand({ UserName: 'x' })),
      denied(
        /iam:CreateUser on resource: arn:aws:iam::111111111111:user\/x because no permissions boundary allows/,
        403,
        'AccessDenied',
      ),
    );
    const member = built.members[0].id;
    const session = await assume(
      `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`,
      doc({ Effect: 'Allow', Action: 'iam:List*', Resource: '*' }),
    );
    await iam(session).send(new ListUsersCommand({}));
    await assert.rejects(
      iam(session).send(new CreateUserCommand({ UserName: 'y' })),
      denied(/because no session policy allows the iam:CreateUser action/, 403, 'AccessDenied'),
    );
  });

  it("applies an OU's SCP to its member account but not to the management account or the member's root user", async () => {
    const orgs = new OrganizationsClient(sdkConfig(sandbox));
    const created = await orgs.send(
      new CreatePolicyCommand({
        Name: 'no-users',
        Description: '',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: doc({ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }),
      }),
    );
    await orgs.send(
      new AttachPolicyCommand({ PolicyId: created.Policy!.PolicySummary!.Id!, TargetId: built.workloadsOuId! }),
    );
    const member = built.members[0];
    const admin = await assume(`arn:aws:iam::${member.id}:role/OrganizationAccountAccessRole`);
    await assert.rejects(
      iam(admin).send(new CreateUserCommand({ UserName: 'blocked' })),
      denied(/with an explicit deny in a service control policy$/, 403, 'AccessDenied'),
    );
    await iam(built.operator).send(new CreateUserCommand({ UserName: 'management-is-not-restricted' }));
    const rootKey = built.world.issueAccessKey(member.id, null, built.world.clock.now());
    member.iam.root.accessKeys.push(rootKey);
    await iam(rootKey).send(new CreateUserCommand({ UserName: 'made-by-root' }));

    // Disabling SCPs detaches them all: the member's admin may again; enabling brings back FullAWSAccess only.
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    await orgs.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    await iam(admin).send(new CreateUserCommand({ UserName: 'scps-disabled' }));
    const enabled = await orgs.send(
      new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }),
    );
    assert.deepEqual(enabled.Root?.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    await iam(admin).send(new CreateUserCommand({ UserName: 'full-access-again' }));
    await assert.rejects(
      orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' })),
      (e: Error) => e.name === 'PolicyTypeAlreadyEnabledException',
    );
  });
});
