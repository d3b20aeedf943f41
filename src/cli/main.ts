/** The iam2sso program: builds the command tree and runs it with one error handler at the top. */
import { Command, CommanderError } from 'commander';
import { reportError, UsageError } from '../errors.js';
import { registerApply } from './apply.js';
import { registerAudit } from './audit.js';
import { registerDashboard } from './dashboard.js';
import { registerDemo } from './demo.js';
import { registerDoctor } from './doctor.js';
import { registerEntra } from './entra.js';
import { registerExplain } from './explain.js';
import { addGlobalOptions, inheritGlobalOptions, quietableIo } from './global-options.js';
import { registerInventory } from './inventory.js';
import { type Io, processIo } from './io.js';
import { registerPermissions } from './permissions.js';
import { registerPlan } from './plan.js';
import { registerReport } from './report.js';
import { registerRollout } from './rollout.js';
import { registerSandbox } from './sandbox.js';
import { registerSync } from './sync.js';

/** Builds the command tree writing to `io` (stderr notes dropped under `--quiet`). */
export function buildProgram(outerIo: Io): Command {
  let quiet = false;
  const io = quietableIo(outerIo, () => quiet);
  const program = new Command('iam2sso')
    .description('Move an AWS organization from IAM users to IAM Identity Center with Microsoft Entra ID.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => outerIo.out(s), writeErr: (s) => outerIo.err(s) });
  addGlobalOptions(program);
  program.hook('preAction', (root, command) => {
    quiet = inheritGlobalOptions(root, command);
  });
  registerSandbox(program, io);
  registerAudit(program, io);
  registerInventory(program, io);
  registerReport(program, io);
  registerPlan(program, io);
  registerApply(program, io);
  registerEntra(program, io);
  registerSync(program, io);
  registerDemo(program, io);
  registerExplain(program, io);
  registerDoctor(program, io);
  registerRollout(program, io);
  registerDashboard(program, io);
  registerPermissions(program, io);
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
  // The AWS SDK warns on Node 20 that its 2027 releases will need Node 22: noise for a CLI user, who cannot act
  // on it (iam2sso supports Node 20, 22 and 24). The SDK's own switch, read when a client is built; a value the
  // user set is kept.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await runCli(argv);
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) await runMain(process.argv.slice(2));
