/**
 * The Identity Store adapter behind the apply (and sync) port: groups, users and memberships through the
 * IAM-authenticated API, paced by the same limiter as SSO Admin (the two share Identity Center's rate), with
 * idempotent creates (a duplicate is looked up and returned) and deletes (already gone is success).
 */
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import type { IdentityStorePort, StoreGroup, StoreMembership, StoreUser } from '../apply/ports.js';
import { NotManagedError } from '../core/reconcile/not-managed.js';
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

/** The Identity Store port over a client, for one identity store. */
export function identityStoreAdapter(client: IdentitystoreClient, storeId: () => Promise<string>): IdentityStorePort {
  return {
    async listGroups() {
      const IdentityStoreId = await storeId();
      const out: StoreGroup[] = [];
      for await (const page of paginateListGroups({ client }, { IdentityStoreId, MaxResults: 100 }))
        for (const g of page.Groups ?? [])
          out.push({ id: g.GroupId ?? '', displayName: g.DisplayName ?? '', description: g.Description ?? null });
      return out;
    },
    async listUsers() {
      const IdentityStoreId = await storeId();
      const out: StoreUser[] = [];
      for await (const page of paginateListUsers({ client }, { IdentityStoreId, MaxResults: 100 }))
        for (const u of page.Users ?? []) out.push({ id: u.UserId ?? '', userName: u.UserName ?? '' });
      return out;
    },
    async listMemberships(groupId) {
      const IdentityStoreId = await storeId();
      const out: StoreMembership[] = [];
      for await (const page of paginateListGroupMemberships(
        { client },
        { IdentityStoreId, GroupId: groupId, MaxResults: 100 },
      ))
        for (const m of page.GroupMemberships ?? [])
          if (m.MemberId && 'UserId' in m.MemberId && m.MemberId.UserId)
            out.push({ membershipId: m.MembershipId ?? '', groupId, userId: m.MemberId.UserId });
      return out;
    },
    async createGroup(DisplayName, Description) {
      const IdentityStoreId = await storeId();
      try {
        const out = await client.send(new CreateGroupCommand({ IdentityStoreId, DisplayName, Description }));
        return out.GroupId ?? '';
      } catch (error) {
        // A Conflict means another group holds the name: a refusal, never a group we created.
        if ((error as Error).name === 'ConflictException')
          throw new NotManagedError(
            `Identity Store group ${DisplayName}`,
            `iam2sso adopt store-group "${DisplayName}"`,
          );
        throw error;
      }
    },
    async createUser(u) {
      const IdentityStoreId = await storeId();
      const out = await idempotent(
        () =>
          client.send(
            new CreateUserCommand({
              IdentityStoreId,
              UserName: u.userName,
              DisplayName: u.displayName,
              Name: { GivenName: u.givenName, FamilyName: u.familyName },
              Emails: u.email ? [{ Value: u.email, Type: 'work', Primary: true }] : undefined,
            }),
          ),
        { exists: true },
      );
      if (out?.UserId) return { id: out.UserId, existing: false };
      // The user is already there (e.g. provisioned from Entra): used for memberships, not owned.
      const found = await client.send(
        new GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: u.userName } },
        }),
      );
      return { id: found.UserId ?? '', existing: true };
    },
    async addMembership(GroupId, UserId) {
      const IdentityStoreId = await storeId();
      await idempotent(
        () => client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId, MemberId: { UserId } })),
        { exists: true },
      );
    },
    async removeMembership(MembershipId) {
      const IdentityStoreId = await storeId();
      await idempotent(() => client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId })), {
        missing: true,
      });
    },
    async deleteGroup(GroupId) {
      const IdentityStoreId = await storeId();
      await idempotent(() => client.send(new DeleteGroupCommand({ IdentityStoreId, GroupId })), { missing: true });
    },
  };
}
