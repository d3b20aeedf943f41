/**
 * Options every command takes, given before or after the command name: the AWS profile and regions, colour,
 * quiet and progress. They are declared once on the program and handed to the command that runs as part of
 * its own flags (so `iam2sso audit --profile prod` and `iam2sso --profile prod audit` mean the same).
 */
import type { Command } from 'commander';
import type { Io } from './io.js';

/** The global options as a command's flags carry them. */
export type GlobalFlags = {
  profile?: string;
  region?: string;
  ssoRegion?: string;
  /** False with `--no-color`. */
  color?: boolean;
  quiet?: boolean;
  /** False with `--no-progress` or `--quiet`. */
  progress?: boolean;
};

const INHERITED = ['profile', 'region', 'ssoRegion', 'color', 'quiet', 'progress'] as const;

/** Declares the global options on `program`; call before the commands are added so their help lists them. */
export function addGlobalOptions(program: Command): void {
  program
    .configureHelp({ showGlobalOptions: true })
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE): its credentials, SSO login, region and endpoint_url')
    .option('--region <region>', "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region)")
    .option(
      '--sso-region <region>',
      "IAM Identity Center's region (else the profile's sso_region or the region, if it has the instance; else searched)",
    )
    .option(
      '--no-color',
      'no colour in output (NO_COLOR also works; never coloured when not a terminal or with --json)',
    )
    .option('-q, --quiet', 'print only results and errors: no progress, notes or summaries on stderr')
    .option('--no-progress', 'no progress output on stderr');
}

/**
 * Hands the program's options to the command about to run, unless the command set the same option itself, and
 * makes `--quiet` imply `--no-progress`. Returns whether the run is quiet.
 */
export function inheritGlobalOptions(program: Command, command: Command): boolean {
  if (command === program) return false;
  for (const key of INHERITED) {
    const source = program.getOptionValueSource(key);
    const own = command.getOptionValueSource(key);
    if (source && source !== 'default' && (!own || own === 'default'))
      command.setOptionValueWithSource(key, program.getOptionValue(key), source);
    else if (own === undefined && program.getOptionValue(key) !== undefined)
      command.setOptionValueWithSource(key, program.getOptionValue(key), 'default');
  }
  const quiet = Boolean(command.getOptionValue('quiet'));
  if (quiet) command.setOptionValueWithSource('progress', false, 'implied');
  return quiet;
}

/** An Io whose stderr notes are dropped while `isQuiet()` (results on stdout still print). */
export function quietableIo(io: Io, isQuiet: () => boolean): Io {
  return {
    ...io,
    out: (text) => io.out(text),
    err: (text) => {
      if (!isQuiet()) io.err(text);
    },
  };
}
