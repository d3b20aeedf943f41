/** Runs the iam2sso CLI in this process (fast; for behaviour that does not need a process of its own). */
import { runCli } from '../../src/cli/main.js';

export type InProcessResult = { status: number; stdout: string; stderr: string; json<T = unknown>(): T };

/**
 * Runs `iam2sso <args>` through runCli with `env` applied to process.env for the duration (restored after).
 * Calls are serialized: process.env is shared.
 */
export async function runInProcess(args: string[], env: Record<string, string> = {}): Promise<InProcessResult> {
  const saved = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  try {
    const status = await runCli(args, {
      out: (t) => {
        stdout += t.endsWith('\n') ? t : `${t}\n`;
      },
      err: (t) => {
        stderr += t.endsWith('\n') ? t : `${t}\n`;
      },
      isTty: false,
    });
    return { status, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
