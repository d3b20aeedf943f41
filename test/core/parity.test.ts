import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { compareAccess, unacknowledgedGaps } from '../../src/core/parity.js';
import { accessOf } from '../../src/core/policy/access.js';
import type { PolicyCompiler } from '../../src/core/policy/compile.js';
import { awsDoc, fullCompiler, SEED_INLINE } from '../helpers/plan-kit.js';

type DocRef = { seed?: boolean; aws?: string; doc?: object };
type Case = {
  name: string;
  before: DocRef[];
  beforeBoundary?: DocRef;
  after: DocRef[][];
  gaps?: string[];
  gapsInclude?: string[];
  gapsExclude?: string[];
  excess?: string[];
  excessInclude?: string[];
  excessExclude?: string[];
  needsReview?: number;
};

const cases = JSON.parse(readFileSync(new URL('./cases/plan/parity.json', import.meta.url), 'utf8')) as Case[];

function text(ref: DocRef): string {
  if (ref.seed) return JSON.stringify(SEED_INLINE);
  if (ref.aws) return awsDoc(ref.aws);
  return JSON.stringify({ Version: '2012-10-17', ...ref.doc });
}

describe('access parity on real policy documents', () => {
  let compiler: PolicyCompiler;
  before(async () => {
    compiler = await fullCompiler();
  });
  const size = () => compiler.expander.catalog.size;
  const access = (refs: DocRef[], boundary?: DocRef) =>
    accessOf(
      refs.map((r, i) => ({ label: `p${i}`, policy: compiler.compile(text(r)) })),
      boundary ? compiler.compile(text(boundary)) : null,
      size(),
    );

  for (const c of cases) {
    test(c.name, () => {
      const result = compareAccess(
        access(c.before, c.beforeBoundary),
        c.after.map((set) => access(set)),
        compiler.expander.catalog,
      );
      if (c.gaps) assert.deepEqual(result.gaps, c.gaps);
      for (const g of c.gapsInclude ?? [])
        assert.ok(result.gaps.includes(g), `gaps should include ${g}: ${result.gaps.slice(0, 10)}`);
      for (const g of c.gapsExclude ?? [])
        assert.ok(!result.gaps.some((x) => x === g || x.startsWith(`${g} `)), `gaps should not include ${g}`);
      if (c.excess) assert.deepEqual(result.excess, c.excess);
      for (const e of c.excessInclude ?? [])
        assert.ok(result.excess.includes(e), `excess should include ${e}: ${result.excess.slice(0, 10)}`);
      for (const e of c.excessExclude ?? []) assert.ok(!result.excess.includes(e), `excess should not include ${e}`);
      if (c.needsReview !== undefined)
        assert.equal(result.needsReview.length, c.needsReview, result.needsReview.join('\n'));
    });
  }

  test('acknowledged entries cover gaps exactly or by wildcard; the rest stay open', () => {
    const gaps = ['s3:PutObject', 's3:DeleteObject', 'iam:CreateUser', 's3:GetObject on arn:aws:s3:::b/*'];
    assert.deepEqual(unacknowledgedGaps(gaps, ['s3:*']), ['iam:CreateUser']);
    assert.deepEqual(unacknowledgedGaps(gaps, ['iam:CreateUser', 's3:PutObject']), [
      's3:DeleteObject',
      's3:GetObject on arn:aws:s3:::b/*',
    ]);
    assert.deepEqual(unacknowledgedGaps(gaps, ['*']), []);
    assert.deepEqual(unacknowledgedGaps(gaps, []), gaps);
  });
});
