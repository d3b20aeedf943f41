/** `iam2sso sandbox up|manifest`: the local sandbox cloud. The work is in sandbox-run.ts, loaded when these run. */
import type { Command } from 'commander';
import type { Io } from './io.js';
import { parseIntFlag, parseRateFlag } from './parse.js';
import type { UpFlags } from './sandbox-run.js';
import { registerSandboxSignin } from './sandbox-signin.js';

function collectFault(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function scenarioFlags(cmd: Command): Command {
  return cmd
    .option(
      '--scenario <name>',
      'small, medium, large, existing-iic (Identity Center already in use), direct-saml (SAML federation straight to IAM), standalone (one account, no organization), or the path of a scenario YAML file',
      'small',
    )
    .option('--seed <n>', 'random seed: the same seed builds the same estate', parseIntFlag('--seed', 0), 1)
    .option('--accounts <n>', 'number of accounts (overrides the scenario)', parseIntFlag('--accounts', 1, 500))
    .option(
      '--users-per-account <n>',
      'IAM users per account (overrides the scenario)',
      parseIntFlag('--users-per-account', 0, 5000),
    );
}

export function registerSandbox(program: Command, io: Io): void {
  const sandbox = program.command('sandbox').description('the local sandbox cloud (AWS and Entra wire protocols)');

  scenarioFlags(
    sandbox
      .command('up')
      .description('serve the sandbox on 127.0.0.1 until interrupted')
      .option('--port <n>', 'port to listen on (0 picks a free one)', parseIntFlag('--port', 0, 65535), 4566)
      .option('--info-file <path>', 'write connection details as JSON once the server answers'),
  )
    .option('--latency-ms <n>', 'delay added to every AWS call', parseIntFlag('--latency-ms', 0, 60000), 0)
    .option(
      '--throttle-rate <r>',
      'share of AWS calls refused as throttled (0..1)',
      parseRateFlag('--throttle-rate'),
      0,
    )
    .option(
      '--error-rate <r>',
      'share of AWS calls failing with a server error (0..1)',
      parseRateFlag('--error-rate'),
      0,
    )
    .option(
      '--fault <rule>',
      'make matching calls fail, repeatable: service:operation[:account]=error[xCOUNT]; error is an AWS/Graph ' +
        'error code (AccessDenied, Throttling, ServiceUnavailable, Authorization_RequestDenied, ...), html503 (an HTML ' +
        '503 page), reset (connection reset) or timeout (never answers); operation * matches any; e.g. ' +
        'iam:ListServiceSpecificCredentials=AccessDenied, iam:GetAccountAuthorizationDetails:111111111111=html503x3, ' +
        'graph:users=reset',
      collectFault,
      [],
    )
    .action(async (flags: UpFlags) => (await import('./sandbox-run.js')).runSandboxUp(flags, io));

  scenarioFlags(
    sandbox.command('manifest').description("print the scenario's estate with each user's intended category"),
  )
    .option('--json', 'print JSON (the only format)', true)
    .action(async (flags: UpFlags) => (await import('./sandbox-run.js')).runSandboxManifest(flags, io));

  registerSandboxSignin(sandbox, io);
}
