import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig, parseConfig } from '../../src/config/config.js';
import { classifyUser } from '../../src/core/classify.js';
import { ValidationFailed } from '../../src/errors.js';
import { buildUser, NOW } from '../core/cases/user-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('iam2sso.yaml classification and overrides', () => {
  it('reads rules and overrides that change the verdicts', () => {
    const { config, problems } = parseConfig(
      `classification:
  staleAfterDays: 30
  servicePatterns: ['^robot-']
  tagRules:
    - { key: Kind, value: pipeline, category: service }
  userAgents:
    cli: ['^my-cli/']
overrides:
  - account: 222222222222
    user: alice
    category: break-glass
    reason: the safe's account
`,
      'iam2sso.yaml',
    );
    assert.deepEqual(problems, []);
    const rules = config.classification;
    assert.equal(rules.staleAfterDays, 30);
    assert.deepEqual(rules.servicePatterns, ['^robot-']);
    assert.deepEqual(rules.userAgents.cli, ['^my-cli/']);
    assert.ok(rules.userAgents.sdk.length > 0, 'unnamed lists keep their defaults');
    const robot = classifyUser(buildUser({ name: 'robot-1', keys: [{ ageDays: 10, usedDaysAgo: 1 }] }), rules, NOW);
    assert.equal(robot.category, 'service');
    const tagged = classifyUser(
      buildUser({ name: 'x', console: true, passwordUsedDaysAgo: 1, tags: { kind: 'Pipeline' } }),
      rules,
      NOW,
    );
    assert.equal(tagged.decidedBy, 'tag:Kind');
    const alice = classifyUser(
      buildUser({ name: 'alice', console: true, passwordUsedDaysAgo: 1, mfa: true }),
      rules,
      NOW,
    );
    assert.deepEqual([alice.category, alice.decidedBy], ['break-glass', 'override']);
    const idle = classifyUser(
      buildUser({ name: 'bob', console: true, passwordUsedDaysAgo: 40, mfa: true }),
      rules,
      NOW,
    );
    assert.equal(idle.category, 'stale');
  });

  it('reports every problem with its line, not just the first', () => {
    const { problems } = parseConfig(
      `classification:
  staleAfterDays: -4
  servicePatterns: ['(unclosed']
  colour: blue
overrides:
  - { account: '12', user: bob, category: robot }
  - { user: carol }
nonsense: 1
`,
      'iam2sso.yaml',
    );
    const lines = problems.map((p) => [p.line, p.message.split(' ').slice(0, 2).join(' ')]);
    assert.deepEqual(
      problems.map((p) => p.line),
      [2, 3, 4, 6, 6, 7, 7, 8],
      JSON.stringify(lines),
    );
    const text = problems.map((p) => p.message).join('\n');
    assert.match(text, /staleAfterDays must be a whole number from 1 to 3650/);
    assert.match(text, /not a valid regular expression/);
    assert.match(text, /unknown key "colour" in classification/);
    assert.match(text, /account must be a 12-digit AWS account id/);
    assert.match(text, /category must be one of human-console/);
    assert.match(text, /overrides\[1\] needs account/);
    assert.match(text, /unknown key "nonsense" in the file/);
  });

  it('reads 12-digit account ids written without quotes, leading zeros included', () => {
    const { config, problems } = parseConfig(
      'overrides:\n  - { account: 012345678901, user: a, category: service }\n',
      'f.yaml',
    );
    assert.deepEqual(problems, []);
    assert.equal(config.classification.overrides[0].account, '012345678901');
  });

  it('fails loading with all problems, uses the defaults without a file, and reports YAML syntax errors', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'classification:\n  staleAfterDays: [1\n');
    assert.throws(
      () => loadConfig(bad),
      (e: unknown) => e instanceof ValidationFailed && e.problems.length > 0 && e.problems[0].file === bad,
    );
    const none = loadConfig(undefined, dir);
    assert.equal(none.file, null);
    assert.equal(none.config.classification.staleAfterDays, 90);
    assert.throws(() => loadConfig(join(dir, 'missing.yaml')), ValidationFailed);
  });
});
