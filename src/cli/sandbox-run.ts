/** The work behind `iam2sso sandbox up` and `sandbox manifest`, loaded only when one of them runs. */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSandbox, type SandboxInfo, startSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { buildScenario, isBuiltInScenario } from '@iam2sso/sandbox/scenarios/index.js';
import { ScenarioFileError } from '@iam2sso/sandbox/scenarios/yaml-reader.js';
import { type FaultRuleInput, parseFaultSpec } from '@iam2sso/sandbox/world/fault-rules.js';
import { UsageError, ValidationFailed } from '../errors.js';
import { type Io, printJson } from './io.js';

export type UpFlags = {
  port: number;
  infoFile?: string;
  scenario: string;
  seed: number;
  accounts?: number;
  usersPerAccount?: number;
  latencyMs: number;
  throttleRate: number;
  errorRate: number;
  /** `--fault` rules as written: service:operation[:account]=error[xCOUNT]. */
  fault?: string[];
};

/** The `export ...` lines a shell can eval to use the sandbox (see sandboxClientEnv). */
export function exportLines(info: SandboxInfo, caFile?: string): string {
  return Object.entries(sandboxClientEnv(info, caFile))
    .map(([k, v]) => `export ${k}=${v}`)
    .join('\n');
}

/** Writes the sandbox's TLS certificate where NODE_EXTRA_CA_CERTS can point; returns the path. */
function writeCaFile(info: SandboxInfo, infoFile: string | undefined): string | undefined {
  if (!info.entra) return undefined;
  const path = infoFile
    ? `${infoFile}.ca.pem`
    : join(tmpdir(), `iam2sso-sandbox-${new URL(info.endpoint).port}-ca.pem`);
  writeFileSync(path, info.entra.tlsCertificatePem, { mode: 0o644 });
  return path;
}

/** Refuses a scenario that is neither a built-in size nor an existing file. */
function checkScenario(flags: UpFlags, io: Io): void {
  if (isBuiltInScenario(flags.scenario)) return;
  if (!existsSync(flags.scenario))
    throw new UsageError(`--scenario takes small, medium, large or the path of a YAML file, not "${flags.scenario}"`);
  if (flags.accounts !== undefined || flags.usersPerAccount !== undefined)
    io.err('note: --accounts and --users-per-account apply to built-in scenarios; the scenario file decides');
}

/** A bad scenario file becomes a validation error listing every problem with its line. */
function asValidation(error: unknown): never {
  if (error instanceof ScenarioFileError) throw new ValidationFailed(error.problems);
  throw error;
}

function describeBuilt(running: RunningSandbox, ms: number): string {
  const { accounts, users } = running.manifest;
  return `scenario ${running.manifest.scenario} (seed ${running.manifest.seed}): ${accounts.length} accounts, ${users.length} IAM users, built in ${Math.round(ms)} ms`;
}

/** The `--fault` flags as rules; a malformed one is a usage error naming it. */
function parseFaults(specs: string[]): FaultRuleInput[] {
  return specs.map((spec) => {
    const parsed = parseFaultSpec(spec);
    if (!parsed.ok) throw new UsageError(`--fault: ${parsed.problem}`);
    return parsed.rule;
  });
}

/** `sandbox up`: serves until SIGINT or SIGTERM. */
export async function runSandboxUp(flags: UpFlags, io: Io): Promise<void> {
  const started = performance.now();
  checkScenario(flags, io);
  const faultRules = parseFaults(flags.fault ?? []);
  if (flags.infoFile && existsSync(flags.infoFile) && statSync(flags.infoFile).isDirectory())
    throw new UsageError(`--info-file ${flags.infoFile} is a directory: give the path of a file`);
  const running = await startSandbox({ ...flags, scenario: flags.scenario, faultRules }).catch(asValidation);
  io.err(`# ${describeBuilt(running, performance.now() - started)}`);
  const caFile = writeCaFile(running.info, flags.infoFile);
  if (running.info.entra && caFile) running.info.entra.tlsCertificateFile = caFile;
  if (flags.infoFile) {
    const tmp = `${flags.infoFile}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(running.info, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, flags.infoFile);
    io.err(`sandbox listening on ${running.info.endpoint}; connection details in ${flags.infoFile}`);
  } else {
    io.out(exportLines(running.info, caFile));
    io.err(`# sandbox listening on ${running.info.endpoint}; press Ctrl-C to stop`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
}

/** `sandbox manifest`: prints the scenario's estate. */
export function runSandboxManifest(flags: UpFlags, io: Io): void {
  checkScenario(flags, io);
  try {
    printJson(io, buildScenario(flags).manifest);
  } catch (error) {
    asValidation(error);
  }
}
