/**
 * `--dry-run` as a wrapper, not a flag inside the engine: the writer it returns turns every write into a log
 * line and hands back placeholder ids, so the engine runs exactly as it would and the store is not touched.
 */
import type { SyncStoreWriter } from './ports.js';

/** A writer that only says what it would do. */
export function dryRunWriter(log: (line: string) => void): SyncStoreWriter {
  let n = 0;
  const id = (kind: string) => `dry-run-${kind}-${++n}`;
  return {
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
