/** `iam2sso breakglass create|test|rollback`: the emergency IAM user and the alarm on its use (work in breakglass-run.ts). */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { BreakGlassFlags } from './breakglass-run.js';
import type { Io } from './io.js';
import { parseUrlFlag } from './parse.js';

function common(command: Command): Command {
  return command
    .option('--account <id>', "the account of the break-glass user (default: the credentials' account)")
    .option('--user <name>', "the user (default: the plan's break-glass user, else break-glass-admin)")
    .option('--topic <arn>', 'an SNS topic of yours to alarm to (default: iam2sso makes iam2sso-break-glass-alarm)')
    .option('--plan <file>', 'plan file naming the break-glass user', 'migration-plan.yaml')
    .option('--json', 'print the result as JSON', false)
    .option('--state <path>', 'state database (journal)', DEFAULT_STATE_PATH)
    .option(
      '--endpoint-url <url>',
      'AWS endpoint for every service (AWS_ENDPOINT_URL also works)',
      parseUrlFlag('--endpoint-url'),
    )
    .option('--assume-role <name>', 'role to act in a member account with', 'OrganizationAccountAccessRole');
}

/** Registers `iam2sso breakglass`. */
export function registerBreakGlass(program: Command, io: Io): void {
  const bg = program
    .command('breakglass')
    .description('keep one emergency IAM user, with a console password, hardware MFA and an alarm on any use');
  common(bg.command('create'))
    .description(
      'make the break-glass user (policy, console password shown once, tags) and its EventBridge -> SNS alarm',
    )
    .option('--dry-run', 'show the changes, make none', false)
    .option('--auto-approve', 'make the changes without asking', false)
    .action(async (flags: BreakGlassFlags) => {
      const { runBreakGlassCreate } = await import('./breakglass-run.js');
      await runBreakGlassCreate(flags, io);
    });
  common(bg.command('test'))
    .description(
      'check the alarm (rule, target, topic policy); in the sandbox also sign in as the user and show the alarm delivered',
    )
    .option('--password-stdin', 'read the console password from stdin (sandbox sign-in)', false)
    .action(async (flags: BreakGlassFlags) => {
      const { runBreakGlassTest } = await import('./breakglass-run.js');
      await runBreakGlassTest(flags, io);
    });
  bg.command('rollback')
    .description(
      'undo a `breakglass create` run (default: every one not undone yet, newest first): the alarm, and the user if iam2sso made it',
    )
    .argument('[run-id]', 'the run to undo')
    .option('--dry-run', 'show the undo changes, make none', false)
    .option('--auto-approve', 'undo without asking', false)
    .option('--json', 'print the result as JSON', false)
    .option('--state <path>', 'state database (journal)', DEFAULT_STATE_PATH)
    .option('--endpoint-url <url>', 'AWS endpoint for every service', parseUrlFlag('--endpoint-url'))
    .option('--assume-role <name>', 'role to act in a member account with', 'OrganizationAccountAccessRole')
    .action(async (runId: string | undefined, flags: BreakGlassFlags) => {
      const { runBreakGlassRollback } = await import('./breakglass-run.js');
      await runBreakGlassRollback(runId, flags, io);
    });
}
