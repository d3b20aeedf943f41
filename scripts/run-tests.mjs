#!/usr/bin/env node
// Runs every test file under test/ and packages/sandbox/test with Node's test runner, TypeScript loaded through
// tsx (the CLI they spawn is built first, see below), then lists what was skipped and why. Under CI (CI set and not
// false/0) any skip fails the run: a missing tool must not pass as green (see packages/sandbox/test/helpers/tools.ts).
// Usage: node scripts/run-tests.mjs [path-substring ...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      // Fixtures are test files that other tests run on purpose (test/runner).
      if (name !== 'node_modules' && name !== 'fixtures') out.push(...findTests(full));
    } else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

function readSkips(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function printSkips(skips, ci) {
  if (skips.length === 0) return;
  const log = ci ? console.error : console.log;
  log(`\n${skips.length} skipped${ci ? ' (CI=true: a skip fails the run)' : ''}:`);
  for (const s of skips) {
    const file = s.file.startsWith('file:') ? fileURLToPath(s.file) : s.file;
    log(`  ${relative(process.cwd(), file) || '?'}: ${s.what}: ${s.reason}`);
  }
}

/** The slowest files (IAM2SSO_TEST_TIMES on 2 cores, 2026-12-06), which start first. */
const SLOWEST = [
  'e2e/decommission',
  'e2e/signin',
  'e2e/harden',
  'e2e/apply-resume',
  'e2e/apply.test',
  'e2e/plan.test',
  'e2e/dashboard.test',
];

/**
 * Files start in this order, `--test-concurrency` at a time: the slowest, then the other end-to-end files, then the
 * rest, so that the short files fill the gaps at the end instead of one long file running alone.
 */
function longFirst(a, b) {
  const rank = (f) => {
    const slow = SLOWEST.findIndex((s) => f.includes(s));
    return slow >= 0 ? slow : f.includes('/e2e/') ? SLOWEST.length : SLOWEST.length + 1;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

const ciValue = (process.env.CI ?? '').trim().toLowerCase();
const ci = ciValue !== '' && ciValue !== 'false' && ciValue !== '0';
const filters = process.argv.slice(2);
// IAM2SSO_TEST_DIRS (comma-separated) replaces the folders searched; test/runner uses it on its fixtures.
const roots = process.env.IAM2SSO_TEST_DIRS?.split(',') ?? ['test', 'packages/sandbox/test'];
const files = roots
  .flatMap((d) => findTests(d))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort(longFirst);
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// The end-to-end tests run the CLI in child processes: build it once here (incremental, seconds when nothing changed)
// so every child runs the compiled CLI, as `npx iam2sso` does, instead of starting a TypeScript loader each time.
// IAM2SSO_TEST_SOURCE=1 runs the children from the sources instead.
const fromSource = process.env.IAM2SSO_TEST_SOURCE === '1';
if (!fromSource && process.env.IAM2SSO_TEST_BUILT !== '1') {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('the build failed: fix it, or run the tests from the sources with IAM2SSO_TEST_SOURCE=1');
    process.exit(build.status ?? 1);
  }
}
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const scratch = mkdtempSync(join(tmpdir(), 'iam2sso-tests-'));
const skipLog = join(scratch, 'skips.jsonl');
const reporter = pathToFileURL(fileURLToPath(new URL('./skip-reporter.mjs', import.meta.url))).href;
const result = spawnSync(
  process.execPath,
  [
    '--conditions=iam2sso-source',
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    `--test-reporter-destination=${skipLog}`,
    // IAM2SSO_TEST_TIMES=FILE writes each file's test time, slowest first (to see where the suite's time goes).
    ...(process.env.IAM2SSO_TEST_TIMES
      ? [
          `--test-reporter=${new URL('./time-reporter.mjs', import.meta.url).href}`,
          `--test-reporter-destination=${process.env.IAM2SSO_TEST_TIMES}`,
        ]
      : []),
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, IAM2SSO_TEST: '1', IAM2SSO_TEST_BUILT: fromSource ? '0' : '1' } },
);
const skips = readSkips(skipLog);
rmSync(scratch, { recursive: true, force: true });
printSkips(skips, ci);
const status = result.status ?? 1;
process.exit(status === 0 && ci && skips.length > 0 ? 1 : status);
