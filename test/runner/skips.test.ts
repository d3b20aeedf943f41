import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAsync } from '../../packages/sandbox/test/helpers/sandbox.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs scripts/run-tests.mjs on the fixture folder only, as if the AWS CLI were missing. */
function runFixtures(extra: Record<string, string>) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    IAM2SSO_TEST_DIRS: 'test/runner/fixtures',
    IAM2SSO_TEST_WITHOUT: 'aws',
    // The suite running this test has built dist/ already: a build here would rewrite it (tsc writes every file)
    // while other test files run the compiled CLI from it.
    IAM2SSO_TEST_BUILT: '1',
    ...extra,
  };
  return runAsync('/bin/sh', ['-c', `cd "${ROOT}" && "${process.execPath}" scripts/run-tests.mjs`], env);
}

describe('tests that need a missing tool', () => {
  it('locally: pass, skip only the tool checks, and the runner lists what was skipped and why', async () => {
    const r = await runFixtures({});
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /2 skipped:/);
    assert.match(
      r.stdout,
      /the CLI read-back in "checks without the CLI, then with it": \/usr\/bin\/aws .* not installed/,
    );
    assert.match(r.stdout, /test "is about the CLI only": \/usr\/bin\/aws .* not installed/);
  });

  it('under CI: fail the run, naming the tool', async () => {
    const r = await runFixtures({ CI: 'true' });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /\/usr\/bin\/aws \(AWS CLI v2\) not installed, needed for the CLI read-back; CI must run/);
    assert.match(r.stdout, /ℹ fail 2/);
  });
});
