/** `iam2sso doctor`: why doesn't sign-in work? The work is in doctor-run.ts, loaded when it runs. */
import type { Command } from 'commander';
import type { DoctorFlags } from './doctor-run.js';
import type { Io } from './io.js';

/** Registers `doctor`. */
export function registerDoctor(program: Command, io: Io): void {
  program
    .command('doctor')
    .description(
      'check the prerequisites, the SAML trust between Entra and Identity Center, provisioning and people; each check ok, warning or error with its evidence and fix. Exit 0 without errors, 1 otherwise',
    )
    .option(
      '--idp-metadata <file|url>',
      'the IdP metadata Identity Center was given, to compare with Entra (refused when hostile)',
    )
    .option('--strict', 'warnings fail too (exit 1)')
    .option('--app-name <name>', 'display name of the Entra enterprise app (default: both names iam2sso uses)')
    .option('--state <path>', "state database (for iam2sso sync's last run)")
    .option(
      '--plan <file>',
      'migration plan whose privileged groups are checked for standing members',
      'migration-plan.yaml',
    )
    .option('--assume-role <name>', 'role to read member accounts through', 'OrganizationAccountAccessRole')
    .option('--endpoint-url <url>', 'AWS endpoint override')
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--json', 'print JSON')
    .action(async (flags: DoctorFlags) => {
      await (await import('./doctor-run.js')).runDoctor(flags, io);
    });
}
