/** Runs the iam2sso CLI in a child process (asynchronously, so an in-process sandbox keeps answering). */
import { fileURLToPath } from 'node:url';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { type CliResult, runAsync } from '../../packages/sandbox/test/helpers/sandbox.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = fileURLToPath(new URL('../../bin/iam2sso.js', import.meta.url));

/**
 * The node arguments that run `iam2sso <args>`: the compiled CLI when scripts/run-tests.mjs has just built it
 * (IAM2SSO_TEST_BUILT=1: no TypeScript loader to start in every child, the same code as `npx iam2sso`), else the
 * sources through tsx (a test file run on its own).
 */
export function iam2ssoArgv(args: string[]): string[] {
  if (process.env.IAM2SSO_TEST_BUILT === '1') return [BUILT, ...args];
  return ['--conditions=iam2sso-source', '--import', 'tsx', MAIN, ...args];
}

/** The environment that points the AWS SDK's standard chain at a sandbox (and nothing from the host's config). */
export function sandboxEnv(sandbox: RunningSandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...sandboxClientEnv(sandbox.info),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    NODE_NO_WARNINGS: '1',
    ...extra,
  };
}

/** Runs `iam2sso <args>` with `env` (see sandboxEnv); resolves with status, stdout, stderr and `json()`. */
export function runIam2sso(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return runAsync(process.execPath, iam2ssoArgv(args), { ...env, NODE_PATH: `${ROOT}node_modules` }, timeoutMs);
}
