/**
 * `iam2sso decommission`: retire the IAM users the plan retires, in stages, with rollback (the work is in
 * decommission-stage.ts, decommission-status.ts and decommission-rollback.ts, loaded lazily).
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { RollbackFlags } from './decommission-rollback.js';
import type { StageFlags } from './decommission-stage.js';
import type { Io } from './io.js';

const STAGES = ['disable-console', 'deactivate-keys', 'delete'];

function common(command: Command): Command {
  return command
    .option(
      '--plan <file>',
      'plan file (its users with action migrate or decommission are retired)',
      'migration-plan.yaml',
    )
    .option('--users <names>', 'these users only: NAME or ACCOUNT/NAME, comma-separated')
    .option('--account <id>', "this account's retired users only")
    .option('--all', 'every user the plan retires', false)
    .option('--state <path>', 'state database (stages, snapshots, journal, track data)', DEFAULT_STATE_PATH)
    .option('--config <path>', 'settings file (decommission.watchDays, decommission.requireSsoSignIn)')
    .option('--json', 'print the result as JSON', false)
    .option('--assume-role <name>', 'role to reach member accounts with', 'OrganizationAccountAccessRole')
    .option('--endpoint-url <url>', 'AWS endpoint for every service (AWS_ENDPOINT_URL also works)');
}

/** Registers `iam2sso decommission` and `iam2sso decommission status`. */
export function registerDecommission(program: Command, io: Io): void {
  const decommission = common(
    program
      .command('decommission')
      .description(
        'retire IAM users in stages: --stage disable-console, then deactivate-keys, then (after the watch window, with no legacy use seen by track and SSO access proven) delete; --rollback undoes them',
      ),
  )
    .option('--stage <stage>', STAGES.join(' | '))
    .option(
      '--rollback',
      "undo the selected users' stages from the journal (keys re-activated, console restored, users recreated)",
      false,
    )
    .option(
      '--password-file <file>',
      'rollback: write restored console passwords here (mode 0600) instead of the terminal',
    )
    .option('--dry-run', 'show the changes, make none', false)
    .option('--auto-approve', 'make the changes without asking (without it and without a terminal: a dry run)', false)
    .option('--allow-mass-delete', 'act on more than 10% (at least 5) of the retired users in one run', false)
    .addHelpText(
      'after',
      '\nA delete cannot give back access keys, service-specific credentials, MFA devices or the old password: a rollback\nrecreates the user with its policies, groups and tags and a new reset-required password.',
    )
    .action(async (flags: StageFlags & RollbackFlags & { rollback: boolean; stage?: string }) => {
      if (flags.rollback && flags.stage) throw new UsageError('--rollback and --stage do not go together');
      if (flags.rollback) {
        const { runRollback } = await import('./decommission-rollback.js');
        return runRollback(flags, io);
      }
      if (!flags.stage || !STAGES.includes(flags.stage))
        throw new UsageError(`say what to do: --stage ${STAGES.join('|')}, --rollback, or \`decommission status\``);
      const { runStage } = await import('./decommission-stage.js');
      await runStage(flags, io);
    });
  const saml = decommission
    .command('saml')
    .description(
      'retire direct SAML federation (Entra "AWS Single-Account Access" apps, IAM SAML providers, the roles trusting them, the provisioning user) only after nobody uses it: --stage disable, then (after the watch window) --stage delete (takes --plan, --account, --state, --config, --dry-run, --auto-approve, --json)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Only what the plan lists under directSaml: and the audit read as direct SAML is touched (never AWSReservedSSO_ roles or',
        "the AWSSSO_ provider). --stage disable turns the account's Entra app off (accountEnabled false) once every role of the",
        'account has its Identity Center replacement assigned and `track` read the last decommission.watchDays days with no',
        'AssumeRoleWithSAML use of it; --stage delete, a watch window later with still no use, snapshots and deletes the roles,',
        'then each provider none of whose roles remain, the provisioning user of an account left with no provider, and the',
        'Entra application of an account left with no role (restorable from deleted items for 30 days).',
        'Without --auto-approve and no terminal it is a dry run. `iam2sso rollback RUN` undoes a run: roles recreated from',
        'their snapshot, providers from their stored metadata, the application restored, its sign-in enabled again.',
      ].join('\n'),
    )
    .action(async () => {
      const flags = { ...decommission.opts(), ...saml.opts() } as StageFlags & { rollback?: boolean };
      // The users' options mean nothing here: refuse them rather than act on more than was asked.
      if (flags.users || flags.all || flags.rollback)
        throw new UsageError(
          '`decommission saml` takes --account (or no selection: every direct SAML role of the plan); undo a run with `iam2sso rollback RUN`',
        );
      const { runSamlStage } = await import('./decommission-saml.js');
      await runSamlStage(flags, io);
    });
  const status = decommission
    .command('status')
    .description(
      'every IAM user the plan retires: stage, since when, last legacy use, what blocks the next stage (takes --plan, --users, --account, --state, --config, --json)',
    )
    // The options are decommission's own (Commander hands them to the parent command wherever they are typed).
    .action(async () => {
      const { runStatus } = await import('./decommission-status.js');
      await runStatus({ ...decommission.opts(), ...status.opts() } as StageFlags, io);
    });
}
