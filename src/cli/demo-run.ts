/**
 * The work of `iam2sso demo`: starts the sandbox cloud in this process (small scenario, free port), then runs
 * audit, report, plan, apply and sync against it with the very CLI a user runs, each as a child process of this
 * one: Node reads the trust store (NODE_EXTRA_CA_CERTS, for the sandbox's self-signed Entra endpoint) only at
 * start, so a child is how a command gets the environment a user would give it. Their progress streams through.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { CloudError } from '../errors.js';
import type { DemoFlags } from './demo.js';
import { type DemoSummary, printDemoSummary, signInRows } from './demo-summary.js';
import { type Io, printJson } from './io.js';

type StepResult = { ok: boolean; stdout: string; seconds: number };

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
  mkdirSync(dir, { recursive: true });
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
  const step = async (name: string, what: string, args: string[]) => {
    say(`\n== ${name}: ${what}`);
    // With --no-progress a step's output is shown only when the step fails.
    const held: string[] = [];
    const r = await runStep(args, env, (line) => (flags.progress === false ? held.push(line) : say(`   ${line}`)));
    if (!r.ok) for (const line of held) say(`   ${line}`);
    steps.push({ step: name, ok: r.ok, seconds: r.seconds });
    outputs.set(name, r.stdout);
    say(`   ${r.ok ? 'done' : 'FAILED'} in ${r.seconds.toFixed(1)} s`);
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
      canSignIn: signInRows(sandbox),
      report: report?.file ? resolve(report.file) : null,
      plan,
      state,
      steps,
    };
    if (sync && flags.json === false)
      say(`\nsync created ${sync.users.create} users and ${sync.memberships.add} memberships`);
    if (flags.json) printJson(io, summary);
    else printDemoSummary(io, summary);
    if (steps.every((s) => !s.ok))
      throw new CloudError('iam2sso', 'DemoFailed', 'no step of the demo finished', undefined, 'see the output above');
    return summary;
  } finally {
    await sandbox.close();
  }
}
