/**
 * The Identity Store behind the sync's ports: the IAM-authenticated API (no SCIM token to expire), paced by a
 * client-side token bucket (Identity Center allows about 20 requests per second across its APIs), with adaptive
 * retries on throttling and idempotent writes: a duplicate create finds the existing object, a delete of
 * something already gone succeeds.
 */
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  GetGroupMembershipIdCommand,
  type IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
  UpdateGroupCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-identitystore';
import { NotManagedError } from '../core/reconcile/not-managed.js';
import type { StoreGroup, StoreMembership, StoreUser, UserAttributes } from '../core/sync/types.js';
import type { SyncStoreReader, SyncStoreWriter } from '../sync/ports.js';
import { idempotent } from './identity-center.js';

type AttributeOperation = { AttributePath: string; AttributeValue?: unknown };

function operationsFor(a: UserAttributes, changes: (keyof UserAttributes)[]): AttributeOperation[] {
  const ops: AttributeOperation[] = [];
  for (const change of changes) {
    if (change === 'userName') ops.push({ AttributePath: 'userName', AttributeValue: a.userName });
    if (change === 'displayName') ops.push({ AttributePath: 'displayName', AttributeValue: a.displayName });
    if (change === 'givenName') ops.push({ AttributePath: 'name.givenName', AttributeValue: a.givenName });
    if (change === 'familyName') ops.push({ AttributePath: 'name.familyName', AttributeValue: a.familyName });
    if (change === 'email')
      ops.push({
        AttributePath: 'emails',
        AttributeValue: a.email ? [{ Value: a.email, Type: 'work', Primary: true }] : null,
      });
  }
  return ops;
}

/** Reads of one identity store. */
export function identityStoreSyncReader(client: IdentitystoreClient, IdentityStoreId: string): SyncStoreReader {
  return {
    async listUsers() {
      const out: StoreUser[] = [];
      for await (const page of paginateListUsers({ client }, { IdentityStoreId, MaxResults: 100 })) {
        for (const u of page.Users ?? []) {
          out.push({
            userId: u.UserId ?? '',
            userName: u.UserName ?? '',
            displayName: u.DisplayName ?? '',
            givenName: u.Name?.GivenName ?? null,
            familyName: u.Name?.FamilyName ?? null,
            emails: (u.Emails ?? []).map((e) => e.Value ?? '').filter(Boolean),
            externalIds: (u.ExternalIds ?? []).map((e) => e.Id ?? '').filter(Boolean),
          });
        }
      }
      return out;
    },
    async listGroups() {
      const out: StoreGroup[] = [];
      for await (const page of paginateListGroups({ client }, { IdentityStoreId, MaxResults: 100 })) {
        for (const g of page.Groups ?? []) {
          out.push({
            groupId: g.GroupId ?? '',
            displayName: g.DisplayName ?? '',
            description: g.Description ?? null,
            externalIds: (g.ExternalIds ?? []).map((e) => e.Id ?? '').filter(Boolean),
          });
        }
      }
      return out;
    },
    async listMemberships(GroupId) {
      const out: StoreMembership[] = [];
      for await (const page of paginateListGroupMemberships(
        { client },
        { IdentityStoreId, GroupId, MaxResults: 100 },
      )) {
        for (const m of page.GroupMemberships ?? []) {
          const userId = m.MemberId && 'UserId' in m.MemberId ? m.MemberId.UserId : undefined;
          if (userId) out.push({ membershipId: m.MembershipId ?? '', groupId: GroupId, userId });
        }
      }
      return out;
    },
  };
}

/** Writes to one identity store. */
export function identityStoreSyncWriter(client: IdentitystoreClient, IdentityStoreId: string): SyncStoreWriter {
  return {
    async createUser(a) {
      try {
        const created = await client.send(
          new CreateUserCommand({
            IdentityStoreId,
            UserName: a.userName,
            DisplayName: a.displayName,
            Name: { GivenName: a.givenName, FamilyName: a.familyName },
            Emails: a.email ? [{ Value: a.email, Type: 'work', Primary: true }] : undefined,
          }),
        );
        return created.UserId ?? '';
      } catch (error) {
        // Someone else holds the userName: a refusal, never a user the sync created.
        if ((error as Error).name === 'ConflictException')
          throw new NotManagedError(`Identity Store user ${a.userName}`, `iam2sso adopt store-user ${a.userName}`);
        throw error;
      }
    },
    async updateUser(UserId, a, changes) {
      const Operations = operationsFor(a, changes) as never;
      await client.send(new UpdateUserCommand({ IdentityStoreId, UserId, Operations }));
    },
    async deleteUser(UserId) {
      await idempotent(() => client.send(new DeleteUserCommand({ IdentityStoreId, UserId })), { missing: true });
    },
    async createGroup(DisplayName, description) {
      const Description = description ?? undefined;
      try {
        const created = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName, Description }));
        return created.GroupId ?? '';
      } catch (error) {
        // A hand-made group (or apply's) holds the name: never claimed as the sync's own.
        if ((error as Error).name === 'ConflictException')
          throw new NotManagedError(
            `Identity Store group ${DisplayName}`,
            `iam2sso adopt store-group "${DisplayName}"`,
          );
        throw error;
      }
    },
    async updateGroup(GroupId, displayName, description) {
      const Operations = [
        { AttributePath: 'displayName', AttributeValue: displayName },
        { AttributePath: 'description', AttributeValue: description },
      ] as never;
      await client.send(new UpdateGroupCommand({ IdentityStoreId, GroupId, Operations }));
    },
    async deleteGroup(GroupId) {
      await idempotent(() => client.send(new DeleteGroupCommand({ IdentityStoreId, GroupId })), { missing: true });
    },
    async addMembership(GroupId, UserId) {
      const created = await idempotent(
        () => client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })),
        { exists: true },
      );
      if (created?.MembershipId) return created.MembershipId;
      const found = await client.send(
        new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId, MemberId: { UserId } }),
      );
      return found.MembershipId ?? '';
    },
    async removeMembership(MembershipId) {
      await idempotent(() => client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId })), {
        missing: true,
      });
    },
  };
}
