/** `iam2sso rollback RUN_ID`: reverts a journaled run from its undo records (the work is in rollback-run.ts). */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';
import { parseUrlFlag } from './parse.js';
import type { RollbackFlags } from './rollback-run.js';

/** Registers `iam2sso rollback`. */
export function registerRollback(program: Command, io: Io): void {
  program
    .command('rollback')
    .description('revert a run (see `iam2sso runs`) in reverse order from its undo records; resumable')
    .argument('<run-id>', 'the run to revert')
    .option('--dry-run', 'show the undo changes, make none', false)
    .option('--auto-approve', 'roll back without asking', false)
    .option('--json', 'print the result as JSON', false)
    .option('--state <path>', 'state database (journal)', DEFAULT_STATE_PATH)
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option(
      '--endpoint-url <url>',
      'AWS endpoint for every service (AWS_ENDPOINT_URL also works)',
      parseUrlFlag('--endpoint-url'),
    )
    .option(
      '--assume-role <name>',
      'breakglass, replace, decommission runs: role to reach member accounts with',
      'OrganizationAccountAccessRole',
    )
    .option('--password-file <file>', 'decommission runs: write restored console passwords here (mode 0600)')
    .addHelpText(
      'after',
      '\nRuns of breakglass, replace, scp and decommission are undone as their own rollbacks do (`breakglass rollback`,\n`replace --rollback`, `scp --rollback`, `decommission --rollback`); a decommission run is undone for the users it\nchanged, each back to the stage before, after any later stage of theirs is undone.',
    )
    .action(async (runId: string, flags: RollbackFlags) => {
      const { runRollbackCommand } = await import('./rollback-run.js');
      await runRollbackCommand(runId, flags, io);
    });
}
