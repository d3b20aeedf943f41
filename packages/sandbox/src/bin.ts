/** Entry point of the `iam2sso-sandbox` command (bin/iam2sso-sandbox.js runs the built copy of this file). */
import { runSandboxCli } from './cli.js';

process.exitCode = await runSandboxCli(process.argv.slice(2));
