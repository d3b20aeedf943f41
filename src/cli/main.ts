/** The iam2sso program: builds the command tree and runs it with one error handler at the top. */
import { existsSync, statSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { reportError, UsageError } from '../errors.js';
import { registerApply } from './apply.js';
import { registerAudit } from './audit.js';
import { registerBreakGlass } from './breakglass.js';
import { registerDashboard } from './dashboard.js';
import { registerDecommission } from './decommission.js';
import { registerDemo } from './demo.js';
import { registerDoctor } from './doctor.js';
import { registerEntra } from './entra.js';
import { explainEntraSignIn, recognise } from './error-conditions.js';
import { registerExplain } from './explain.js';
import { addGlobalOptions, inheritGlobalOptions, quietableIo } from './global-options.js';
import { registerInventory } from './inventory.js';
import { type Io, processIo } from './io.js';
import { registerPermissions } from './permissions.js';
import { registerPlan } from './plan.js';
import { registerReplace } from './replace.js';
import { registerReport } from './report.js';
import { registerRollback } from './rollback.js';
import { registerRollout } from './rollout.js';
import { registerRuns } from './runs.js';
import { registerSandbox } from './sandbox.js';
import { registerScp } from './scp.js';
import { registerSync } from './sync.js';
import { registerTrack } from './track.js';
import { registerVerify } from './verify.js';

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
  registerTrack(program, io);
  registerVerify(program, io);
  registerRuns(program, io);
  registerRollback(program, io);
  registerDecommission(program, io);
  registerDemo(program, io);
  registerExplain(program, io);
  registerDoctor(program, io);
  registerRollout(program, io);
  registerDashboard(program, io);
  registerPermissions(program, io);
  registerBreakGlass(program, io);
  registerReplace(program, io);
  registerScp(program, io);
  return program;
}

/** Flags that name a file to read: a directory there is refused up front, before anything runs. */
const FILE_FLAGS = ['--config', '--plan', '--mapping', '--sp-metadata'];

function refuseDirectories(args: string[]): void {
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    if (!FILE_FLAGS.includes(flag)) continue;
    const value = inline ?? args[i + 1];
    if (value && existsSync(value) && statSync(value).isDirectory())
      throw new UsageError(`${flag} ${value} is a directory, not a file: give the path of a file`);
  }
}

/** Recognises a condition, naming the YAML file of the command line when a YAML guard tripped. */
function recogniseIn(error: unknown, args: string[]) {
  const condition = recognise(error);
  if (condition?.code !== 'YAML_ALIAS_LIMIT') return condition;
  const file = args.find(
    (a, i) => i > 0 && /\.ya?ml$/i.test(a) && /^--(plan|config|scenario|mapping|out)$/.test(args[i - 1]),
  );
  return file ? { ...condition, message: condition.message.replace('a YAML file', file) } : condition;
}

/** Commands that only read (or write one file atomically): Ctrl-C while they run changes nothing. */
const READ_ONLY = new Set(['audit', 'inventory', 'report', 'plan']);

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  // --debug is accepted anywhere on the line (and as IAM2SSO_DEBUG=1): stack traces for every error.
  const debug = argv.includes('--debug') || process.env.IAM2SSO_DEBUG === '1';
  const args = argv.filter((a) => a !== '--debug');
  const options = { json: args.includes('--json'), debug, recognise: (e: unknown) => recogniseIn(e, args) };
  const program = buildProgram(io);
  try {
    refuseDirectories(args);
    await program.parseAsync(args, { from: 'user' });
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
      const usage = error instanceof UsageError ? error : new UsageError((error as Error).message);
      return reportError(usage, io.err, options);
    }
    return reportError(await explainEntraSignIn(error), io.err, options);
  }
}

/** Entry used by bin/iam2sso.js: runs and exits with the code. */
export async function runMain(argv: string[]): Promise<void> {
  // The AWS SDK warns on Node 20 that its 2027 releases will need Node 22: noise for a CLI user, who cannot act
  // on it (iam2sso supports Node 20, 22 and 24). The SDK's own switch, read when a client is built; a value the
  // user set is kept.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const command = argv.find((a) => !a.startsWith('-'));
  if (command && READ_ONLY.has(command))
    process.once('SIGINT', () => {
      const json = argv.includes('--json');
      const message = 'cancelled, nothing changed';
      process.stderr.write(
        `${json ? JSON.stringify({ error: { kind: 'interrupted', message, exitCode: 130 } }) : message}\n`,
      );
      process.exit(130);
    });
  process.exitCode = await runCli(argv);
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) await runMain(process.argv.slice(2));
