/** The iam2sso program: builds the command tree and runs it with one error handler at the top. */
import { Command, CommanderError } from 'commander';
import { reportError, UsageError } from '../errors.js';
import { registerApply } from './apply.js';
import { registerAudit } from './audit.js';
import { registerDemo } from './demo.js';
import { registerEntra } from './entra.js';
import { registerInventory } from './inventory.js';
import { type Io, processIo } from './io.js';
import { registerPlan } from './plan.js';
import { registerReport } from './report.js';
import { registerRollback } from './rollback.js';
import { registerRuns } from './runs.js';
import { registerSandbox } from './sandbox.js';
import { registerSync } from './sync.js';
import { registerVerify } from './verify.js';

/** Builds the command tree writing to `io`. */
export function buildProgram(io: Io): Command {
  const program = new Command('iam2sso')
    .description('Move an AWS organization from IAM users to IAM Identity Center with Microsoft Entra ID.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerSandbox(program, io);
  registerAudit(program, io);
  registerInventory(program, io);
  registerReport(program, io);
  registerPlan(program, io);
  registerApply(program, io);
  registerEntra(program, io);
  registerSync(program, io);
  registerVerify(program, io);
  registerRuns(program, io);
  registerRollback(program, io);
  registerDemo(program, io);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      if (error.code === 'commander.executeSubCommandAsync') return error.exitCode;
      return 2;
    }
    if (error instanceof UsageError || (error as { code?: string }).code === 'commander.invalidArgument') {
      return reportError(error instanceof UsageError ? error : new UsageError((error as Error).message), io.err);
    }
    return reportError(error, io.err);
  }
}

/** Entry used by bin/iam2sso.js: runs and exits with the code. */
export async function runMain(argv: string[]): Promise<void> {
  process.exitCode = await runCli(argv);
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) await runMain(process.argv.slice(2));
