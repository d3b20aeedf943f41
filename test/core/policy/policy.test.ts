import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { bitIds, countBits } from '../../../src/core/policy/bitset.js';
import { parsePolicyDocument, policyJson } from '../../../src/core/policy/document.js';
import type { ActionExpander } from '../../../src/core/policy/expand.js';
import { mergePolicies } from '../../../src/core/policy/merge.js';
import { measureInlinePolicy } from '../../../src/core/policy/size.js';
import { splitStatements } from '../../../src/core/policy/split.js';
import { awsDoc, fullCompiler } from '../../helpers/plan-kit.js';

type MergeCase = { name: string; documents: object[]; expect: object };
const mergeCases = JSON.parse(
  readFileSync(new URL('../cases/plan/merge.json', import.meta.url), 'utf8'),
) as MergeCase[];

describe('policy documents', () => {
  test('parses single values, arrays, URL-encoded text and reports bad statements', () => {
    const encoded = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } }),
    );
    const p = parsePolicyDocument(encoded);
    assert.deepEqual(p.statements[0].actions, ['s3:GetObject']);
    const bad = parsePolicyDocument(
      JSON.stringify({
        Statement: [
          { Effect: 'Maybe', Action: '*' },
          { Effect: 'Allow', Action: 'a:b', NotAction: 'c:d' },
        ],
      }),
    );
    assert.equal(bad.problems.length, 2);
    assert.match(parsePolicyDocument('{not json').problems[0].message, /not valid JSON/);
  });

  for (const c of mergeCases) {
    test(`merge: ${c.name}`, () => {
      const merged = mergePolicies(c.documents.map((d, i) => ({ source: `d${i}`, document: JSON.stringify(d) })));
      assert.deepEqual(JSON.parse(policyJson(merged.statements)), c.expect);
    });
  }
});

describe('action expansion against the full catalog', () => {
  let expander: ActionExpander;
  before(async () => {
    expander = (await fullCompiler()).expander;
  });
  const names = (patterns: string[]) => bitIds(expander.expand(patterns).bits).map((id) => expander.catalog.names[id]);

  test('the catalog holds every service, over 15,000 actions', () => {
    assert.ok(expander.catalog.size > 15_000, `${expander.catalog.size}`);
    assert.ok(expander.catalog.services.has('s3') && expander.catalog.services.has('ec2'));
  });

  test('* is every action; service:* is the whole service; prefixes and ? expand case-insensitively', () => {
    assert.equal(countBits(expander.expand(['*']).bits), expander.catalog.size);
    const s3 = expander.catalog.services.get('s3')!;
    assert.equal(countBits(expander.expand(['S3:*']).bits), s3.end - s3.start);
    const describe = names(['ec2:describe*']);
    assert.ok(describe.includes('ec2:DescribeInstances') && describe.every((n) => n.startsWith('ec2:Describe')));
    assert.deepEqual(names(['s3:GetObjec?']), ['s3:GetObject']);
  });

  test('NotAction leaves every other action, other services included', () => {
    const rest = expander.expandNot(['iam:*']);
    assert.equal(countBits(rest.bits), expander.catalog.size - countBits(expander.expand(['iam:*']).bits));
  });

  test('literal actions the catalog lacks are kept by name', () => {
    assert.deepEqual(expander.expand(['madeup:DoThing']).unknown, ['madeup:dothing']);
  });

  test('AWS managed ReadOnlyAccess expands to read actions of many services', () => {
    const compiled = (async () => (await fullCompiler()).compile(awsDoc('ReadOnlyAccess')))();
    return compiled.then((c) => {
      const n = c.allows.reduce((sum, g) => sum + countBits(g.actions), 0);
      assert.ok(n > 1000, `${n}`);
    });
  });
});

describe('inline policy limits and splitting', () => {
  const statementOfSize = (target: number) => {
    // One statement whose minified policy has exactly `target` non-whitespace characters.
    const base = policyJson([
      {
        sid: null,
        effect: 'Allow',
        actions: ['s3:GetObject'],
        notActions: null,
        resources: ['arn:aws:s3:::x'],
        notResources: null,
        condition: null,
      },
    ]);
    const pad = 'x'.repeat(target - base.length);
    return {
      sid: null,
      effect: 'Allow' as const,
      actions: ['s3:GetObject'],
      notActions: null,
      resources: [`arn:aws:s3:::x${pad}`],
      notResources: null,
      condition: null,
    };
  };

  test('10,240 non-whitespace characters fit; 10,241 do not', () => {
    assert.equal(measureInlinePolicy(policyJson([statementOfSize(10_240)])).nonWhitespace, 10_240);
    assert.ok(measureInlinePolicy(policyJson([statementOfSize(10_240)])).fits);
    assert.ok(!measureInlinePolicy(policyJson([statementOfSize(10_241)])).fits);
  });

  test('32,768 characters in all fit; whitespace counts toward that limit only', () => {
    const text = `${'{}'}${' '.repeat(32_766)}`;
    assert.ok(measureInlinePolicy(text).fits);
    assert.ok(!measureInlinePolicy(`${text} `).fits);
  });

  test('a policy over the limit splits into parts that each fit, with every Deny in each part', () => {
    const allows = Array.from({ length: 60 }, (_, i) => ({
      sid: null,
      effect: 'Allow' as const,
      actions: ['s3:GetObject', 's3:PutObject'],
      notActions: null,
      resources: [`arn:aws:s3:::bucket-${i}-${'a'.repeat(200)}/*`],
      notResources: null,
      condition: null,
    }));
    const deny = {
      sid: null,
      effect: 'Deny' as const,
      actions: ['s3:DeleteBucket'],
      notActions: null,
      resources: ['*'],
      notResources: null,
      condition: null,
    };
    const result = splitStatements([deny, ...allows]);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.ok(result.parts.length >= 2);
    for (const part of result.parts) {
      assert.ok(measureInlinePolicy(policyJson(part)).fits);
      assert.ok(part.some((s) => s.effect === 'Deny'));
    }
    assert.equal(result.parts.flat().filter((s) => s.effect === 'Allow').length, 60);
  });

  test('one Allow statement too big on its own is cut by its actions', () => {
    const actions = Array.from({ length: 900 }, (_, i) => `ec2:SomeAction${i.toString().padStart(4, '0')}`);
    const big = {
      sid: null,
      effect: 'Allow' as const,
      actions,
      notActions: null,
      resources: ['*'],
      notResources: null,
      condition: null,
    };
    const result = splitStatements([big]);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.ok(result.parts.length >= 2);
    assert.equal(result.parts.flat().flatMap((s) => s.actions ?? []).length, 900);
  });

  test('Deny statements that alone exceed the limit are reported, not split', () => {
    const denies = Array.from({ length: 40 }, (_, i) => ({
      sid: null,
      effect: 'Deny' as const,
      actions: ['s3:*'],
      notActions: null,
      resources: [`arn:aws:s3:::${'d'.repeat(300)}${i}`],
      notResources: null,
      condition: null,
    }));
    const result = splitStatements(denies);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.id, 'policy.deny-too-large');
  });
});
