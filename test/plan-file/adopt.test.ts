import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlannedAdoption } from '../../src/core/plan-adopt.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { locatePlanProblems, parsePlanText } from '../../src/plan-file/read.js';
import { renderPlanYaml } from '../../src/plan-file/render.js';

const FILE = 'migration-plan.yaml';
const ACCOUNT = '111111111111';

function plan(adopt: unknown[]): MigrationPlan {
  return {
    formatVersion: 1,
    createdAt: '2026-12-01T00:00:00Z',
    fingerprint: { runId: 'r1', takenAt: '2026-12-01T00:00:00Z', accounts: [{ accountId: ACCOUNT, hash: 'h' }] },
    permissionSets: [
      {
        key: 'k1',
        name: 'LegacyAdmin',
        sessionDuration: 'PT1H',
        kind: 'admin',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        customerManagedPolicies: [],
        inlinePolicy: null,
        permissionsBoundary: null,
        reason: 'adopted',
      },
    ],
    groups: [
      {
        key: 'g1',
        name: 'Ops',
        description: 'ops',
        members: [],
        assignments: [{ accountId: ACCOUNT, permissionSet: 'LegacyAdmin' }],
      },
    ],
    users: [],
    serviceAccounts: [],
    problems: [],
    adopt: adopt as PlannedAdoption[],
  };
}

const read = (adopt: unknown[]) => {
  const text = renderPlanYaml(plan(adopt));
  return { text, result: parsePlanText(text, FILE, { quota: 10, strict: true }) };
};

/** The 1-based line of the first line containing `needle` at or after line `from`. */
const lineOf = (text: string, needle: string, from = 1) =>
  text.split('\n').findIndex((l, i) => i + 1 >= from && l.includes(needle)) + 1;

describe('the adopt: section of the plan file', () => {
  test('reads every adoptable kind and keeps the entries as written', () => {
    const entries = [
      { kind: 'permission-set', name: 'LegacyAdmin' },
      { kind: 'assignment', accountId: ACCOUNT, permissionSet: 'LegacyAdmin', group: 'ops' },
      { kind: 'store-group', name: 'Ops' },
      { kind: 'entra-group', name: 'ops' },
      { kind: 'store-user', name: 'ana@example.com', reason: 'made by hand in 2024' },
    ];
    const { result } = read(entries);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.plan?.adopt, entries);
  });

  test('reports every bad entry at its own line: unknown kind, missing fields, twice, not in the plan', () => {
    const { text, result } = read([
      { kind: 'permision-set', name: 'X' },
      { kind: 'assignment', accountId: '123', permissionSet: 'LegacyAdmin' },
      { kind: 'permission-set', name: 'NotPlanned' },
      { kind: 'entra-group', name: 'Nobody' },
      { kind: 'assignment', accountId: ACCOUNT, permissionSet: 'LegacyAdmin', group: 'Other' },
      { kind: 'store-group', name: 'Ops' },
      { kind: 'store-group', name: 'OPS' },
    ]);
    assert.equal(result.plan, null);
    const lines = text.split('\n');
    const start = lineOf(text, 'adopt:');
    const entryLines = lines.map((_l, i) => i + 1).filter((n) => n > start && /^\s*- kind:/.test(lines[n - 1]));
    // [message, entry, field]: a problem on a field is at that field's line, one on a whole entry at its first line.
    const expect: [RegExp, number, string | null][] = [
      [/adopt\[0\]\.kind: unknown kind "permision-set" \(did you mean "permission-set"\?\)/, 0, 'kind'],
      [/adopt\[1\]\.accountId: account id "123" must be exactly 12 digits/, 1, 'accountId'],
      [/adopt\[1\]\.group: group is required/, 1, null],
      [/adopt\[2\]\.name: adopted permission set NotPlanned is not in permissionSets/, 2, 'name'],
      [/adopt\[3\]\.name: adopted group Nobody is not in groups/, 3, 'name'],
      [/adopt\[4\]: adopted assignment 111111111111 LegacyAdmin -> Other is not in groups\[\]\.assignments/, 4, null],
      [/adopt\[6\]: adopted twice \(also adopt\[5\]\)/, 6, null],
    ];
    assert.equal(result.problems.length, expect.length, JSON.stringify(result.problems, null, 1));
    for (const [message, entry, field] of expect) {
      const p: { file: string; line?: number; message: string } | undefined = result.problems.find((x) =>
        message.test(x.message),
      );
      assert.ok(p, `expected ${message} in ${JSON.stringify(result.problems)}`);
      assert.equal(p.file, FILE);
      const at = entryLines[entry];
      assert.equal(p.line, field ? lineOf(text, `${field}:`, at) : at, p.message);
    }
  });

  test('problems found later against the live state are placed at the entry in the file', () => {
    const { text } = read([
      { kind: 'permission-set', name: 'LegacyAdmin' },
      { kind: 'store-user', name: 'ghost@example.com' },
    ]);
    const [p] = locatePlanProblems(text, FILE, [{ path: ['adopt', 1], message: 'no Identity Store user exists' }]);
    assert.equal(p.line, lineOf(text, 'kind: store-user'));
    assert.equal(p.message, 'adopt[1]: no Identity Store user exists');
  });
});
