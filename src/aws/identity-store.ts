/**
 * The one Identity Store adapter (apply, sync, rollback, verify): users, groups and memberships through the
 * IAM-authenticated API (no SCIM token to expire), paced by the same limiter as SSO Admin (the two share Identity
 * Center's rate). A create whose name another object holds is a NotManagedError, never "created"; deletes of what
 * is already gone succeed; adding a membership that exists returns its id.
 * API: https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/ (CreateUser, UpdateUser's
 * AttributeOperations with paths such as `name.givenName`, GetUserId's UniqueAttribute `userName`; GetGroupId's only
 * valid unique attribute path is `displayName`, API_GetGroupId.html).
 */
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
  UpdateGroupCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { NotManagedError } from '../core/reconcile/not-managed.js';
import type {
  IdentityStorePort,
  StoreGroup,
  StoreMembership,
  StoreUser,
  UserAttributes,
} from '../ports/identity-store.js';
import { type AwsSettings, countRequests, identityCenterClientConfig } from './clients.js';
import { idempotent, type Pacer, paceClient, WRITER_REQUEST_TIMEOUTS } from './identity-center.js';

/** Creates the Identity Store client: the product's AWS settings, counted, paced. */
export function createIdentityStoreClient(settings: AwsSettings, pace: Pacer): IdentitystoreClient {
  return paceClient(
    countRequests(
      new IdentitystoreClient({ ...identityCenterClientConfig(settings), requestHandler: WRITER_REQUEST_TIMEOUTS }),
      'identitystore',
      settings.counter,
    ),
    pace,
  );
}

type AttributeOperation = { AttributePath: string; AttributeValue?: unknown };

function operationsFor(a: UserAttributes, changes: (keyof UserAttributes)[]): AttributeOperation[] {
  const path: Record<keyof UserAttributes, [string, unknown]> = {
    userName: ['userName', a.userName],
    displayName: ['displayName', a.displayName],
    givenName: ['name.givenName', a.givenName],
    familyName: ['name.familyName', a.familyName],
    email: ['emails', a.email ? [{ Value: a.email, Type: 'work', Primary: true }] : null],
  };
  return changes.map((c) => ({ AttributePath: path[c][0], AttributeValue: path[c][1] }));
}

const notFound = (error: unknown) => (error as Error).name === 'ResourceNotFoundException';

/** Runs a Get*Id lookup: null when nothing holds that key. */
async function lookup(call: () => Promise<string | undefined>): Promise<string | null> {
  try {
    return (await call()) ?? null;
  } catch (error) {
    if (notFound(error)) return null;
    throw error;
  }
}

/** A Conflict on create: the name is held by an object the tool did not make. */
function refuseConflict(error: unknown, what: string, adopt: string): never {
  if ((error as Error).name === 'ConflictException') throw new NotManagedError(what, adopt);
  throw error;
}

