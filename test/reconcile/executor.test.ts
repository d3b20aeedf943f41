import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Change, changeId } from '../../src/core/reconcile/changes.js';
import { NotManagedError } from '../../src/core/reconcile/not-managed.js';
import { executeChanges, type Performer } from '../../src/reconcile/executor.js';
import { stateJournal } from '../../src/reconcile/journal.js';
import { openStateDb } from '../../src/store/db.js';
import { runEntries } from '../../src/store/journal-repo.js';
import { listOwned, stateOwnership } from '../../src/store/ownership-repo.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-exec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A performer that records calls and fails the changes named in `fail` with the given error. */
function fakePerformer(fail: Map<string, Error> = new Map(), delayMs = 0) {
  const calls: string[] = [];
  const performer: Performer = {
    resolve: () => ({}),
    async perform(c) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      calls.push(changeId(c));
      const error = fail.get(changeId(c));
      if (error) throw error;
      return { objectId: `id-${calls.length}` };
    },
    limit: (_c, fn) => fn(),
    concurrency: () => 4,
  };
  return { performer, calls };
}

async function setup(name: string) {
  const db = await openStateDb(join(dir, `${name}.db`));
  return { db, journal: stateJournal(db, name, 'plan'), ownership: stateOwnership(db) };
}

const rename: Change[] = [
  { kind: 'entra.group.create', name: 'New' },
  { kind: 'entra.member.add', group: 'New', upn: 'a@x' },
  { kind: 'entra.group.delete', name: 'Old', members: ['a@x'] },
];

describe('the executor', () => {
  it('a failed create cancels the delete it replaces; the old group is never touched', async () => {
    const { db, journal, ownership } = await setup('rename');
    ownership.record({ kind: 'entra-group', key: 'old' }, 'earlier');
    const { performer, calls } = fakePerformer(new Map([[changeId(rename[0]), new Error('Graph 503')]]));
    const r = await executeChanges(rename, performer, { runId: 'rename', journal, ownership, log: () => {} });
    assert.deepEqual(calls, [changeId(rename[0])]);
    assert.equal(r.failed.length, 1);
    assert.deepEqual(r.cancelled.map((c) => c.change.kind).sort(), ['entra.group.delete', 'entra.member.add']);
    const entries = runEntries(db, 'rename');
    assert.deepEqual(
      entries.map((e) => [e.kind, e.status]),
      [['entra.group.create', 'failed']],
    );
    assert.ok(ownership.isOwned({ kind: 'entra-group', key: 'old' }), 'the old group is still ours and still there');
    db.close();
  });

  it('journals intent with the undo before the call and the result after, and records what it created', async () => {
    const { db, journal, ownership } = await setup('ok');
    ownership.record({ kind: 'entra-group', key: 'old' }, 'earlier');
    const { performer, calls } = fakePerformer();
    const r = await executeChanges(rename, performer, { runId: 'ok', journal, ownership, log: () => {} });
    assert.equal(r.done.length, 3);
    assert.deepEqual(calls, rename.map(changeId), 'create, member, then the delete');
    const entries = runEntries(db, 'ok');
    assert.ok(entries.every((e) => e.status === 'done'));
    assert.deepEqual(entries[0].undo, { kind: 'entra.group.delete', name: 'New', members: [] });
    assert.deepEqual(
      listOwned(db, 'entra-group').map((o) => [o.key, o.objectId]),
      [['new', 'id-1']],
      'the new group is owned with its id; the deleted one is released',
    );
    db.close();
  });

  it('refuses to update or delete what it does not own, and goes on with the rest', async () => {
    const { db, journal, ownership } = await setup('unowned');
    const changes: Change[] = [
      { kind: 'ps.attach-managed', name: 'HandMade', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      { kind: 'ps.create', name: 'Ours', description: '', sessionDuration: 'PT1H' },
    ];
    const { performer, calls } = fakePerformer();
    const r = await executeChanges(changes, performer, { runId: 'unowned', journal, ownership, log: () => {} });
    assert.deepEqual(calls, [changeId(changes[1])]);
    assert.match(r.refused[0].reason, /permission-set HandMade is not managed by iam2sso/);
    db.close();
  });

  it('a create that meets a name already taken is a failure and leaves nothing recorded as owned', async () => {
    const { db, journal, ownership } = await setup('conflict');
    const create: Change = { kind: 'store.group.create', name: 'Taken' };
    const { performer } = fakePerformer(
      new Map([
        [changeId(create), new NotManagedError('Identity Store group Taken', 'iam2sso adopt store-group Taken')],
      ]),
    );
    const r = await executeChanges([create], performer, { runId: 'conflict', journal, ownership, log: () => {} });
    assert.match(r.failed[0].error, /not managed by iam2sso/);
    assert.deepEqual(listOwned(db, 'store-group'), []);
    db.close();
  });

  it('an interrupted run starts nothing new, and a call that never answers times out', async () => {
    const { db, journal, ownership } = await setup('abort');
    const stop = new AbortController();
    stop.abort();
    const { performer, calls } = fakePerformer();
    const r = await executeChanges(rename, performer, {
      runId: 'abort',
      journal,
      ownership,
      log: () => {},
      signal: stop.signal,
    });
    assert.equal(r.notStarted.length, 3);
    assert.deepEqual(calls, []);
    const slow = fakePerformer(new Map(), 5_000);
    const t = await executeChanges([rename[0]], slow.performer, {
      runId: 'abort',
      journal,
      ownership,
      log: () => {},
      timeoutMs: 50,
    });
    assert.match(t.failed[0].error, /did not finish within/);
    db.close();
  });
});
