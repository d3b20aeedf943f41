/**
 * The work of `iam2sso apply` (loaded when the command runs): read and validate the plan, refuse it if stale,
 * settle what a killed run left open, diff against live state, show the diff, ask, apply through the journaled
 * executor, report. `--dry-run` swaps the write ports for recording wrappers and the journal for memory.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { type AwsOptions, type AwsSettings, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { colourEnabled, diffPainter } from '../cli/colour.js';
import { type Io, printJson } from '../cli/io.js';
import { loadConfig } from '../config/config.js';
import type { MigrationPlan } from '../core/plan-types.js';
import { isApplyDiffEmpty } from '../core/reconcile/apply-diff.js';
import { contentHash } from '../core/reconcile/desired.js';
import { createEntraAdapter } from '../entra/adapter.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { CloudError, UsageError, ValidationFailed } from '../errors.js';
import { parsePlanText } from '../plan-file/read.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { dryRunPorts } from './dry-run.js';
import { applyChanges } from './executor.js';
import { memoryJournal, stateJournal } from './journal.js';
import { type HeldLock, holdApplyLock } from './lock.js';
import { renderDiffLines, renderSummary } from './render.js';
import { resumeOpenEntries } from './resume.js';
import { computeChanges, createApplyRuntime, rateFromEnv } from './run.js';
import { findStaleAccounts } from './stale-check.js';

/** The flags of `iam2sso apply`. */
export type ApplyFlags = AwsOptions & {
  color?: boolean;
  plan: string;
  autoApprove: boolean;
  dryRun: boolean;
  json: boolean;
  state: string;
  concurrency: number;
  rate?: number;
  config?: string;
  endpointUrl?: string;
  assumeRole: string;
  /** Take the apply lock even when another run holds it (that run is gone, e.g. on another host). */
  breakLock?: boolean;
};

/** Reads and validates a plan file for apply (strict: every referenced permission set must exist). */
export function readPlanForApply(file: string, quota: number): MigrationPlan {
  if (!existsSync(file)) throw new UsageError(`no plan file ${file}: run \`iam2sso plan\` first`);
  const read = parsePlanText(readFileSync(file, 'utf8'), file, { quota, strict: true });
  if (!read.plan) throw new ValidationFailed(read.problems);
  return read.plan;
}

async function confirm(io: Io): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new UsageError('refusing to apply without confirmation: stdin is not a terminal (pass --auto-approve)');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('Apply these changes? Only "yes" is accepted: ');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
    io.err('');
  }
}

async function refuseIfStale(plan: MigrationPlan, flags: ApplyFlags, db: StateDb, settings: AwsSettings, io: Io) {
  const stale = await findStaleAccounts(plan.fingerprint, settings, db, {
    assumeRole: flags.assumeRole,
    concurrency: flags.concurrency,
  }).catch((e) => {
    throw toCloudError(e, 'aws');
  });
  if (stale.length === 0) return;
  io.err(`The plan is stale: the IAM state it was made from (audit ${plan.fingerprint.runId}) has moved:`);
  for (const s of stale) for (const m of s.moved) io.err(`  ${s.accountId}: ${m}`);
  throw new CloudError(
    'iam2sso',
    'StalePlan',
    `${stale.length} account(s) changed since the plan was made`,
    undefined,
    'run `iam2sso audit` and `iam2sso plan` again, review the plan, then apply it',
  );
}

/** Runs `iam2sso apply`. */
export async function runApplyCommand(flags: ApplyFlags, io: Io): Promise<void> {
  const { config } = loadConfig(flags.config);
  const plan = readPlanForApply(flags.plan, config.plan.managedPoliciesQuota);
  const settings = await resolveAwsSettings(flags, { identityCenter: true, note: (line) => io.err(line) });
  const entra = createEntraAdapter({ settings: resolveEntraSettings(config.entra, process.env), env: process.env });
  const runtime = createApplyRuntime(settings, entra, flags.rate ?? rateFromEnv(process.env));
  const db = await openStateDb(flags.state);
  const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
  const runId = `apply-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  let lock: HeldLock | null = null;
  try {
    // One apply at a time on a state database; a dry run writes nothing, so it does not wait its turn.
    if (!flags.dryRun) lock = holdApplyLock(db, runId, { breakLock: flags.breakLock, note: (line) => io.err(line) });
    // The stale check re-reads IAM while the live Identity Center state is read; nothing is written before both end.
    const staleCheck = refuseIfStale(plan, flags, db, settings, io);
    staleCheck.catch(() => undefined);
    const planHash = contentHash(plan);
    const journal = flags.dryRun ? memoryJournal() : stateJournal(db, runId, planHash);
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    if (!flags.dryRun)
      for (const line of await resumeOpenEntries(journal, runtime.ports.identityCenter, sleep)) io.err(line);
    const computed = computeChanges(plan, runtime.ports, flags.concurrency).catch((e) => {
      throw toCloudError(e, 'sso');
    });
    computed.catch(() => undefined);
    await staleCheck;
    const { diff, live } = await computed;
    const lines = renderDiffLines(diff);
    const paint = diffPainter(colourEnabled(flags, io.outIsTty));
    for (const line of lines) show(paint(line));
    for (const s of diff.skipped) io.err(`  skipped ${s.item}: ${s.reason}`);
    show(renderSummary(diff));
    if (isApplyDiffEmpty(diff) && !flags.dryRun) {
      show('No changes. Identity Center and Entra match the plan.');
    } else if (!flags.autoApprove && !flags.dryRun && !(await confirm(io))) {
      throw new UsageError('apply cancelled');
    }
    const writes: string[] = [];
    const ports = flags.dryRun ? dryRunPorts(runtime.ports, writes) : runtime.ports;
    const report = await applyChanges(diff, live, ports, journal, {
      concurrency: flags.concurrency,
      log: (line) => io.err(line),
    });
    if (flags.dryRun) {
      show(`Dry run: ${writes.length} write(s) would be made:`);
      for (const w of writes) show(`  ${w}`);
    }
    if (flags.json) printJson(io, report);
    else
      show(
        `Apply ${flags.dryRun ? '(dry run) ' : ''}complete: ${report.created.length} created, ${report.updated.length} updated, ` +
          `${report.deleted.length} deleted, ${report.unchanged.length} unchanged, ${report.skipped.length} skipped, ${report.failed.length} failed.`,
      );
    if (report.failed.length > 0)
      throw new CloudError(
        'iam2sso',
        'ApplyIncomplete',
        `${report.failed.length} change(s) failed: ${report.failed
          .map((f) => f.item)
          .slice(0, 5)
          .join('; ')}`,
        undefined,
        'fix the cause and run the same command again: it resumes and makes only what is still missing',
      );
  } finally {
    lock?.release();
    db.close();
    runtime.close();
  }
}
