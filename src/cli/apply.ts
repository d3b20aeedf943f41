/** `iam2sso apply`: makes the plan true in Identity Center and Entra (the work is in src/apply, loaded lazily). */
import { type Command, Option } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { ApplyFlags } from './apply-run.js';
import type { Io } from './io.js';
import { parseDurationFlag, parseIntFlag } from './parse.js';

export function registerApply(program: Command, io: Io): void {
  program
    .command('apply')
    .description('reconcile Identity Center (permission sets, assignments) and Entra (groups, members) to the plan')
    .option('--plan <file>', 'plan file to apply', 'migration-plan.yaml')
    .option('--auto-approve', 'apply without asking', false)
    .option('--dry-run', 'show the writes apply would make, make none', false)
    .option('--json', 'print the result as JSON', false)
    .option('--state <path>', 'state database (journal)', DEFAULT_STATE_PATH)
    .option('--concurrency <n>', 'changes in flight at once', parseIntFlag('--concurrency', 1, 64), 8)
    .option(
      '--rate <n>',
      'Identity Center requests per second, shared by SSO Admin and Identity Store (AWS allows about 20; default 20 or IAM2SSO_IDENTITY_CENTER_RPS)',
      parseIntFlag('--rate', 1, 1000),
    )
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--endpoint-url <url>', 'AWS endpoint for every service (AWS_ENDPOINT_URL also works)')
    .option(
      '--assume-role <name>',
      'role to read member accounts with (stale-plan check)',
      'OrganizationAccountAccessRole',
    )
    .addOption(
      new Option(
        '--wait <duration>',
        "identitySource scim: how long to wait for Entra's provisioning to bring the new groups into the Identity Store before assigning them (90s, 45m, 2h; 0: no wait)",
      )
        .argParser(parseDurationFlag('--wait', true))
        .default(45 * 60_000, '45m'),
    )
    .option('--break-lock', 'take the writer lease even if another run holds it (only when that run is gone)', false)
    .option(
      '--allow-mass-delete',
      'delete more than 10% (at least 5) of the owned objects of a kind in one run (refused otherwise)',
      false,
    )
    .action(async (flags: ApplyFlags) => {
      const { runApplyCommand } = await import('./apply-run.js');
      await runApplyCommand(flags, io);
    });
}
