/**
 * `iam2sso plan`: from the latest (or a given) audit to migration-plan.yaml, keeping a reviewer's edits and
 * saying what changed; `iam2sso plan export`: the plan as Terraform, CSV or XLSX. The work is in plan-run.ts,
 * loaded when a plan command runs, so other commands start without the policy engine.
 */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';
import type { ExportFlags, PlanFlags } from './plan-run.js';

/** The plan file `iam2sso plan` writes and `apply` reads when none is named. */
export const DEFAULT_PLAN_FILE = 'migration-plan.yaml';

export function registerPlan(program: Command, io: Io): void {
  const plan = program
    .command('plan')
    .description('propose permission sets, Entra groups and assignments from the latest audit (migration-plan.yaml)')
    .option('--out <file>', 'plan file to write (its edits are kept)', DEFAULT_PLAN_FILE)
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--run <id>', 'audit run to plan from (default: the latest)')
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--mapping <file>', 'identity mapping file, CSV or YAML rows of account,user,upn')
    .option(
      '--directory-lookup',
      'look up users no mapping file, tag or template places in the Entra directory (plan.identity.directoryLookup)',
      false,
    )
    .option('--reset', 'ignore edits in the existing plan file and regenerate everything', false)
    .option(
      '--adopt-existing',
      'bring an Identity Center already in use into the plan: its permission sets, directory groups and group assignments as adopt: entries, an Entra group of the same name for each directory group, who would lose sign-in on the identity-source switch (reads Identity Center and Entra)',
      false,
    )
    .option(
      '--outside-identity-center <accounts>',
      "keep these accounts (comma-separated ids) outside Identity Center: direct SAML federation from Entra's AWS Single-Account Access app (outsideIdentityCenter:), no assignments there",
      (v: string, prev: string[] = []) => [
        ...prev,
        ...v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ],
    )
    .option('--json', 'print the plan as JSON on stdout', false)
    .option(
      '--detailed-exitcode',
      'only compare: exit 0 when Identity Center and Entra match the plan file, 2 while changes are pending (the file is read, never rewritten)',
      false,
    )
    .action(async (flags: PlanFlags) => {
      const { runPlan } = await import('./plan-run.js');
      if (!flags.detailedExitcode) return runPlan(flags, io);
      const { withDetailedExitcode } = await import('./plan-pending.js');
      return withDetailedExitcode(() => runPlan(flags, io));
    });
  plan
    .command('export')
    .description('write the plan as Terraform (aws_ssoadmin_*), CSV or XLSX')
    .requiredOption('--format <format>', 'terraform, csv or xlsx')
    .option('--out <file>', 'output file (default: stdout for terraform and csv)')
    .option('--plan <file>', 'plan file to export', DEFAULT_PLAN_FILE)
    .option('--state <path>', 'state database (for the policies column of the spreadsheet)', DEFAULT_STATE_PATH)
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--azuread', 'terraform: groups as azuread_group resources instead of aws_identitystore_group', false)
    .action(async (flags: ExportFlags, cmd: Command) => {
      const { runExport, withParentFlags } = await import('./plan-run.js');
      return runExport(withParentFlags(flags, cmd), io);
    });
}
