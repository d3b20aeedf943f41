/**
 * The one Identity Store port (users, groups, memberships) that apply, sync, rollback and verify use, with its one
 * record type per object. The AWS SDK adapter (src/aws/identity-store.ts) and the dry-run wrappers implement it.
 */
import type { StoreGroup, StoreMembership, StoreUser, UserAttributes } from '../core/sync/types.js';

export type { StoreGroup, StoreMembership, StoreUser, UserAttributes };

/** Identity Store reads. */
export type IdentityStoreReader = {
  listUsers(): Promise<StoreUser[]>;
  listGroups(): Promise<StoreGroup[]>;
  /** Memberships of one group (user members only). */
  listMemberships(groupId: string): Promise<StoreMembership[]>;
  /** The id of the user with this userName, or null. */
  findUserId(userName: string): Promise<string | null>;
  /** The id of the group with this display name, or null. */
  findGroupId(displayName: string): Promise<string | null>;
  /** The id of the membership of a user in a group, or null. */
  findMembershipId(groupId: string, userId: string): Promise<string | null>;
};

/**
 * Identity Store writes. Creates refuse a name another object holds (NotManagedError: never "created"); deletes of
 * what is already gone succeed; adding a membership that exists returns its id.
 */
export type IdentityStoreWriter = {
  createUser(attributes: UserAttributes): Promise<string>;
  updateUser(userId: string, attributes: UserAttributes, changes: (keyof UserAttributes)[]): Promise<void>;
  deleteUser(userId: string): Promise<void>;
  createGroup(displayName: string, description: string | null): Promise<string>;
  updateGroup(groupId: string, displayName: string, description: string | null): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  addMembership(groupId: string, userId: string): Promise<string>;
  removeMembership(membershipId: string): Promise<void>;
};

/** The whole port. */
export type IdentityStorePort = IdentityStoreReader & IdentityStoreWriter;
