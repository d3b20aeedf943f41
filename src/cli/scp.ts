/** `iam2sso scp plan|apply` and `scp --rollback`: the SCP that stops new IAM users (the work is in scp-run.ts). */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';
import type { ScpFlags } from './scp-run.js';

/** Registers `iam2sso scp`. */
export function registerScp(program: Command, io: Io): void {
  program
    .command('scp')
    .description(
      'a service control policy denying new IAM users, passwords, access keys and user policies in member accounts ' +
        '(break-glass users, Identity Center roles and --except principals excepted); the management account is never affected by SCPs',
    )
    .argument('[action]', 'plan (show the policy and the diff) or apply (attach it)')
    .option('--target <id>', 'where to attach it: ROOT, an OU id (ou-...) or an account id', 'ROOT')
    .option('--except <arns>', 'more principals to leave alone, comma-separated IAM ARNs (wildcards allowed)')
    .option('--plan <file>', 'plan file whose break-glass users are excepted', 'migration-plan.yaml')
    .option('--rollback', 'detach and delete the SCP the latest `scp apply` made', false)
    .option('--dry-run', 'show the writes, make none', false)
    .option('--auto-approve', 'apply without asking', false)
    .option('--json', 'print the result as JSON', false)
    .option('--state <path>', 'state database (journal)', DEFAULT_STATE_PATH)
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--endpoint-url <url>', 'AWS endpoint for every service (AWS_ENDPOINT_URL also works)')
    .action(async (action: string | undefined, flags: ScpFlags) => {
      const { runScpCommand } = await import('./scp-run.js');
      await runScpCommand(action, flags, io);
    });
}
