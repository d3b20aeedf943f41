/**
 * The narrow ports the sync engine runs over: Entra's delta reads (the Entra adapter's DirectoryReader has
 * them), and the Identity Store calls the sync makes, split into reads and writes so that `--dry-run` can wrap
 * the writes alone.
 */
import type { StoreGroup, StoreMembership, StoreUser, UserAttributes } from '../core/sync/types.js';
import type { DirectoryReader } from '../entra/ports.js';

/** The Entra reads the sync needs: one delta round of users and one of groups (with member changes). */
export type SyncDirectory = Pick<DirectoryReader, 'usersDelta' | 'groupsDelta'>;

/** Identity Store reads, for a full resync. */
export type SyncStoreReader = {
  listUsers(): Promise<StoreUser[]>;
  listGroups(): Promise<StoreGroup[]>;
  /** Memberships of one group. */
  listMemberships(groupId: string): Promise<StoreMembership[]>;
};

/** Identity Store writes; each is idempotent (already there / already gone is success). */
export type SyncStoreWriter = {
  /** Creates a user (or finds the one with that userName) and returns its id. */
  createUser(attributes: UserAttributes): Promise<string>;
  updateUser(userId: string, attributes: UserAttributes, changes: (keyof UserAttributes)[]): Promise<void>;
  deleteUser(userId: string): Promise<void>;
  /** Creates a group (or finds the one with that name) and returns its id. */
  createGroup(displayName: string, description: string | null): Promise<string>;
  updateGroup(groupId: string, displayName: string, description: string | null): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  /** Adds a user to a group (or finds the existing membership) and returns the membership id. */
  addMembership(groupId: string, userId: string): Promise<string>;
  removeMembership(membershipId: string): Promise<void>;
};
