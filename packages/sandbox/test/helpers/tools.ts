/**
 * Tools beyond Node that some checks need (the AWS CLI v2, Chromium). One rule for every test: with the tool, the
 * check runs; without it under CI (`CI` set and not `false`/`0`) the test fails, so a green CI run never hides a
 * missing tool; without it locally the check is skipped and `scripts/run-tests.mjs` lists why at the end. Only the
 * checks that use the tool go behind it: the rest of the test always runs.
 */
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** A tool a test may need. */
export type Tool = 'aws' | 'chromium';

const TOOLS: Record<Tool, { path: string; name: string; install: string }> = {
  aws: { path: '/usr/bin/aws', name: 'AWS CLI v2', install: 'apt-get install awscli (Debian) or the AWS installer' },
  chromium: { path: '/usr/bin/chromium', name: 'Chromium', install: 'apt-get install chromium' },
};

/** Marks a diagnostic as a skipped check; the runner's skip reporter collects these. */
export const SKIPPED_CHECK = 'skipped check:';

/** Whether this is a CI run, where a missing tool is an error rather than a skip. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== 'false' && v !== '0';
}

/**
 * Whether the tool is installed where the tests look for it. `IAM2SSO_TEST_WITHOUT=aws,chromium` makes the tests
 * behave as if those were missing, to check the runs a machine without them gets.
 */
export function hasTool(tool: Tool): boolean {
  const hidden = (process.env.IAM2SSO_TEST_WITHOUT ?? '').split(',').map((x) => x.trim());
  return !hidden.includes(tool) && existsSync(TOOLS[tool].path);
}

function missing(tool: Tool): string {
  return `${TOOLS[tool].path} (${TOOLS[tool].name}) not installed`;
}

function failUnderCi(tool: Tool, checks: string): void {
  if (isCi())
    throw new Error(`${missing(tool)}, needed for ${checks}; CI must run every check: ${TOOLS[tool].install}`);
}

/**
 * Guards the checks of a test that use `tool`: true when they can run. Without the tool: throws under CI, and
 * locally records "`checks` skipped" (printed by the runner at the end) and returns false.
 */
export function requireTool(t: TestContext, tool: Tool, checks: string): boolean {
  if (hasTool(tool)) return true;
  failUnderCi(tool, checks);
  t.diagnostic(`${SKIPPED_CHECK} ${checks} in "${t.name}": ${missing(tool)}`);
  return false;
}

/**
 * For a test that is about `tool` and nothing else: true (and the test marked skipped, with the reason) when it
 * cannot run locally; throws under CI. Call first and return when it answers true.
 */
export function skipWithoutTool(t: TestContext, tool: Tool): boolean {
  if (hasTool(tool)) return false;
  failUnderCi(tool, `"${t.name}"`);
  t.skip(missing(tool));
  return true;
}
