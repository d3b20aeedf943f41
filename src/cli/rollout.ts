/** `iam2sso rollout messages`: what to tell each person and service-account owner. Work in rollout-run.ts. */
import type { Command } from 'commander';
import type { Io } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';
import type { RolloutFlags } from './rollout-run.js';

/** Registers `rollout`. */
export function registerRollout(program: Command, io: Io): void {
  const rollout = program.command('rollout').description('communicate the migration to the people it moves');
  rollout
    .command('messages')
    .description(
      'one message per person (start URL, accounts and permission sets, how to sign in, aws configure sso and the profiles to expect, what happens to their IAM user and when) and one per service account (the replacement and the steps)',
    )
    .option('--plan <file>', 'the migration plan', DEFAULT_PLAN_FILE)
    .option('--format <format>', 'md, html or eml', 'md')
    .option('--out <dir>', 'write one file per message there (default: print them)')
    .option('--start-url <url>', 'the AWS access portal URL (default: read from the Identity Center instance)')
    .option('--region <region>', 'the Identity Center region (default: AWS_REGION)')
    .option('--cutover-date <yyyy-mm-dd>', 'when IAM users lose their passwords and keys (default: 30 days from today)')
    .option('--from <address>', 'sender of the e-mails', 'platform-team@localhost')
    .option('--endpoint-url <url>', 'AWS endpoint override')
    .option('--json', 'print what was written (or the messages) as JSON')
    .action(async (flags: RolloutFlags) => {
      await (await import('./rollout-run.js')).runRolloutMessages(flags, io);
    });
}
