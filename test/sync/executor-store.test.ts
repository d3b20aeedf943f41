import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../../src/core/reconcile/changes.js';
import { NotManagedError } from '../../src/core/reconcile/not-managed.js';
import type { UserAttributes } from '../../src/core/sync/types.js';
import type { IdentityStorePort } from '../../src/ports/identity-store.js';
import { executeChanges } from '../../src/reconcile/executor.js';
import { memoryJournal } from '../../src/reconcile/journal.js';
import { memoryOwnership, type Ownership } from '../../src/store/ownership-repo.js';
import { splitConflicts } from '../../src/sync/outcome.js';
import { indexStore, storePerformer } from '../../src/sync/perform.js';

const attrs = (userName: string): UserAttributes => ({
  userName,
  displayName: userName,
  givenName: 'A',
  familyName: 'B',
  email: null,
});

/** A store holding `taken` (made by a person) and `mine` (made by the sync); it records every write. */
function fakeStore() {
  const writes: string[] = [];
  const port = {
    createUser: async (a: UserAttributes) => {
      writes.push(`create ${a.userName}`);
      if (a.userName === 'taken@x.com') throw new NotManagedError('Identity Store user taken@x.com', 'iam2sso adopt');
      return `id-${a.userName}`;
    },
    updateUser: async (id: string) => void writes.push(`update ${id}`),
    deleteUser: async (id: string) => void writes.push(`delete ${id}`),
  } as unknown as IdentityStorePort;
  const index = indexStore({
    users: [
      {
        userId: 's-taken',
        userName: 'taken@x.com',
        displayName: '',
        givenName: null,
        familyName: null,
        emails: [],
        externalIds: [],
      },
      {
        userId: 's-mine',
        userName: 'mine@x.com',
        displayName: '',
        givenName: null,
        familyName: null,
        emails: [],
        externalIds: [],
      },
      {
        userId: 's-scim',
        userName: 'scim@x.com',
        displayName: '',
        givenName: null,
        familyName: null,
        emails: [],
        externalIds: ['e1'],
      },
    ],
    groups: [],
    memberships: [],
  });
  return { port, index, writes };
}

const none: Ownership = {
  isOwned: () => false,
  originOf: () => null,
  record: () => undefined,
  release: () => undefined,
  count: () => 0,
};

async function run(changes: Change[]) {
  const { port, index, writes } = fakeStore();
  const ownership = memoryOwnership(none);
  ownership.record({ kind: 'store-user', key: 'mine@x.com' }, 'earlier');
  const journal = memoryJournal();
  const report = await executeChanges(changes, storePerformer({ port, index, concurrency: 2, ownership, runId: 'r' }), {
    runId: 'r',
    journal,
    ownership,
    log: () => undefined,
  });
  return { report, writes, ownership, journal, index };
}

describe('sync changes through the executor', () => {
  it('updates and deletes only users the tool owns; one matched by name or SCIM is left alone', async () => {
    const { report, writes } = await run([
      {
        kind: 'store.user.update',
        upn: 'scim@x.com',
        from: attrs('scim@x.com'),
        to: attrs('scim2@x.com'),
        changes: ['userName'],
      },
      { kind: 'store.user.delete', upn: 'taken@x.com', attributes: attrs('taken@x.com'), groups: [] },
      { kind: 'store.user.delete', upn: 'mine@x.com', attributes: attrs('mine@x.com'), groups: [] },
    ]);
    assert.deepEqual(writes, ['delete s-mine']);
    assert.deepEqual(report.refused.map((r) => r.reason).sort(), [
      'store-user scim@x.com is not managed by iam2sso',
      'store-user taken@x.com is not managed by iam2sso',
    ]);
  });

  it('a create whose name a hand-made user holds is a conflict, never recorded as created', async () => {
    const { report, ownership, journal } = await run([
      { kind: 'store.user.create', upn: 'taken@x.com', attributes: attrs('taken@x.com'), groups: [] },
      { kind: 'store.member.add', group: 'AWS-Admins', upn: 'taken@x.com' },
    ]);
    assert.equal(ownership.isOwned({ kind: 'store-user', key: 'taken@x.com' }), false);
    assert.equal(report.cancelled.length, 1, 'the membership waits for the create, and is cancelled with it');
    const empty = { users: { create: [], update: [], deactivate: [], delete: [], unchanged: 0 } };
    const diff = {
      ...empty,
      groups: { create: [], update: [], delete: [], unchanged: 0 },
      memberships: { add: [], remove: [], unchanged: 0 },
      matches: [],
      conflicts: [],
      links: [],
    };
    const { conflicts, failed } = splitConflicts(diff, report.failed);
    assert.deepEqual(failed, []);
    assert.deepEqual(
      conflicts.map((c) => [c.id, c.name]),
      [['user-name-held-by-other', 'taken@x.com']],
    );
    assert.match(conflicts[0].message, /not managed by iam2sso/);
    assert.deepEqual(
      journal.entries.map((e) => [e.kind, e.status]),
      [['store.user.create', 'failed']],
      'journaled before the call, failed after',
    );
  });

  it('renaming a user the tool owns moves its ownership record to the new name', async () => {
    const { report, ownership, index } = await run([
      {
        kind: 'store.user.update',
        upn: 'mine@x.com',
        from: attrs('mine@x.com'),
        to: attrs('me@x.com'),
        changes: ['userName'],
      },
    ]);
    assert.equal(report.done.length, 1);
    assert.equal(ownership.isOwned({ kind: 'store-user', key: 'me@x.com' }), true);
    assert.equal(ownership.isOwned({ kind: 'store-user', key: 'mine@x.com' }), false);
    assert.equal(index.users.get('me@x.com'), 's-mine');
  });
});
