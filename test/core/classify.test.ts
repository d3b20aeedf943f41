import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { classifyUser } from '../../src/core/classify.js';
import { type ClassificationRules, defaultClassificationRules } from '../../src/core/classify-rules.js';
import type { Category, Confidence } from '../../src/core/model.js';
import { buildUser, type CaseUser, NOW } from './cases/user-builder.js';

type Case = {
  name: string;
  user: CaseUser;
  rules?: Partial<ClassificationRules>;
  expect: { category: Category; confidence?: Confidence; decidedBy?: string };
};

const cases = parse(readFileSync(new URL('./cases/classify.yaml', import.meta.url), 'utf8')) as Case[];

describe('classification case table', () => {
  for (const c of cases) {
    it(c.name, () => {
      const rules = { ...defaultClassificationRules(), ...c.rules };
      const got = classifyUser(buildUser(c.user), rules, NOW);
      assert.equal(got.category, c.expect.category, `evidence: ${got.evidence.join(' | ')}`);
      if (c.expect.confidence) assert.equal(got.confidence, c.expect.confidence, got.evidence.join(' | '));
      if (c.expect.decidedBy) assert.equal(got.decidedBy, c.expect.decidedBy);
      assert.ok(got.evidence.length > 0, 'every verdict carries evidence');
    });
  }

  it('gives every user exactly one of the five categories, with evidence', () => {
    const categories = new Set(
      cases.map((c) => classifyUser(buildUser(c.user), defaultClassificationRules(), NOW).category),
    );
    for (const cat of categories)
      assert.ok(['human-console', 'human-programmatic', 'service', 'break-glass', 'stale'].includes(cat));
  });
});
