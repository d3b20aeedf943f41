/**
 * `iam2sso-sandbox`: starts a sandbox server from the package alone (no iam2sso product needed), prints the
 * `export ...` lines a shell can eval (or writes the connection details to `--info-file`), and serves until
 * SIGINT or SIGTERM. The same work as the product's `iam2sso sandbox up`, with the package's own flag parsing.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sandboxClientEnv } from './client-env.js';
import { type SandboxInfo, type SandboxOptions, startSandbox } from './index.js';
import { isBuiltInScenario } from './scenarios/index.js';
import { ScenarioFileError } from './scenarios/yaml-reader.js';

const HELP = `Usage: iam2sso-sandbox [options]

Starts a local cloud that speaks the AWS (IAM, STS, Organizations, SSO Admin, Identity Store, CloudTrail),
Identity Center SCIM and Microsoft Graph / Entra protocols, built from a scenario, and serves until Ctrl-C.

Options:
  --port <n>                 port to listen on (default 4566; 0 picks a free one)
  --host <addr>              address to bind (default 127.0.0.1)
  --scenario <name|file>     small, medium, large, existing-iic, direct-saml, standalone or a scenario YAML file (default small)
  --seed <n>                 seed of the generated estate (default 1)
  --accounts <n>             accounts in a built-in scenario
  --users-per-account <n>    IAM users per account in a built-in scenario
  --cloudtrail-delay-ms <n>  virtual ms before a call shows in LookupEvents (default 300000)
  --latency-ms <n>           added latency per request (default 0)
  --throttle-rate <r>        share of AWS calls answered with throttling, 0..1 (default 0)
  --error-rate <r>           share of AWS calls answered with a 500, 0..1 (default 0)
  --info-file <path>         write the connection details (JSON) there instead of printing export lines
  -h, --help                 show this help

Control API: ${'`'}/_sandbox/...${'`'} on the same port (see the package README).`;

class CliError extends Error {}

function numberFlag(value: string | undefined, name: string, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--${name} takes a number of 0 or more, not "${value}"`);
  return n;
}

/** Turns command-line arguments into sandbox options; throws CliError for bad input. */
export function parseSandboxArgs(args: string[]): { options: SandboxOptions; infoFile?: string; help: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      scenario: { type: 'string' },
      seed: { type: 'string' },
      accounts: { type: 'string' },
      'users-per-account': { type: 'string' },
      'cloudtrail-delay-ms': { type: 'string' },
      'latency-ms': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'error-rate': { type: 'string' },
      'info-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const scenario = values.scenario ?? 'small';
  if (!isBuiltInScenario(scenario) && !existsSync(scenario))
    throw new CliError(`--scenario takes small, medium, large or the path of a YAML file, not "${scenario}"`);
  const options: SandboxOptions = {
    port: numberFlag(values.port, 'port', 4566)!,
    host: values.host ?? '127.0.0.1',
    scenario,
    seed: numberFlag(values.seed, 'seed', 1)!,
    accounts: numberFlag(values.accounts, 'accounts'),
    usersPerAccount: numberFlag(values['users-per-account'], 'users-per-account'),
    cloudTrailDeliveryDelayMs: numberFlag(values['cloudtrail-delay-ms'], 'cloudtrail-delay-ms'),
    latencyMs: numberFlag(values['latency-ms'], 'latency-ms', 0),
    throttleRate: numberFlag(values['throttle-rate'], 'throttle-rate', 0),
    errorRate: numberFlag(values['error-rate'], 'error-rate', 0),
  };
  return { options, infoFile: values['info-file'], help: values.help ?? false };
}

function writeCaFile(info: SandboxInfo, infoFile: string | undefined): string | undefined {
  if (!info.entra) return undefined;
  const path = infoFile
    ? `${infoFile}.ca.pem`
    : join(tmpdir(), `iam2sso-sandbox-${new URL(info.endpoint).port}-ca.pem`);
  writeFileSync(path, info.entra.tlsCertificatePem, { mode: 0o644 });
  return path;
}

/** Runs the command; resolves when the server has stopped. */
export async function runSandboxCli(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseSandboxArgs>;
  try {
    parsed = parseSandboxArgs(args);
  } catch (error) {
    process.stderr.write(`iam2sso-sandbox: ${(error as Error).message}\nRun iam2sso-sandbox --help for usage.\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  let running: Awaited<ReturnType<typeof startSandbox>>;
  try {
    running = await startSandbox(parsed.options);
  } catch (error) {
    if (!(error instanceof ScenarioFileError)) throw error;
    process.stderr.write(`iam2sso-sandbox: the scenario file has problems:\n${error.message}\n`);
    return 2;
  }
  const caFile = writeCaFile(running.info, parsed.infoFile);
  if (running.info.entra && caFile) running.info.entra.tlsCertificateFile = caFile;
  const { accounts, users } = running.manifest;
  process.stderr.write(
    `# scenario ${running.manifest.scenario}: ${accounts.length} accounts, ${users.length} IAM users\n`,
  );
  if (parsed.infoFile) {
    const tmp = `${parsed.infoFile}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(running.info, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, parsed.infoFile);
    process.stderr.write(`# sandbox listening on ${running.info.endpoint}; connection details in ${parsed.infoFile}\n`);
  } else {
    const env = sandboxClientEnv(running.info, caFile);
    process.stdout.write(
      `${Object.entries(env)
        .map(([k, v]) => `export ${k}=${v}`)
        .join('\n')}\n`,
    );
    process.stderr.write(`# sandbox listening on ${running.info.endpoint}; press Ctrl-C to stop\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await running.close();
  return 0;
}
