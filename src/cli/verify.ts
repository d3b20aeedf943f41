/** `iam2sso verify`: the live Identity Center roles against the plan (the work is in verify-run.ts, loaded lazily). */
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';

/** The flags of `iam2sso verify`. */
export type VerifyFlags = { plan: string; state: string; json: boolean; assumeRole: string; endpointUrl?: string };

/** Registers `iam2sso verify`. */
export function registerVerify(program: Command, io: Io): void {
  program
    .command('verify')
    .description(
      'compare the live Identity Center roles with the plan (assignments, members, parity from the live documents); exit 1 on differences',
    )
    .option('--plan <file>', 'plan file', 'migration-plan.yaml')
    .option('--state <path>', 'state database (the audit the plan was made from)', DEFAULT_STATE_PATH)
    .option('--json', 'print the verification as JSON', false)
    .option('--assume-role <name>', 'role to read member accounts with', 'OrganizationAccountAccessRole')
    .option('--endpoint-url <url>', 'AWS endpoint for every service (AWS_ENDPOINT_URL also works)')
    .action(async (flags: VerifyFlags) => {
      const { runVerifyCommand } = await import('./verify-run.js');
      await runVerifyCommand(flags, io);
    });
}
