/** `iam2sso sandbox signin|aws-config`: a person's sign-in on the sandbox. The work is loaded when they run. */
import type { Command } from 'commander';
import type { Io } from './io.js';
import type { AwsConfigFlags } from './sandbox-aws-config-run.js';
import type { SigninFlags } from './sandbox-signin-run.js';

/** Adds the sign-in subcommands to `sandbox`. */
export function registerSandboxSignin(sandbox: Command, io: Io): void {
  sandbox
    .command('signin')
    .description(
      "sign in as a person of the scenario the way a browser does (Entra's form, SAML to Identity Center, the access portal) and list their accounts, permission sets and role credentials",
    )
    .requiredOption('--user <upn>', "the person's user principal name (the manifest lists each person's password)")
    .option('--device-code <code>', 'also approve this pending `aws sso login` device code (the code the CLI prints)')
    .option('--no-credentials', 'list accounts and permission sets without fetching role credentials')
    .option('--endpoint-url <url>', 'the sandbox (default: AWS_ENDPOINT_URL)')
    .option('--json', 'print JSON (with the full role credentials: sandbox sessions only)')
    .action(async (flags: SigninFlags) => (await import('./sandbox-signin-run.js')).runSandboxSignin(flags, io));

  sandbox
    .command('aws-config')
    .description(
      'write an AWS CLI configuration for a person (an sso-session and one profile per account and permission set) and what the AWS CLI needs to reach the sandbox; prints the exports',
    )
    .requiredOption('--user <upn>', "the person's user principal name")
    .requiredOption('--dir <dir>', 'where to write config and models/')
    .option('--endpoint-url <url>', 'the sandbox (default: AWS_ENDPOINT_URL)')
    .option('--json', 'print JSON')
    .action(async (flags: AwsConfigFlags) =>
      (await import('./sandbox-aws-config-run.js')).runSandboxAwsConfig(flags, io),
    );
}
