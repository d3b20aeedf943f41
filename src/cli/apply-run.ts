/**
 * The work of `iam2sso apply` (loaded when the command runs): read and validate the plan, refuse it if stale,
 * settle what a killed run left open, diff against live state, show the diff, ask, apply through the journaled
 * executor, report. `--dry-run` swaps the write ports for recording wrappers and the journal for memory.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { dryRunArrivals, dryRunPorts } from '../apply/dry-run.js';
import { applyReport, massChangesOf } from '../apply/outcome.js';
import { applyPerformer } from '../apply/perform.js';
import { renderDiffLines, renderSummary } from '../apply/render.js';
import { computeChanges, createApplyRuntime, rateFromEnv } from '../apply/run.js';
import { withSamlKeepPerformer } from '../apply/saml-keep.js';
import { applyArrivals, DEFAULT_SCIM_WAIT_MS } from '../apply/scim-arrivals.js';
import { findStaleAccounts, readAccountsNow } from '../apply/stale-check.js';
import { type AwsOptions, type AwsSettings, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { loadConfig } from '../config/config.js';
import { leaveEligibleAlone } from '../core/harden-plan.js';
import type { MigrationPlan } from '../core/plan-types.js';
import type { Change } from '../core/reconcile/changes.js';
import { contentHash } from '../core/reconcile/desired.js';
import { describeMassChanges } from '../core/reconcile/guard.js';
import {
  DEFAULT_IDENTITY_SOURCE,
  entraNeed,
  entraWritten,
  identitySourceNote,
} from '../core/reconcile/identity-source.js';
import { type AssignmentFact, gateByReads, uncoveredAccounts } from '../core/reconcile/read-gate.js';
import { createEntraAdapter } from '../entra/adapter.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { CloudError, ExitCode, UsageError, ValidationFailed } from '../errors.js';
import { locatePlanProblems, parsePlanText } from '../plan-file/read.js';
import { countReport, type ExecutionReport, executeChanges } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import { resumeOpenEntries } from '../reconcile/resume.js';
import { type HeldLock, holdWriterLock } from '../reconcile/writer-lock.js';
import { loadAuditRun } from '../store/audit-repo.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { listOwned, memoryOwnership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, startRun } from '../store/runs-repo.js';
import { reportingPerformer } from './apply-progress.js';
import { type SamlKeepRuntime, samlKeepForApply } from './apply-saml-keep.js';
import { colourEnabled, diffPainter } from './colour.js';
import { type Io, printJson } from './io.js';
import { recordLeftAfterApply, recordPendingDiff } from './pending-record.js';

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
  /** Take the writer lease even when another run holds it (that run is gone, e.g. on another host). */
  breakLock?: boolean;
  /** Delete more than the mass-change threshold in one run. */
  allowMassDelete?: boolean;
  /** False with `--no-progress` or `--quiet`: no per-change lines. */
  progress?: boolean;
  /** identitySource scim: how long to wait for Entra's provisioning to bring the new groups (ms). */
  wait?: number;
};

/** Reads and validates a plan file for apply (strict: every referenced permission set must exist). */
export function readPlanForApply(file: string, quota: number): MigrationPlan {
  if (!existsSync(file)) throw new UsageError(`no plan file ${file}: run \`iam2sso plan\` first`);
  const read = parsePlanText(readFileSync(file, 'utf8'), file, { quota, strict: true });
  if (!read.plan) throw new ValidationFailed(read.problems);
  return read.plan;
}

