/**
 * `iam2sso entra harden`: Conditional Access requiring MFA for the AWS app, and PIM for Groups so that the members
 * of privileged groups are eligible (activated for a few hours with a justification) instead of standing.
 */
import { type Command, Option } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { HardenFlags } from './harden-run.js';
import type { Io } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';

/** Registers `entra harden` under the `entra` command (`connection` adds the Entra connection flags). */
export function registerHarden(entra: Command, io: Io, connection: (c: Command) => Command): void {
  connection(
    entra
      .command('harden')
      .description('require MFA for the AWS app (Conditional Access) and make privileged group members eligible (PIM)')
      .addOption(
        new Option(
          '--conditional-access <mode>',
          'the MFA policy for the AWS app: create it report-only, switch it on or off',
        ).choices(['report-only', 'on', 'off']),
      )
      .option(
        '--pim',
        "make the plan's members of privileged groups eligible through PIM for Groups, with the plan's activation rules",
        false,
      )
      .option('--plan <file>', 'the migration plan (groups, members, privilegedAccess settings)', DEFAULT_PLAN_FILE)
      .option('--state <path>', 'state database (journal and ownership)', DEFAULT_STATE_PATH)
      .option('--dry-run', 'show the changes without making them', false)
      .option(
        '--allow-mass-delete',
        'remove more than 10% (at least 5) of the standing admin memberships or PIM eligibilities in one run',
        false,
      )
      .option('--auto-approve', 'make the changes without asking', false)
      .addHelpText(
        'after',
        "\nEvery change is journaled and can be reverted with `iam2sso rollback RUN`. Emergency-access accounts to leave\nout of the policy go under harden.emergencyAccessAccounts in iam2sso.yaml. Each privileged group's activation\nrules come from privilegedAccess: in the plan (maxActivation, justification, approval, approvers: UPNs or group\nnames). A later --conditional-access run makes the policy iam2sso created follow the plan's groups again.",
      ),
  ).action(async (flags: HardenFlags) => (await import('./harden-run.js')).runHardenCommand(flags, io));
}
