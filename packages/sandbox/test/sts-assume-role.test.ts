import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { RunningSandbox } from '../src/index.js';
import {
  addRole,
  buildOrgWorld,
  type Credentials,
  type OrgWorld,
  serveOrgWorld,
  trustAccount,
  userCredentials,
} from './helpers/org-world.js';
import { awsCli, sdkConfig } from './helpers/sandbox.js';
import { skipWithoutTool } from './helpers/tools.js';

function sts(sandbox: RunningSandbox, credentials: Credentials): STSClient {
  return new STSClient({ ...sdkConfig(sandbox), credentials });
}

function roleArn(accountId: string, name = 'OrganizationAccountAccessRole', path = '/'): string {
  return `arn:aws:iam::${accountId}:role${path}${name}`;
}

async function assumeInto(sandbox: RunningSandbox, from: Credentials, arn: string, extra = {}): Promise<Credentials> {
  const out = await sts(sandbox, from).send(
    new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'audit', ...extra }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

describe('sandbox STS AssumeRole', () => {
  let sandbox: RunningSandbox;
  let org: OrgWorld;
  let member: string;
  before(async () => {
    org = buildOrgWorld({ members: 2 });
    member = org.members[0].id;
    addRole(org.world, org.members[0], 'LongSessions', trustAccount(org.management.id), { maxSessionDuration: 43_200 });
    addRole(org.world, org.members[0], 'Pathed', trustAccount(org.management.id), { path: '/team/ops/' });
    addRole(
      org.world,
      org.members[1],
      'ChainTarget',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: roleArn(member) },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
      { maxSessionDuration: 7200 },
    );
    addRole(
      org.world,
      org.members[0],
      'VendorAudit',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '999999999999' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'vendor-7731' } },
          },
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      }),
    );
    sandbox = await serveOrgWorld(org);
  });
  after(() => sandbox.close());

  it('issues temporary credentials that act in the member account', async () => {
    const out = await sts(sandbox, org.operator).send(
      new AssumeRoleCommand({ RoleArn: roleArn(member), RoleSessionName: 'iam2sso-audit' }),
    );
    assert.match(out.Credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    assert.equal(out.Credentials?.SecretAccessKey?.length, 40);
    assert.ok((out.Credentials?.SessionToken?.length ?? 0) > 100);
    const lifetime = out.Credentials!.Expiration!.getTime() - org.world.clock.nowMs();
    assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, `expires in ${lifetime} ms`);
    const role = org.members[0].iam.roles.get('OrganizationAccountAccessRole')!;
    assert.equal(out.AssumedRoleUser?.AssumedRoleId, `${role.roleId}:iam2sso-audit`);
    assert.equal(
      out.AssumedRoleUser?.Arn,
      `arn:aws:sts::${member}:assumed-role/OrganizationAccountAccessRole/iam2sso-audit`,
    );

    const session = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    const id = await sts(sandbox, session).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, member);
    assert.equal(id.Arn, out.AssumedRoleUser?.Arn);
    assert.equal(id.UserId, out.AssumedRoleUser?.AssumedRoleId);
    assert.ok(role.roleLastUsed, 'the role records its last use');
  });

  it("sees only the member account's IAM users through the assumed role", async () => {
    const session = await assumeInto(sandbox, org.operator, roleArn(member));
    const iam = new IAMClient({ ...sdkConfig(sandbox), credentials: session });
    const { Users } = await iam.send(new ListUsersCommand({}));
    const names = (Users ?? []).map((u) => u.UserName).sort();
    assert.deepEqual(names, [...org.members[0].iam.users.keys()].sort());
    assert.ok(names.length > 0);
    assert.ok(!names.includes('sandbox-operator'), 'no management account users');
    assert.ok((Users ?? []).every((u) => u.Arn?.startsWith(`arn:aws:iam::${member}:user/`)));
  });

  it('refuses a session whose token is missing or altered', async () => {
    const session = await assumeInto(sandbox, org.operator, roleArn(member));
    const noToken = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey };
    await assert.rejects(sts(sandbox, noToken).send(new GetCallerIdentityCommand({})), {
      name: 'InvalidClientTokenId',
    });
  });

  it('refuses a caller the trust policy does not name, with AWS message', async () => {
    const outsider = userCredentials(org.world, '999999999999', 'outsider-user');
    await assert.rejects(
      sts(sandbox, outsider).send(new AssumeRoleCommand({ RoleArn: roleArn(member), RoleSessionName: 'x1' })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'AccessDenied');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        assert.equal(
          e.message,
          `User: arn:aws:iam::999999999999:user/outsider-user is not authorized to perform: sts:AssumeRole on resource: ${roleArn(member)}`,
        );
        return true;
      },
    );
    const memberUser = userCredentials(org.world, org.members[1].id, 'member-2-user-1');
    await assert.rejects(
      sts(sandbox, memberUser).send(new AssumeRoleCommand({ RoleArn: roleArn(member), RoleSessionName: 'x1' })),
      { name: 'AccessDenied' },
    );
  });

  it('evaluates trust policy conditions such as sts:ExternalId', async () => {
    const outsider = userCredentials(org.world, '999999999999', 'outsider-user');
    const arn = roleArn(member, 'VendorAudit');
    const attempt = (ExternalId?: string) =>
      sts(sandbox, outsider).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'vendor', ExternalId }));
    await assert.rejects(attempt(), { name: 'AccessDenied' });
    await assert.rejects(attempt('wrong'), { name: 'AccessDenied' });
    const ok = await attempt('vendor-7731');
    assert.equal(ok.AssumedRoleUser?.Arn, `arn:aws:sts::${member}:assumed-role/VendorAudit/vendor`);
  });

  it('refuses a role that does not exist, or a wrong path, with AccessDenied', async () => {
    for (const arn of [roleArn(member, 'NoSuchRole'), roleArn(member, 'Pathed'), roleArn('123456789012')]) {
      await assert.rejects(
        sts(sandbox, org.operator).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'x1' })),
        { name: 'AccessDenied' },
      );
    }
    const pathed = await assumeInto(sandbox, org.operator, roleArn(member, 'Pathed', '/team/ops/'));
    const id = await sts(sandbox, pathed).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Arn, `arn:aws:sts::${member}:assumed-role/Pathed/audit`);
  });

  it('refuses an expired session with ExpiredToken once the virtual clock passes expiry', async () => {
    const session = await assumeInto(sandbox, org.operator, roleArn(member), { DurationSeconds: 900 });
    await sts(sandbox, session).send(new GetCallerIdentityCommand({}));
    org.world.clock.advance(901_000);
    await assert.rejects(sts(sandbox, session).send(new GetCallerIdentityCommand({})), (e: Error) => {
      assert.equal(e.name, 'ExpiredToken');
      assert.equal(e.message, 'The security token included in the request is expired');
      return true;
    });
  });

  it('enforces DurationSeconds from 900 to the role maximum', async () => {
    const client = sts(sandbox, org.operator);
    const attempt = (arn: string, DurationSeconds: number) =>
      client.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'dur', DurationSeconds }));
    await assert.rejects(attempt(roleArn(member), 899), (e: Error) => {
      assert.equal(e.name, 'ValidationError');
      assert.match(e.message, /Value '899' at 'durationSeconds'.*greater than or equal to 900/);
      return true;
    });
    await attempt(roleArn(member), 900);
    await attempt(roleArn(member), 3600);
    await assert.rejects(attempt(roleArn(member), 3601), {
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    const long = await attempt(roleArn(member, 'LongSessions'), 43_200);
    assert.ok(long.Credentials!.Expiration!.getTime() - org.world.clock.nowMs() > 43_190_000);
    await assert.rejects(attempt(roleArn(member, 'LongSessions'), 43_201), { name: 'ValidationError' });
  });

  it('validates RoleSessionName length and characters', async () => {
    const client = sts(sandbox, org.operator);
    const attempt = (RoleSessionName: string) =>
      client.send(new AssumeRoleCommand({ RoleArn: roleArn(member), RoleSessionName }));
    await attempt('ab');
    await attempt('a'.repeat(64));
    await attempt('user+=,.@-_1');
    for (const bad of ['a', 'a'.repeat(65), 'has space', 'slash/no']) {
      await assert.rejects(attempt(bad), (e: Error) => {
        assert.equal(e.name, 'ValidationError');
        assert.match(e.message, /at 'roleSessionName' failed to satisfy constraint/);
        return true;
      });
    }
  });

  it('lets a role session chain into a role that trusts it, limited to one hour', async () => {
    const first = await assumeInto(sandbox, org.operator, roleArn(member));
    const target = roleArn(org.members[1].id, 'ChainTarget');
    await assert.rejects(
      sts(sandbox, first).send(
        new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 'ch', DurationSeconds: 3601 }),
      ),
      (e: Error) => e.name === 'ValidationError' && /role chaining/.test(e.message),
    );
    const chained = await assumeInto(sandbox, first, target);
    const id = await sts(sandbox, chained).send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, org.members[1].id);
    // The operator itself is not named by ChainTarget's trust policy.
    await assert.rejects(
      sts(sandbox, org.operator).send(new AssumeRoleCommand({ RoleArn: target, RoleSessionName: 'ch' })),
      { name: 'AccessDenied' },
    );
  });

  it('logs AssumeRole in the role account with the role as a resource', async () => {
    const before = org.members[0].trail.events.length;
    await assumeInto(sandbox, org.operator, roleArn(member));
    const event = org.members[0].trail.events.slice(before).find((e) => e.record.eventName === 'AssumeRole');
    assert.ok(event, 'an AssumeRole event in the member account');
    assert.equal(event.record.userIdentity.type, 'IAMUser');
    assert.equal(event.record.userIdentity.accountId, org.management.id);
    assert.equal(event.record.recipientAccountId, member);
    assert.deepEqual(event.record.resources, [{ ARN: roleArn(member), accountId: member, type: 'AWS::IAM::Role' }]);
    assert.ok(event.resources.some((r) => r.resourceType === 'AWS::IAM::Role' && r.resourceName === roleArn(member)));
    assert.equal(JSON.stringify(event.record).includes('SecretAccessKey'), false);
  });

  it('serves the AWS CLI v2: assume-role, then calls with the session', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const r = await awsCli(sandbox, [
      'sts',
      'assume-role',
      '--role-arn',
      roleArn(member),
      '--role-session-name',
      'cli-session',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const c = r.json<{ Credentials: Record<string, string> }>().Credentials;
    const id = await awsCli(sandbox, ['sts', 'get-caller-identity'], {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    assert.equal(id.status, 0, id.stderr);
    assert.equal(id.json<{ Account: string }>().Account, member);
    const users = await awsCli(sandbox, ['iam', 'list-users'], {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    assert.equal(users.status, 0, users.stderr);
    assert.deepEqual(
      users
        .json<{ Users: { UserName: string }[] }>()
        .Users.map((u) => u.UserName)
        .sort(),
      [...org.members[0].iam.users.keys()].sort(),
    );
    const outsider = userCredentials(org.world, '999999999999', 'outsider-user');
    const refused = await awsCli(
      sandbox,
      ['sts', 'assume-role', '--role-arn', roleArn(member), '--role-session-name', 'nope'],
      outsider,
    );
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /AccessDenied/);
  });
});