/** The Identity Store port over a client, for one identity store (its id read once, when first needed). */
export function identityStoreAdapter(
  client: IdentitystoreClient,
  storeId: string | (() => Promise<string>),
): IdentityStorePort {
  const id = typeof storeId === 'string' ? async () => storeId : storeId;
  const port: IdentityStorePort = {
    async listUsers() {
      const IdentityStoreId = await id();
      const out: StoreUser[] = [];
      for await (const page of paginateListUsers({ client }, { IdentityStoreId, MaxResults: 100 }))
        for (const u of page.Users ?? [])
          out.push({
            userId: u.UserId ?? '',
            userName: u.UserName ?? '',
            displayName: u.DisplayName ?? '',
            givenName: u.Name?.GivenName ?? null,
            familyName: u.Name?.FamilyName ?? null,
            emails: (u.Emails ?? []).map((e) => e.Value ?? '').filter(Boolean),
            externalIds: (u.ExternalIds ?? []).map((e) => e.Id ?? '').filter(Boolean),
          });
      return out;
    },
    async listGroups() {
      const IdentityStoreId = await id();
      const out: StoreGroup[] = [];
      for await (const page of paginateListGroups({ client }, { IdentityStoreId, MaxResults: 100 }))
        for (const g of page.Groups ?? [])
          out.push({
            groupId: g.GroupId ?? '',
            displayName: g.DisplayName ?? '',
            description: g.Description ?? null,
            externalIds: (g.ExternalIds ?? []).map((e) => e.Id ?? '').filter(Boolean),
          });
      return out;
    },
    async listMemberships(GroupId) {
      const IdentityStoreId = await id();
      const out: StoreMembership[] = [];
      for await (const page of paginateListGroupMemberships({ client }, { IdentityStoreId, GroupId, MaxResults: 100 }))
        for (const m of page.GroupMemberships ?? []) {
          const userId = m.MemberId && 'UserId' in m.MemberId ? m.MemberId.UserId : undefined;
          if (userId) out.push({ membershipId: m.MembershipId ?? '', groupId: GroupId, userId });
        }
      return out;
    },
    async findUserId(userName) {
      const IdentityStoreId = await id();
      const AlternateIdentifier = { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } };
      return lookup(
        async () => (await client.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier }))).UserId,
      );
    },
    async findGroupId(displayName) {
      const IdentityStoreId = await id();
      const AlternateIdentifier = { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName } };
      return lookup(
        async () => (await client.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier }))).GroupId,
      );
    },
    async findMembershipId(GroupId, UserId) {
      const IdentityStoreId = await id();
      return lookup(
        async () =>
          (await client.send(new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })))
            .MembershipId,
      );
    },
    async createUser(a) {
      const IdentityStoreId = await id();
      try {
        const out = await client.send(
          new CreateUserCommand({
            IdentityStoreId,
            UserName: a.userName,
            DisplayName: a.displayName,
            Name: { GivenName: a.givenName, FamilyName: a.familyName },
            Emails: a.email ? [{ Value: a.email, Type: 'work', Primary: true }] : undefined,
          }),
        );
        return out.UserId ?? '';
      } catch (error) {
        return refuseConflict(error, `Identity Store user ${a.userName}`, `iam2sso adopt store-user ${a.userName}`);
      }
    },
    async updateUser(UserId, a, changes) {
      const IdentityStoreId = await id();
      const Operations = operationsFor(a, changes) as never;
      await client.send(new UpdateUserCommand({ IdentityStoreId, UserId, Operations }));
    },
    async deleteUser(UserId) {
      const IdentityStoreId = await id();
      await idempotent(() => client.send(new DeleteUserCommand({ IdentityStoreId, UserId })), { missing: true });
    },
    async createGroup(DisplayName, description) {
      const IdentityStoreId = await id();
      try {
        const out = await client.send(
          new CreateGroupCommand({ IdentityStoreId, DisplayName, Description: description ?? undefined }),
        );
        return out.GroupId ?? '';
      } catch (error) {
        return refuseConflict(
          error,
          `Identity Store group ${DisplayName}`,
          `iam2sso adopt store-group "${DisplayName}"`,
        );
      }
    },
    async updateGroup(GroupId, displayName, description) {
      const IdentityStoreId = await id();
      const Operations = [
        { AttributePath: 'displayName', AttributeValue: displayName },
        { AttributePath: 'description', AttributeValue: description },
      ] as never;
      await client.send(new UpdateGroupCommand({ IdentityStoreId, GroupId, Operations }));
    },
    async deleteGroup(GroupId) {
      const IdentityStoreId = await id();
      await idempotent(() => client.send(new DeleteGroupCommand({ IdentityStoreId, GroupId })), { missing: true });
    },
    async addMembership(GroupId, UserId) {
      const IdentityStoreId = await id();
      const created = await idempotent(
        () => client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })),
        { exists: true },
      );
      return created?.MembershipId ?? (await port.findMembershipId(GroupId, UserId)) ?? '';
    },
    async removeMembership(MembershipId) {
      const IdentityStoreId = await id();
      await idempotent(() => client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId })), {
        missing: true,
      });
    },
  };
  return port;
}
