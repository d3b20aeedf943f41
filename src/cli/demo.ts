/** `iam2sso demo`: the whole migration on the built-in sandbox cloud (flags; the work is in demo-run.ts). */
import type { Command } from 'commander';
import type { Io } from './io.js';

/** The flags of `iam2sso demo`. */
export type DemoFlags = { dir: string; seed: number; json: boolean; progress?: boolean };

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run audit, plan, apply and sync on a sandbox cloud started in this process, and explain the result')
    .option('--dir <path>', 'where the state database, plan and report go', 'iam2sso-demo')
    .option('--seed <n>', 'scenario seed', (v) => Number.parseInt(v, 10), 1)
    .option('--json', 'print the summary as JSON', false)
    .action(async (flags: DemoFlags) => {
      await (await import('./demo-run.js')).runDemo(flags, io);
    });
}
