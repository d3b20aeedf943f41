/**
 * `--dry-run` as a wrapper, not a flag inside the engine: the port it returns reads the real Identity Store but turns
 * every write into a log line and hands back placeholder ids, so the engine and the executor run exactly as they
 * would, with nothing written to the store (the executor's journal and ownership are kept in memory).
 */
import type { IdentityStorePort } from '../ports/identity-store.js';

/** A port that only says what it would write. */
export function dryRunStore(store: IdentityStorePort, log: (line: string) => void): IdentityStorePort {
  let n = 0;
  const id = (kind: string) => `dry-run-${kind}-${++n}`;
  return {
    listUsers: () => store.listUsers(),
    listGroups: () => store.listGroups(),
    listMemberships: (groupId) => store.listMemberships(groupId),
    findUserId: (name) => store.findUserId(name),
    findGroupId: (name) => store.findGroupId(name),
    findMembershipId: (groupId, userId) => store.findMembershipId(groupId, userId),
    async createUser(a) {
      log(`would create user ${a.userName}`);
      return id('user');
    },
    async updateUser(userId, a, changes) {
      log(`would update user ${a.userName} (${userId}): ${changes.join(', ')}`);
    },
    async deleteUser(userId) {
      log(`would delete user ${userId}`);
    },
    async createGroup(name) {
      log(`would create group ${name}`);
      return id('group');
    },
    async updateGroup(groupId, name) {
      log(`would update group ${groupId} to ${name}`);
    },
    async deleteGroup(groupId) {
      log(`would delete group ${groupId}`);
    },
    async addMembership(groupId, userId) {
      log(`would add ${userId} to group ${groupId}`);
      return id('membership');
    },
    async removeMembership(membershipId) {
      log(`would remove membership ${membershipId}`);
    },
  };
}
