import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Change, changeId, createdObject, ownerCheck, undoOf } from '../../../src/core/reconcile/changes.js';
import { findMassChanges, massThreshold } from '../../../src/core/reconcile/guard.js';
import { dependenciesOf, orderChanges, phaseOf } from '../../../src/core/reconcile/order.js';
import { gateByReads } from '../../../src/core/reconcile/read-gate.js';

const samples: Change[] = [
  { kind: 'ps.create', name: 'Dev', description: 'd', sessionDuration: 'PT1H' },
  {
    kind: 'ps.update',
    name: 'Dev',
    to: { description: 'a', sessionDuration: 'PT2H' },
    from: { description: 'b', sessionDuration: 'PT1H' },
  },
  { kind: 'ps.attach-managed', name: 'Dev', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
  { kind: 'ps.detach-customer-managed', name: 'Dev', policy: { name: 'p', path: '/' } },
  { kind: 'ps.put-inline', name: 'Dev', document: '{"a":1}', previous: '{"a":0}' },
  { kind: 'ps.put-inline', name: 'Dev', document: '{"a":1}', previous: null },
  { kind: 'ps.delete-boundary', name: 'Dev', previous: { managedPolicyArn: 'arn:b' } },
  { kind: 'assignment.create', accountId: '111111111111', permissionSet: 'Dev', group: 'G' },
  { kind: 'entra.member.add', group: 'G', upn: 'a@x' },
  { kind: 'store.group.create', name: 'G' },
];

describe('typed changes', () => {
  it('undoing the undo of a reversible change gives the change back', () => {
    for (const c of samples) {
      if (c.kind === 'ps.create' || c.kind === 'store.group.create') continue;
      assert.deepEqual(undoOf(undoOf(c)!), c, c.kind);
    }
  });

  it('a create is undone by a delete of the same object, and records that object as owned', () => {
    const create = samples[0];
    assert.equal(undoOf(create)?.kind, 'ps.delete');
    assert.deepEqual(createdObject(create), { kind: 'permission-set', key: 'Dev' });
    assert.equal(ownerCheck(create), null, 'a create needs no prior ownership');
    assert.deepEqual(ownerCheck(undoOf(create)!), { kind: 'permission-set', key: 'Dev' });
  });

  it('every change of a permission set or group checks that the tool owns it', () => {
    assert.deepEqual(ownerCheck(samples[2]), { kind: 'permission-set', key: 'Dev' });
    assert.deepEqual(ownerCheck(samples[8]), { kind: 'entra-group', key: 'g' });
    assert.deepEqual(ownerCheck({ kind: 'assignment.delete', accountId: '1', permissionSet: 'Dev', group: 'G' }), {
      kind: 'assignment',
      key: '1|Dev|g',
    });
  });
});

describe('ordering', () => {
  const rename: Change[] = [
    { kind: 'entra.group.delete', name: 'Old', members: ['a@x'] },
    { kind: 'store.group.delete', name: 'Old', members: ['a@x'] },
    { kind: 'assignment.delete', accountId: '1', permissionSet: 'Dev', group: 'Old' },
    { kind: 'entra.group.create', name: 'New' },
    { kind: 'store.group.create', name: 'New' },
    { kind: 'entra.member.add', group: 'New', upn: 'a@x' },
    { kind: 'store.member.add', group: 'New', upn: 'a@x' },
    { kind: 'assignment.create', accountId: '1', permissionSet: 'Dev', group: 'New' },
  ];

  it('renaming a group: the old group and its assignment wait for the new group and its assignment', () => {
    const deps = dependenciesOf(rename);
    const newGroup = changeId(rename[3]);
    const newAssignment = changeId(rename[7]);
    assert.ok(deps.get(changeId(rename[0]))!.includes(newGroup));
    assert.ok(deps.get(changeId(rename[1]))!.includes(newAssignment));
    assert.ok(deps.get(changeId(rename[2]))!.includes(newAssignment));
    assert.ok(deps.get(newAssignment)!.includes(changeId(rename[4])), 'the assignment waits for its group');
  });

  it('every prerequisite runs in an earlier phase', () => {
    const deps = dependenciesOf(rename);
    const phase = new Map(rename.map((c) => [changeId(c), phaseOf(c)]));
    for (const [id, ds] of deps) for (const d of ds) assert.ok(phase.get(d)! < phase.get(id)!, `${d} before ${id}`);
    const ordered = orderChanges(rename);
    assert.equal(ordered[0].kind, 'entra.group.create');
    assert.ok(ordered.at(-1)!.kind.endsWith('group.delete'));
  });

  it('a member leaves a group only after joining the one that replaces it', () => {
    const move: Change[] = [
      { kind: 'store.member.remove', group: 'A', upn: 'u@x' },
      { kind: 'store.member.add', group: 'B', upn: 'U@x' },
    ];
    assert.deepEqual(dependenciesOf(move).get(changeId(move[0])), [changeId(move[1])]);
  });
});

describe('mass-change guard and read gate', () => {
  it('allows max(5, 10%) removals of a kind and refuses more', () => {
    assert.equal(massThreshold(10), 5);
    assert.equal(massThreshold(200), 20);
    assert.deepEqual(findMassChanges([{ kind: 'store-user', removals: 5, owned: 10 }]), []);
    assert.equal(findMassChanges([{ kind: 'store-user', removals: 21, owned: 200 }])[0].threshold, 20);
  });

  it('holds deletes in accounts the audit did not read fully or the plan does not cover, and lets creates go', () => {
    const changes: Change[] = [
      { kind: 'assignment.delete', accountId: '1', permissionSet: 'Dev', group: 'G' },
      { kind: 'assignment.delete', accountId: '2', permissionSet: 'Dev', group: 'G' },
      { kind: 'assignment.delete', accountId: '3', permissionSet: 'Dev', group: 'G' },
      { kind: 'assignment.create', accountId: '2', permissionSet: 'Dev', group: 'H' },
    ];
    const out = gateByReads(changes, new Set(['1', '3']), new Set(['1', '2']));
    assert.deepEqual(
      out.changes.map((c) => changeId(c)),
      [changeId(changes[0]), changeId(changes[3])],
    );
    assert.match(out.held[0].reason, /not fully read/);
    assert.match(out.held[1].reason, /not covered by the plan/);
  });

  it('holds what would take access away in an unread account through a shared group or permission set', () => {
    const live = [
      { accountId: '1', permissionSet: 'Dev', group: 'AWS-One-Dev' },
      { accountId: '2', permissionSet: 'Ops', group: 'AWS-Two-Ops' },
    ];
    const changes: Change[] = [
      { kind: 'store.group.delete', name: 'aws-two-ops', members: [] },
      { kind: 'entra.group.delete', name: 'AWS-One-Dev', members: [] },
      { kind: 'store.member.remove', group: 'AWS-Two-Ops', upn: 'ann@example.com' },
      { kind: 'entra.member.remove', group: 'AWS-One-Dev', upn: 'bob@example.com' },
      { kind: 'ps.delete', name: 'Ops', snapshot: {} as never },
    ];
    // Account 2 was not read fully: everything that serves it waits; what serves account 1 goes on.
    const out = gateByReads(changes, new Set(['1']), new Set(['1', '2']), live);
    assert.deepEqual(
      out.changes.map((c) => c.kind),
      ['entra.group.delete', 'entra.member.remove'],
    );
    assert.deepEqual(
      out.held.map((h) => h.item),
      [
        'store.group.delete aws-two-ops (serves 2)',
        'store.member.remove AWS-Two-Ops member ann@example.com (serves 2)',
        'ps.delete Ops (serves 2)',
      ],
    );
    assert.ok(out.held.every((h) => /not fully read/.test(h.reason)));
  });
});
