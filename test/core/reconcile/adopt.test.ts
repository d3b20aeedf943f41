import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PlannedAdoption } from '../../../src/core/plan-adopt.js';
import { type AdoptionInventory, checkAdoptions, withAdoptions } from '../../../src/core/reconcile/adopt.js';
import { type Change, describeChange, undoOf } from '../../../src/core/reconcile/changes.js';
import { executeChanges, type Performer } from '../../../src/reconcile/executor.js';
import { stateJournal } from '../../../src/reconcile/journal.js';
import { openStateDb } from '../../../src/store/db.js';
import { runEntries } from '../../../src/store/journal-repo.js';
import { listOwned, stateOwnership } from '../../../src/store/ownership-repo.js';

const inventory: AdoptionInventory = {
  permissionSets: [
    { name: 'LegacyAdmin', id: 'arn:ps-1' },
    { name: 'Made', id: 'arn:ps-2' },
  ],
  entraGroups: [
    { name: 'Ops', id: 'e-1' },
    { name: 'Twins', id: 'e-2' },
    { name: 'twins', id: 'e-3' },
  ],
  storeGroups: [{ name: 'Ops', id: 's-1' }],
  storeUsers: [{ name: 'ana@example.com', id: 'u-1' }],
  assignments: [{ accountId: '111111111111', permissionSet: 'LegacyAdmin', group: 'Ops' }],
};

const nobody = () => null;

describe('adoptions checked against the live state', () => {
  it('turns each entry naming exactly one unowned object into an adopt change with its live id', () => {
    const adopt: PlannedAdoption[] = [
      { kind: 'permission-set', name: 'LegacyAdmin' },
      { kind: 'entra-group', name: 'OPS' },
      { kind: 'store-group', name: 'ops' },
      { kind: 'store-user', name: 'Ana@example.com' },
      { kind: 'assignment', accountId: '111111111111', permissionSet: 'LegacyAdmin', group: 'ops' },
    ];
    const { changes, problems } = checkAdoptions(adopt, inventory, nobody);
    assert.deepEqual(problems, []);
    assert.deepEqual(changes.map(describeChange), [
      '= adopt permission set LegacyAdmin (arn:ps-1)',
      '= adopt Entra group OPS (e-1)',
      '= adopt Identity Store group ops (s-1)',
      '= adopt Identity Store user Ana@example.com (u-1)',
      '= adopt assignment 111111111111 LegacyAdmin -> ops',
    ]);
    assert.deepEqual(
      changes.map((c) => (c.kind === 'object.adopt' ? c.object : null)),
      [
        { kind: 'permission-set', key: 'LegacyAdmin' },
        { kind: 'entra-group', key: 'ops' },
        { kind: 'store-group', key: 'ops' },
        { kind: 'store-user', key: 'ana@example.com' },
        { kind: 'assignment', key: '111111111111|LegacyAdmin|ops' },
      ],
    );
  });

  it('refuses an unknown object, an ambiguous name and an object the tool created; skips one already adopted', () => {
    const adopt: PlannedAdoption[] = [
      { kind: 'permission-set', name: 'legacyadmin' },
      { kind: 'entra-group', name: 'Twins' },
      { kind: 'permission-set', name: 'Made' },
      { kind: 'store-user', name: 'ana@example.com' },
      { kind: 'assignment', accountId: '222222222222', permissionSet: 'LegacyAdmin', group: 'Ops' },
    ];
    const origin = (ref: { kind: string; key: string }) =>
      ref.key === 'Made' ? 'created' : ref.kind === 'store-user' ? 'adopted' : null;
    const { changes, problems } = checkAdoptions(adopt, inventory, origin);
    assert.deepEqual(changes, []);
    assert.deepEqual(
      problems.map((p) => [p.path.join('.'), p.message]),
      [
        [
          'adopt.0',
          'no permission set legacyadmin exists in Identity Center (names are case-sensitive: did you mean LegacyAdmin?)',
        ],
        [
          'adopt.1',
          '2 objects match Entra group Twins (ids e-2, e-3): the name is ambiguous; rename all but one first, then adopt it',
        ],
        ['adopt.2', 'permission set Made is already managed by iam2sso (it created it): remove this entry'],
        [
          'adopt.4',
          'no assignment 222222222222 LegacyAdmin -> Ops exists: adopt only an assignment Identity Center has (to a group; check account, permission set and group)',
        ],
      ],
    );
  });

  it('counts the planned adoptions as adopted in the live read, and nothing else', () => {
    const lookup = withAdoptions({ originOf: nobody }, [{ kind: 'entra-group', name: 'Ops' }]);
    assert.equal(lookup.originOf({ kind: 'entra-group', key: 'ops' }), 'adopted');
    assert.equal(lookup.originOf({ kind: 'store-group', key: 'ops' }), null);
  });
});

describe('the executor and adoption', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-adopt-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('records an adoption as adopted when it is journaled, lets the adopted set be updated, and undoes by releasing', async () => {
    const db = await openStateDb(join(dir, 'state.db'));
    const ownership = stateOwnership(db);
    const calls: string[] = [];
    const performer: Performer = {
      resolve: (c): Record<string, string> => (c.kind === 'object.adopt' ? { objectId: c.objectId ?? '' } : {}),
      async perform(c) {
        calls.push(c.kind);
        return c.kind === 'object.adopt' ? { objectId: c.objectId } : undefined;
      },
      limit: (_c, fn) => fn(),
      concurrency: () => 2,
    };
    const adopt: Change = {
      kind: 'object.adopt',
      object: { kind: 'permission-set', key: 'LegacyAdmin' },
      objectId: 'arn:ps-1',
      label: 'permission set LegacyAdmin',
    };
    const attach: Change = { kind: 'ps.attach-managed', name: 'LegacyAdmin', policyArn: 'arn:aws:iam::aws:policy/X' };
    const run = await executeChanges([attach, adopt], performer, {
      runId: 'r1',
      journal: stateJournal(db, 'r1', 'plan'),
      ownership,
      log: () => {},
    });
    assert.deepEqual(run.refused, []);
    assert.deepEqual(calls, ['object.adopt', 'ps.attach-managed']);
    assert.deepEqual(
      listOwned(db).map((o) => [o.kind, o.key, o.origin, o.objectId]),
      [['permission-set', 'LegacyAdmin', 'adopted', 'arn:ps-1']],
    );
    const journaled = runEntries(db, 'r1').find((e) => e.kind === 'object.adopt');
    assert.equal(journaled?.status, 'done');
    assert.deepEqual(journaled?.undo, undoOf(adopt));
    // Rolling back releases the record (the object itself is left as it is).
    const release = undoOf(adopt)!;
    await executeChanges([release], performer, {
      runId: 'r2',
      journal: stateJournal(db, 'r2', 'plan'),
      ownership,
      log: () => {},
    });
    assert.deepEqual(listOwned(db), []);
    db.close();
  });
});
