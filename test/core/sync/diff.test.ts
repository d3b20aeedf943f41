import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { diffSync, isEmptySyncDiff, syncCounts } from '../../../src/core/sync/diff.js';
import { buildInput, type CaseInput, renderDiff } from './builder.js';

type Expect = Partial<ReturnType<typeof renderDiff>> & { unchangedUsers?: number; unchangedMemberships?: number };
type Case = CaseInput & { name: string; expect: Expect };

const cases = parse(readFileSync(new URL('./cases.yaml', import.meta.url), 'utf8')) as Case[];

describe('sync diff case table', () => {
  for (const c of cases) {
    it(c.name, () => {
      const input = buildInput(c);
      const diff = diffSync(input);
      const got = renderDiff(diff, input);
      const empty = { create: [], update: [], deactivate: [], delete: [], groupsCreate: [], groupsUpdate: [] };
      const expected = { ...empty, groupsDelete: [], add: [], remove: [], conflicts: [], ...c.expect };
      for (const key of Object.keys(got) as (keyof typeof got)[]) {
        if (key === 'rules' && !c.expect.rules) continue;
        assert.deepEqual(got[key], key === 'rules' ? expected.rules : [...(expected[key] as string[])].sort(), key);
      }
      if (c.expect.unchangedUsers !== undefined) assert.equal(diff.users.unchanged, c.expect.unchangedUsers);
      if (c.expect.unchangedMemberships !== undefined)
        assert.equal(diff.memberships.unchanged, c.expect.unchangedMemberships);
    });
  }
});

describe('sync diff properties', () => {
  it('is empty once the store holds what a previous diff asked for', () => {
    const c = cases.find((k) => k.name.startsWith('nothing to do'))!;
    const diff = diffSync(buildInput(c));
    assert.ok(isEmptySyncDiff(diff), JSON.stringify(syncCounts(diff)));
  });

  it('flattens a 200-deep chain of nested groups in linear time and ignores cycles', () => {
    const users = Array.from({ length: 200 }, (_, i) => ({ id: `u${i}`, upn: `user${i}@x.com` }));
    const groups = Array.from({ length: 200 }, (_, i) => ({
      id: `g${i}`,
      name: i === 0 ? 'AWS-Top' : `Nested-${i}`,
      members: [`u${i}`, `g${(i + 1) % 200}`],
    }));
    const input = buildInput({ entra: { users, groups } });
    const diff = diffSync(input);
    assert.equal(diff.users.create.length, 200);
    assert.equal(diff.memberships.add.length, 200);
    assert.ok(diff.memberships.add.every((m) => m.groupEntraId === 'g0'));
  });
});
