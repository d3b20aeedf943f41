/** Test helpers: a sandbox on a free port, SDK clients and AWS CLI v2 runs pointed at it. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/index.js';

/** Starts a sandbox on a free port; close it in `after`. */
export function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  return startSandbox({ scenario: 'small', seed: 1, port: 0, ...options });
}

/** Client configuration for AWS SDK v3 clients against the sandbox. */
export function sdkConfig(sandbox: RunningSandbox, credentials = sandbox.info.credentials) {
  return {
    endpoint: sandbox.info.endpoint,
    region: sandbox.info.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
  };
}

/** Debian's AWS CLI v2 (an `aws` earlier on PATH may be v1). */
export const AWS_CLI = '/usr/bin/aws';
export const hasAwsCli = existsSync(AWS_CLI);

export type CliResult = { status: number; stdout: string; stderr: string; json<T = unknown>(): T };

/** Runs a command without blocking the event loop (the sandbox under test answers in this process). */
export function runAsync(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr, json: <T>() => JSON.parse(stdout) as T });
    });
  });
}

/** Runs the AWS CLI v2 against the sandbox with `--endpoint-url` and the given credentials. */
export function awsCli(
  sandbox: RunningSandbox,
  args: string[],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = sandbox.info.credentials,
): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: sandbox.info.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return runAsync(AWS_CLI, ['--endpoint-url', sandbox.info.endpoint, '--output', 'json', ...args], env);
}
