/**
 * The work of `iam2sso demo`: starts the sandbox cloud in this process (small scenario, free port), then runs
 * audit, report, plan, apply and sync against it with the very CLI a user runs, each as a child process of this
 * one: Node reads the trust store (NODE_EXTRA_CA_CERTS, for the sandbox's self-signed Entra endpoint) only at
 * start, so a child is how a command gets the environment a user would give it. Their progress streams through.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { ExitCode, UsageError } from '../errors.js';
import type { DemoFlags } from './demo.js';
import { type DemoSummary, printDemoSummary, signInPaths } from './demo-summary.js';
import { type Io, printJson } from './io.js';

type StepResult = { ok: boolean; stdout: string; seconds: number };

/** Marks a directory as the demo's, so a re-run may replace what an earlier run wrote there. */
const MARKER = '.iam2sso-demo';
/** What the demo writes in its directory (and removes before a re-run). */
const DEMO_FILES = [
  'state.db',
  'state.db-wal',
  'state.db-shm',
  'migration-plan.yaml',
  'report',
  'sandbox-ca.pem',
  'entra-federation-metadata.xml',
];

/** Prepares the directory: new, empty, or an earlier demo's (whose files are removed: each demo has a new cloud). */
function prepareDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER)))
      throw new UsageError(`${dir} is not empty and was not made by iam2sso demo: choose another --dir`);
    for (const name of DEMO_FILES) rmSync(join(dir, name), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'made by iam2sso demo; its files here are replaced on the next run\n');
}

/** A step whose JSON reports failed writes failed, whatever its exit code. */
function reportsFailures(stdout: string): boolean {
  const parsed = parse<{ failed?: unknown[] }>(stdout);
  return Array.isArray(parsed?.failed) && parsed.failed.length > 0;
}

/** Runs `iam2sso <args>` as a child process with `env`, streaming its stderr as progress. */
function runStep(args: string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<StepResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let pending = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) progress(line);
    });
    child.on('close', (code) => {
      if (pending.trim()) progress(pending);
      done({ ok: code === 0, stdout, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function parse<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

type AuditJson = {
  accounts: unknown[];
  users: number;
  byCategory: Record<string, number>;
  findings: { byKind: Record<string, number> };
};
type SyncJson = { users: { create: number }; memberships: { add: number } };

/** Runs the demo and prints (or returns, with --json) the summary. */
export async function runDemo(flags: DemoFlags, io: Io): Promise<DemoSummary> {
  const dir = resolve(flags.dir);
  prepareDir(dir);
  const say = (line: string) => io.err(line);
  say(`Starting the sandbox cloud (an AWS organization and an Entra tenant, seed ${flags.seed}) ...`);
  const sandbox = await startSandbox({ scenario: 'small', seed: flags.seed, port: 0 });
  const entra = sandbox.info.entra!;
  const ca = join(dir, 'sandbox-ca.pem');
  writeFileSync(ca, entra.tlsCertificatePem);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...sandboxClientEnv(sandbox.info, ca),
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    NODE_NO_WARNINGS: '1',
  };
  say(`  AWS at ${sandbox.info.endpoint}, ${sandbox.info.accounts.length} accounts; Entra at ${entra.graphEndpoint}`);
  const state = join(dir, 'state.db');
  const plan = join(dir, 'migration-plan.yaml');
  const reportDir = join(dir, 'report');
  const steps: DemoSummary['steps'] = [];
  const outputs = new Map<string, string>();
  // Each step needs the one before it: after a failure the rest are not run.
  const step = async (name: string, what: string, args: string[]) => {
    if (steps.some((s) => !s.ok)) return;
    say(`\n== ${name}: ${what}`);
    // With --no-progress a step's output is shown only when the step fails.
    const held: string[] = [];
    const r = await runStep(args, env, (line) => (flags.progress === false ? held.push(line) : say(`   ${line}`)));
    const ok = r.ok && !reportsFailures(r.stdout);
    if (!ok) for (const line of held) say(`   ${line}`);
    steps.push({ step: name, ok, seconds: r.seconds });
    outputs.set(name, r.stdout);
    say(`   ${ok ? 'done' : 'FAILED'} in ${r.seconds.toFixed(1)} s`);
  };
  try {
    await step('audit', 'every IAM user in every account, classified, with findings', [
      'audit',
      '--state',
      state,
      '--json',
    ]);
    await step('report', 'the HTML report of the audit', ['report', '--state', state, '--out', reportDir, '--json']);
    await step('plan', 'permission sets, groups and assignments for the people who should move', [
      'plan',
      '--state',
      state,
      '--out',
      plan,
      '--directory-lookup',
      '--json',
    ]);
    await step('entra setup', 'the AWS IAM Identity Center enterprise app in Entra (SAML from the SP metadata)', [
      'entra',
      'setup',
      '--sp-metadata-url',
      `${sandbox.info.endpoint}/_sandbox/identity-center/saml-metadata.xml`,
      '--federation-metadata-out',
      join(dir, 'entra-federation-metadata.xml'),
      '--state',
      state,
      '--json',
    ]);
    await step('apply', 'make the plan true in Identity Center and Entra', [
      'apply',
      '--plan',
      plan,
      '--state',
      state,
      '--auto-approve',
      '--json',
    ]);
    await step('sync', "bring Entra's users and groups of the plan into Identity Center", [
      'sync',
      '--plan',
      plan,
      '--state',
      state,
      '--json',
    ]);
    const audit = parse<AuditJson>(outputs.get('audit') ?? '');
    const report = parse<{ file: string }>(outputs.get('report') ?? '');
    const sync = parse<SyncJson>(outputs.get('sync') ?? '');
    const sso = sandbox.world.sso!;
    const summary: DemoSummary = {
      found: {
        accounts: audit?.accounts.length ?? 0,
        users: audit?.users ?? 0,
        byCategory: audit?.byCategory ?? {},
        topFindings: Object.entries(audit?.findings.byKind ?? {})
          .map(([kind, count]) => ({ kind, count }))
          .sort((a, b) => b.count - a.count)
          .slice(0, 5),
      },
      created: {
        permissionSets: sso.permissionSets.size,
        groups: sso.groups.size,
        assignments: sso.assignments.length,
        usersSynced: sso.users.size,
        memberships: sso.memberships.size,
      },
      ...signInPaths(sandbox),
      report: report?.file ? resolve(report.file) : null,
      plan,
      state,
      steps,
    };
    if (sync && flags.json === false)
      say(`\nsync created ${sync.users.create} users and ${sync.memberships.add} memberships`);
    if (flags.json) printJson(io, summary);
    else printDemoSummary(io, summary);
    const failed = steps.filter((s) => !s.ok).map((s) => s.step);
    if (failed.length > 0)
      throw new ExitCode(
        1,
        `error: the demo's ${failed.join(', ')} step failed (see its output above); nothing after it ran`,
      );
    return summary;
  } finally {
    await sandbox.close();
  }
}