/** Asks for "yes" on the terminal; Ctrl-C at the prompt exits 130 with "cancelled, nothing changed". */
export async function confirm(io: Io, question = 'Apply these changes? Only "yes" is accepted: '): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new UsageError('refusing to go on without confirmation: stdin is not a terminal (pass --auto-approve)');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const ask = new AbortController();
  // Ctrl-C at the prompt: nothing was written yet.
  rl.on('SIGINT', () => ask.abort());
  try {
    const answer = await rl.question(question, { signal: ask.signal });
    return answer.trim() === 'yes';
  } catch (error) {
    if (ask.signal.aborted) throw new ExitCode(130, 'cancelled, nothing changed');
    throw error;
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

/** Accounts the latest audit read completely ('ok'), and those the plan covers. */
function readableAccounts(db: StateDb, plan: MigrationPlan): { readable: Set<string>; covered: Set<string> } {
  const latest = loadAuditRun(db);
  const readable = new Set((latest?.snapshot.accounts ?? []).filter((a) => a.status === 'ok').map((a) => a.accountId));
  return { readable, covered: new Set(plan.fingerprint.accounts.map((a) => a.accountId)) };
}

/** The changes a run did not make: failed, cancelled, refused or not started. */
function leftOver(exec: ExecutionReport): Change[] {
  return [
    ...exec.failed.map((f) => f.change),
    ...exec.cancelled.map((c) => c.change),
    ...exec.refused.map((r) => r.change),
    ...exec.notStarted,
  ];
}

/**
 * Accounts that left the plan but hold what changes act on are read again now: those read completely are treated as
 * covered (their owned objects are deleted as planned); the others are returned with why, and held.
 */
async function readLeftAccounts(
  changes: Change[],
  covered: Set<string>,
  live: AssignmentFact[],
  readable: Set<string>,
  flags: ApplyFlags,
  settings: AwsSettings,
  io: Io,
): Promise<Map<string, string>> {
  const left = uncoveredAccounts(changes, covered, live);
  if (left.length === 0) return new Map();
  const { read, unread } = await readAccountsNow(left, settings, {
    assumeRole: flags.assumeRole,
    concurrency: flags.concurrency,
  }).catch((e) => {
    throw toCloudError(e, 'aws');
  });
  for (const id of read) {
    covered.add(id);
    readable.add(id);
    io.err(`account ${id} left the plan: read again now; what iam2sso owns there is removed as planned`);
  }
  return unread;
}

/** Runs `iam2sso apply`. */
export async function runApplyCommand(flags: ApplyFlags, io: Io): Promise<void> {
  const { config } = loadConfig(flags.config);
  const plan = readPlanForApply(flags.plan, config.plan.managedPoliciesQuota);
  const settings = await resolveAwsSettings(flags, { identityCenter: true, note: (line) => io.err(line) });
  const source = plan.identitySource ?? DEFAULT_IDENTITY_SOURCE;
  const entra = entraWritten(source)
    ? createEntraAdapter({
        settings: resolveEntraSettings(config.entra, process.env, {}, { why: entraNeed(source) }),
        env: process.env,
      })
    : null;
  const runtime = createApplyRuntime(settings, entra, flags.rate ?? rateFromEnv(process.env));
  const db = await openStateDb(flags.state);
  const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
  const runId = `apply-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  let lock: HeldLock | null = null;
  let samlRuntime: SamlKeepRuntime | null = null;
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  try {
    // One apply at a time on a state database; a dry run writes nothing, so it does not wait its turn.
    if (!flags.dryRun)
      lock = holdWriterLock(db, runId, {
        command: 'apply',
        breakLock: flags.breakLock,
        note: (line) => io.err(line),
      });
    // The stale check re-reads IAM while the live Identity Center state is read; nothing is written before both end.
    const staleCheck = refuseIfStale(plan, flags, db, settings, io);
    staleCheck.catch(() => undefined);
    const planHash = contentHash(plan);
    const journal = flags.dryRun ? memoryJournal() : stateJournal(db, runId, planHash);
    const owned = stateOwnership(db);
    const ownership = flags.dryRun ? memoryOwnership(owned) : owned;
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    if (!flags.dryRun)
      for (const line of await resumeOpenEntries(journal, runtime.ports.identityCenter, sleep)) io.err(line);
    const computed = computeChanges(plan, runtime.ports, flags.concurrency, owned).catch((e) => {
      throw toCloudError(e, 'sso');
    });
    computed.catch(() => undefined);
    await staleCheck;
    const { diff, live, changes: all, adoptionProblems } = await computed;
    if (adoptionProblems.length > 0)
      throw new ValidationFailed(locatePlanProblems(readFileSync(flags.plan, 'utf8'), flags.plan, adoptionProblems));
    const { readable, covered } = readableAccounts(db, plan);
    // Members made eligible by `entra harden --pim` are neither added back as standing members nor removed.
    const eligible = new Set(listOwned(db, 'pim-eligibility').map((o) => o.key));
    const unread = await readLeftAccounts(all, covered, live.state.assignments, readable, flags, settings, io);
    const { changes: gated, held } = gateByReads(
      leaveEligibleAlone(all, eligible),
      readable,
      covered,
      live.state.assignments,
      unread,
    );
    // Accounts kept outside Identity Center: their direct SAML federation, read and diffed on its own.
    const writes: string[] = [];
    const saml = await samlKeepForApply(plan.outsideIdentityCenter ?? [], {
      settings,
      assumeRole: flags.assumeRole,
      entraConfig: config.entra,
      entra,
      db,
      writes: flags.dryRun ? writes : null,
    });
    samlRuntime = saml?.runtime ?? null;
    const changes = [...gated, ...(saml?.changes ?? [])];
    const skipped = [...diff.skipped, ...held.map(({ item, reason }) => ({ item, reason })), ...(saml?.skipped ?? [])];
    const present = plan.groups.filter((g) => live.storeGroupIds.has(g.name.toLowerCase())).length;
    const sourceNote = identitySourceNote(source, plan.groups.length, present);
    if (sourceNote) io.err(sourceNote);
    const paint = diffPainter(colourEnabled(flags, io.outIsTty));
    for (const line of renderDiffLines(diff, changes)) show(paint(line));
    for (const s of skipped) io.err(`  skipped ${s.item}: ${s.reason}`);
    show(renderSummary({ ...diff, skipped }, changes));
    const members = live.state.store.groups.filter((g) => g.managedByTool).reduce((n, g) => n + g.members.length, 0);
    const mass = massChangesOf(changes, owned, members);
    if (mass.length > 0 && !flags.allowMassDelete) throw new UsageError(describeMassChanges(mass));
    if (changes.length === 0 && !flags.dryRun) {
      show('No changes. Identity Center and Entra match the plan.');
    } else if (!flags.autoApprove && !flags.dryRun && !(await confirm(io))) {
      throw new UsageError('apply cancelled');
    }
    const ports = flags.dryRun ? dryRunPorts(runtime.ports, writes) : runtime.ports;
    if (!flags.dryRun) startRun(db, runId, 'apply', new Date());
    process.on('SIGINT', onSigint);
    const waitMs = flags.wait ?? DEFAULT_SCIM_WAIT_MS;
    const progress = flags.progress !== false && !flags.dryRun;
    const arrivals = flags.dryRun
      ? dryRunArrivals(writes, waitMs)
      : applyArrivals(ports, live, { waitMs, note: (line) => progress && io.err(line), signal: stop.signal });
    const base = applyPerformer(ports, live, { concurrency: flags.concurrency, arrivals });
    const performer = reportingPerformer(
      saml ? withSamlKeepPerformer(base, saml.performer) : base,
      changes.length,
      (line) => io.err(line),
      progress,
    );
    const exec = await executeChanges(changes, performer, {
      runId,
      journal,
      ownership,
      signal: stop.signal,
      log: (line) => io.err(line),
    });
    const report = applyReport(diff, exec, skipped);
    if (flags.dryRun) recordPendingDiff(db, flags.plan, plan, 'apply --dry-run', { diff, changes, skipped });
    else recordLeftAfterApply(db, flags.plan, plan, leftOver(exec), skipped);
    const settled = changes.length - exec.notStarted.length;
    if (!flags.dryRun)
      finishRun(
        db,
        runId,
        stop.signal.aborted ? 'interrupted' : exec.failed.length ? 'failed' : 'done',
        countReport(exec),
        new Date(),
      );
    if (stop.signal.aborted)
      throw new ExitCode(
        130,
        `interrupted after ${settled} of ${changes.length} changes; run the same command to resume`,
      );
    if (flags.dryRun) {
      show(`Dry run: ${writes.length} write(s) would be made:`);
      for (const w of writes) show(`  ${w}`);
    }
    if (flags.json) printJson(io, report);
    else
      show(
        `Apply ${flags.dryRun ? '(dry run) ' : ''}complete: ${report.adopted.length ? `${report.adopted.length} adopted, ` : ''}${report.created.length} created, ${report.updated.length} updated, ` +
          `${report.deleted.length} deleted, ${report.unchanged.length} unchanged, ${report.skipped.length} skipped, ` +
          `${report.cancelled.length} cancelled, ${report.failed.length} failed.`,
      );
    for (const c of report.cancelled) io.err(`  cancelled ${c.item}: ${c.reason}`);
    if (report.failed.length > 0)
      throw new CloudError(
        'iam2sso',
        'ApplyIncomplete',
        `${report.failed.length} change(s) failed: ${report.failed
          .map((f) => f.item)
          .slice(0, 5)
          .join('; ')}`,
        undefined,
        report.failed.some((f) => f.error.startsWith('GroupNotProvisioned'))
          ? 'once Entra has provisioned the groups (see above), run the same command again: it resumes and makes only the missing assignments (--wait waits longer)'
          : 'fix the cause and run the same command again: it resumes and makes only what is still missing',
      );
  } finally {
    process.off('SIGINT', onSigint);
    lock?.release();
    db.close();
    runtime.close();
    samlRuntime?.close();
  }
}
