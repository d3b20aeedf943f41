/** `iam2sso replace SERVICE_USER`: makes what replaces a service account's keys (work in replace-run.ts). */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';
import { parseUrlFlag } from './parse.js';
import type { ReplaceFlags } from './replace-run.js';

/** Registers `iam2sso replace`. */
export function registerReplace(program: Command, io: Io): void {
  program
    .command('replace')
    .description(
      "show (and with --apply make) the role that replaces a service account's access keys, as the plan chose, and what its owner changes in the pipeline",
    )
    .argument('<service-user>', 'the IAM user the plan replaces (serviceAccounts[].userName)')
    .option('--account <id>', 'its account, when the name is in more than one')
    .option('--plan <file>', 'plan file', 'migration-plan.yaml')
    .option('--repo <owner/repo>', 'GitHub repository the role trusts (default: the one in the plan)')
    .option('--branch <name>', 'branch the GitHub role trusts', 'main')
    .option('--ca-bundle <file>', 'IAM Roles Anywhere: your CA certificate bundle (PEM) the trust anchor is made from')
    .option('--apply', 'make the changes (otherwise only show them)', false)
    .option('--auto-approve', 'make them without asking', false)
    .option('--rollback [run-id]', 'undo a replace run of this user (default: its latest)')
    .option('--json', 'print the result as JSON', false)
    .option('--state <path>', 'state database (journal, track data)', DEFAULT_STATE_PATH)
    .option(
      '--endpoint-url <url>',
      'AWS endpoint for every service (AWS_ENDPOINT_URL also works)',
      parseUrlFlag('--endpoint-url'),
    )
    .option('--assume-role <name>', 'role to act in a member account with', 'OrganizationAccountAccessRole')
    .action(async (user: string, flags: ReplaceFlags) => {
      const { runReplaceCommand } = await import('./replace-run.js');
      await runReplaceCommand(user, flags, io);
    });
}
