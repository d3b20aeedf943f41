import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Change, changeId, ownerCheck, undoOf } from '../../../src/core/reconcile/changes.js';
import { dependenciesOf } from '../../../src/core/reconcile/order.js';
import { syncChanges } from '../../../src/core/sync/changes.js';
import { diffSync } from '../../../src/core/sync/diff.js';
import { buildInput, type CaseInput } from './builder.js';

function changesOf(c: CaseInput): Change[] {
  const input = buildInput(c);
  const diff = diffSync(input);
  return syncChanges({
    diff,
    store: input.store,
    users: new Map(input.users.map((u) => [u.id, u])),
    groups: new Map(input.groups.map((g) => [g.id, g])),
  });
}

const leaver: CaseInput = {
  leavers: 'delete',
  entra: {
    users: [
      { id: 'u1', upn: 'ana.berg@x.com' },
      { id: 'u3', upn: 'cy.rossi@x.com', deleted: true },
    ],
    groups: [
      { id: 'g1', name: 'AWS-Admins', members: ['u1'] },
      { id: 'g2', name: 'AWS-Readers', members: ['u1'] },
    ],
  },
  store: {
    users: [
      { id: 's1', userName: 'ana.berg@x.com' },
      { id: 's3', userName: 'cy.rossi@x.com', display: 'Cy Rossi', given: 'Cy', family: 'Rossi', emails: ['cy@x.com'] },
    ],
    groups: [
      { id: 't1', name: 'AWS-Admins' },
      { id: 't2', name: 'AWS-Readers' },
    ],
    memberships: ['t1 s1', 't1 s3', 't2 s1', 't2 s3'],
  },
  links: [
    { entra: 'u1', target: 's1' },
    { entra: 'u3', target: 's3' },
    { entra: 'g1', target: 't1', kind: 'group' },
    { entra: 'g2', target: 't2', kind: 'group' },
  ],
};

describe('sync changes', () => {
  it("the delete of a user records the user's attributes and groups, and its undo recreates both", () => {
    const del = changesOf(leaver).find((c) => c.kind === 'store.user.delete');
    assert.deepEqual(del, {
      kind: 'store.user.delete',
      upn: 'cy.rossi@x.com',
      attributes: {
        userName: 'cy.rossi@x.com',
        displayName: 'Cy Rossi',
        givenName: 'Cy',
        familyName: 'Rossi',
        email: 'cy@x.com',
      },
      groups: ['AWS-Admins', 'AWS-Readers'],
    });
    assert.deepEqual(undoOf(del!), { ...del, kind: 'store.user.create' });
    assert.deepEqual(ownerCheck(del!), { kind: 'store-user', key: 'cy.rossi@x.com' });
  });

  it('a user created in the run is added to its groups only after its create (a failed create cancels them)', () => {
    const changes = changesOf({
      entra: {
        users: [{ id: 'u1', upn: 'Ana.Berg@x.com' }],
        groups: [{ id: 'g1', name: 'AWS-Admins', members: ['u1'] }],
      },
    });
    assert.deepEqual(changes.map(changeId).sort(), [
      'store.group.create:aws-admins',
      'store.member.add:aws-admins:ana.berg@x.com',
      'store.user.create:ana.berg@x.com',
    ]);
    const deps = dependenciesOf(changes);
    assert.deepEqual(deps.get('store.member.add:aws-admins:ana.berg@x.com'), [
      'store.group.create:aws-admins',
      'store.user.create:ana.berg@x.com',
    ]);
  });

  it('an update names the user as the store has it (its owner check), and its undo puts the old attributes back', () => {
    const changes = changesOf({
      entra: {
        users: [{ id: 'u1', upn: 'ana.novak@x.com', display: 'Ana Novak' }],
        groups: [{ id: 'g1', name: 'AWS-Admins', members: ['u1'] }],
      },
      store: {
        users: [{ id: 's1', userName: 'ana.berg@x.com', display: 'Ana Berg' }],
        groups: [{ id: 't1', name: 'AWS-Admins' }],
        memberships: ['t1 s1'],
      },
      links: [
        { entra: 'u1', target: 's1' },
        { entra: 'g1', target: 't1', kind: 'group' },
      ],
    });
    const update = changes.find((c) => c.kind === 'store.user.update')!;
    assert.ok(update.kind === 'store.user.update');
    assert.equal(update.upn, 'ana.berg@x.com');
    assert.equal(update.to.userName, 'ana.novak@x.com');
    assert.deepEqual(ownerCheck(update), { kind: 'store-user', key: 'ana.berg@x.com' });
    const undo = undoOf(update)!;
    assert.ok(undo.kind === 'store.user.update');
    assert.deepEqual([undo.upn, undo.to, undo.from], ['ana.novak@x.com', update.from, update.to]);
  });

  it("a group rename is undone by renaming it back, and the group's owner check follows its current name", () => {
    const rename: Change = {
      kind: 'store.group.update',
      name: 'AWS-Old',
      from: { displayName: 'AWS-Old', description: 'a' },
      to: { displayName: 'AWS-New', description: 'b' },
    };
    assert.deepEqual(undoOf(rename), { ...rename, name: 'AWS-New', from: rename.to, to: rename.from });
    assert.deepEqual(ownerCheck(rename), { kind: 'store-group', key: 'aws-old' });
  });
});
