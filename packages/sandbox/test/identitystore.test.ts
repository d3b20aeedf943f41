import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { awsCli } from './helpers/sandbox.js';
import { type SsoWorld, startSsoWorld } from './helpers/sso-world.js';
import { skipWithoutTool } from './helpers/tools.js';

function userInput(storeId: string, userName: string, email?: string) {
  return {
    IdentityStoreId: storeId,
    UserName: userName,
    DisplayName: `${userName} Display`,
    Name: { GivenName: userName, FamilyName: 'Tester' },
    Emails: email ? [{ Value: email, Type: 'work', Primary: true }] : undefined,
  };
}

describe('sandbox Identity Store', () => {
  let w: SsoWorld;
  let storeId: string;
  before(async () => {
    w = await startSsoWorld();
    storeId = w.sso.identityStoreId;
  });
  after(() => w.sandbox.close());

  it('creates, finds and describes users through the AWS CLI v2', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const created = await awsCli(w.sandbox, [
      'identitystore',
      'create-user',
      '--identity-store-id',
      storeId,
      '--user-name',
      'alice',
      '--display-name',
      'Alice Liddell',
      '--name',
      'GivenName=Alice,FamilyName=Liddell',
      '--emails',
      'Value=alice@example.com,Type=work,Primary=true',
    ]);
    assert.equal(created.status, 0, created.stderr);
    const userId = created.json<{ UserId: string }>().UserId;

    const lookup = (AttributePath: string, AttributeValue: string) =>
      awsCli(w.sandbox, [
        'identitystore',
        'get-user-id',
        '--identity-store-id',
        storeId,
        '--alternate-identifier',
        JSON.stringify({ UniqueAttribute: { AttributePath, AttributeValue } }),
      ]);
    const [byName, byEmail, described] = await Promise.all([
      lookup('userName', 'alice'),
      lookup('emails.value', 'alice@example.com'),
      awsCli(w.sandbox, ['identitystore', 'describe-user', '--identity-store-id', storeId, '--user-id', userId]),
    ]);
    assert.equal(byName.status, 0, byName.stderr);
    assert.equal(byName.json<{ UserId: string }>().UserId, userId);
    assert.equal(byEmail.json<{ UserId: string }>().UserId, userId);
    const user = described.json<{ UserName: string; Name: { GivenName: string }; Emails: { Value: string }[] }>();
    assert.equal(user.UserName, 'alice');
    assert.equal(user.Name.GivenName, 'Alice');
    assert.deepEqual(
      user.Emails.map((e) => e.Value),
      ['alice@example.com'],
    );
  });

  it('finds a SCIM-provisioned user by ExternalId', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const { UserId } = await w.store.send(new CreateUserCommand(userInput(storeId, 'scim-bob')));
    // The SCIM endpoint stores the Entra object id as the user's external id.
    w.sso.users.get(UserId!)!.externalIds.push({ issuer: 'https://scim.example/entra', id: 'entra-object-42' });
    const byExternalId = (Id: string) =>
      awsCli(w.sandbox, [
        'identitystore',
        'get-user-id',
        '--identity-store-id',
        storeId,
        '--alternate-identifier',
        JSON.stringify({ ExternalId: { Issuer: 'https://scim.example/entra', Id } }),
      ]);
    const r = await byExternalId('entra-object-42');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json<{ UserId: string }>().UserId, UserId);
    await assert.rejects(
      w.store.send(
        new GetUserIdCommand({
          IdentityStoreId: storeId,
          AlternateIdentifier: { ExternalId: { Issuer: 'https://scim.example/entra', Id: 'nobody' } },
        }),
      ),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
  });

  it('refuses a duplicate user name with ConflictException UNIQUENESS_CONSTRAINT_VIOLATION', async () => {
    await w.store.send(new CreateUserCommand(userInput(storeId, 'carol')));
    await assert.rejects(
      w.store.send(new CreateUserCommand(userInput(storeId, 'Carol'))),
      (e: Error & { Reason?: string }) => {
        assert.equal(e.name, 'ConflictException');
        assert.equal(e.Reason, 'UNIQUENESS_CONSTRAINT_VIOLATION');
        return true;
      },
    );
  });

  it('refuses reserved names and a second email with ValidationException', async () => {
    await assert.rejects(
      w.store.send(new CreateUserCommand(userInput(storeId, 'AWSAdministrators'))),
      (e: Error) => e.name === 'ValidationException',
    );
    await assert.rejects(
      w.store.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Administrator' })),
      (e: Error) => e.name === 'ValidationException',
    );
    const twoEmails = {
      ...userInput(storeId, 'dave'),
      Emails: [{ Value: 'dave@example.com' }, { Value: 'dave2@example.com' }],
    };
    await assert.rejects(
      w.store.send(new CreateUserCommand(twoEmails)),
      (e: Error) => e.name === 'ValidationException',
    );
  });

  it('updates user attributes with UpdateUser operations', async () => {
    const { UserId } = await w.store.send(new CreateUserCommand(userInput(storeId, 'erin')));
    await w.store.send(
      new UpdateUserCommand({
        IdentityStoreId: storeId,
        UserId,
        Operations: [
          { AttributePath: 'displayName', AttributeValue: 'Erin Renamed' },
          { AttributePath: 'name.familyName', AttributeValue: 'Newname' },
          { AttributePath: 'emails', AttributeValue: [{ Value: 'erin@example.com', Primary: true }] },
        ],
      }),
    );
    const u = await w.store.send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId }));
    assert.equal(u.DisplayName, 'Erin Renamed');
    assert.equal(u.Name?.FamilyName, 'Newname');
    assert.equal(u.Emails?.[0]?.Value, 'erin@example.com');
    await assert.rejects(
      w.store.send(
        new UpdateUserCommand({
          IdentityStoreId: storeId,
          UserId,
          Operations: [{ AttributePath: 'userName', AttributeValue: 'carol' }],
        }),
      ),
      (e: Error & { Reason?: string }) =>
        e.name === 'ConflictException' && e.Reason === 'UNIQUENESS_CONSTRAINT_VIOLATION',
    );
  });

  it('manages groups and memberships through the AWS CLI v2', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    // The AWS CLI for what its own argument shapes exercise (shorthand member ids, JSON identifiers, lists), the
    // SDK for the rest: each AWS CLI run costs most of a second of CPU.
    const cli = (args: string[]) => awsCli(w.sandbox, ['identitystore', ...args, '--identity-store-id', storeId]);
    const g1 = (await cli(['create-group', '--display-name', 'Engineers', '--description', 'All engineers'])).json<{
      GroupId: string;
    }>().GroupId;
    const { GroupId: g2 } = await w.store.send(
      new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Auditors' }),
    );
    await assert.rejects(
      w.store.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'engineers' })),
      (e: Error) => e.name === 'ConflictException',
    );

    const UserId = (await w.store.send(new CreateUserCommand(userInput(storeId, 'frank')))).UserId!;
    const m = await cli(['create-group-membership', '--group-id', g1, '--member-id', `UserId=${UserId}`]);
    assert.equal(m.status, 0, m.stderr);
    const membershipId = m.json<{ MembershipId: string }>().MembershipId;
    await assert.rejects(
      w.store.send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: g1, MemberId: { UserId } })),
      (e: Error) => e.name === 'ConflictException',
    );

    // Independent reads, run side by side to keep the test quick.
    const [listed, inGroups, gid, forMember, idOf, filtered] = await Promise.all([
      cli(['list-group-memberships', '--group-id', g1]),
      cli(['is-member-in-groups', '--member-id', `UserId=${UserId}`, '--group-ids', g1, g2!]),
      cli([
        'get-group-id',
        '--alternate-identifier',
        JSON.stringify({ UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Auditors' } }),
      ]),
      w.store.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: storeId, MemberId: { UserId } })),
      w.store.send(new GetGroupMembershipIdCommand({ IdentityStoreId: storeId, GroupId: g1, MemberId: { UserId } })),
      w.store.send(
        new ListGroupsCommand({
          IdentityStoreId: storeId,
          Filters: [{ AttributePath: 'DisplayName', AttributeValue: 'Engineers' }],
        }),
      ),
    ]);
    type Memberships = { GroupMemberships: { MemberId: { UserId: string }; GroupId: string }[] };
    assert.deepEqual(
      listed.json<Memberships>().GroupMemberships.map((x) => x.MemberId.UserId),
      [UserId],
    );
    assert.deepEqual(
      (forMember.GroupMemberships ?? []).map((x) => x.GroupId),
      [g1],
    );
    assert.deepEqual(
      inGroups
        .json<{ Results: { GroupId: string; MembershipExists: boolean }[] }>()
        .Results.map((r) => [r.GroupId, r.MembershipExists]),
      [
        [g1, true],
        [g2, false],
      ],
    );
    assert.equal(idOf.MembershipId, membershipId);
    assert.equal(gid.json<{ GroupId: string }>().GroupId, g2);
    assert.deepEqual(
      (filtered.Groups ?? []).map((g) => g.GroupId),
      [g1],
    );
  });

  it('pages users with MaxResults and NextToken, and rejects MaxResults over 100', async () => {
    for (let i = 0; i < 7; i++) await w.store.send(new CreateUserCommand(userInput(storeId, `pager-${i}`)));
    const total = w.sso.users.size;
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await w.store.send(
        new ListUsersCommand({ IdentityStoreId: storeId, MaxResults: 3, NextToken: token }),
      );
      assert.ok((page.Users ?? []).length <= 3);
      seen.push(...(page.Users ?? []).map((u) => u.UserId!));
      token = page.NextToken;
      pages++;
    } while (token);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.equal(pages, Math.ceil(total / 3));
    await assert.rejects(
      w.store.send(new ListUsersCommand({ IdentityStoreId: storeId, MaxResults: 101 })),
      (e: Error) => e.name === 'ValidationException',
    );
  });

  it('lists every user through the CLI paginator and filters by UserName', async (t) => {
    if (skipWithoutTool(t, 'aws')) return;
    const all = await awsCli(w.sandbox, [
      'identitystore',
      'list-users',
      '--identity-store-id',
      storeId,
      '--page-size',
      '2',
    ]);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.json<{ Users: unknown[] }>().Users.length, w.sso.users.size);
    const one = await awsCli(w.sandbox, [
      'identitystore',
      'list-users',
      '--identity-store-id',
      storeId,
      '--filters',
      'AttributePath=UserName,AttributeValue=pager-3',
    ]);
    assert.deepEqual(
      one.json<{ Users: { UserName: string }[] }>().Users.map((u) => u.UserName),
      ['pager-3'],
    );
  });

  it('deleting a user removes its memberships and answers ResourceNotFoundException after', async () => {
    const { UserId } = await w.store.send(new CreateUserCommand(userInput(storeId, 'gone')));
    const { GroupId } = await w.store.send(
      new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Leavers' }),
    );
    await w.store.send(
      new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId, MemberId: { UserId: UserId! } }),
    );
    await w.store.send(new DeleteUserCommand({ IdentityStoreId: storeId, UserId }));
    const members = await w.store.send(new ListGroupMembershipsCommand({ IdentityStoreId: storeId, GroupId }));
    assert.deepEqual(members.GroupMemberships, []);
    await assert.rejects(
      w.store.send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId })),
      (e: Error & { ResourceType?: string; ResourceId?: string }) =>
        e.name === 'ResourceNotFoundException' && e.ResourceType === 'USER' && e.ResourceId === UserId,
    );
  });
});
