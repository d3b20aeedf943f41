/** `iam2sso explain UPN`: why a person can or cannot sign in. The work is in explain-run.ts, loaded when it runs. */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { ExplainFlags } from './explain-run.js';
import type { Io } from './io.js';

/** Registers `explain`. */
export function registerExplain(program: Command, io: Io): void {
  program
    .command('explain')
    .description(
      'follow one person through every link of a sign-in (Entra user, app assignment, SAML certificate, Identity Store user, groups, account assignments, permission sets, AWSReservedSSO_ roles, sign-ins seen); stops at the first broken link with its cause and the fix (exit 1)',
    )
    .argument('<upn>', "the person's user principal name")
    .option('--account <id>', 'only this AWS account')
    .option('--app-name <name>', 'display name of the Entra enterprise app (default: both names iam2sso uses)')
    .option('--assume-role <name>', 'role to read member accounts through', 'OrganizationAccountAccessRole')
    .option('--endpoint-url <url>', 'AWS endpoint override')
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--json', 'print JSON')
    .option(
      '--state <path>',
      'state database that keeps the result for the dashboard (only if it exists)',
      DEFAULT_STATE_PATH,
    )
    .action(async (upn: string, flags: ExplainFlags) => {
      await (await import('./explain-run.js')).runExplain(upn, flags, io);
    });
}
