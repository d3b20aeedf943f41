/**
 * What `breakglass` and `replace` share: show the changes, ask, run them through the one executor (journaled as a
 * run of their own, ownership recorded, resumable by running the same command again), and roll a run of theirs
 * back from its undo records. `--dry-run` runs the same changes through a performer that only writes log lines.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { MigrationPlan } from '../core/plan-types.js';
import type { Change, ObjectRef } from '../core/reconcile/changes.js';
import { createdObject, describeChange, undoOf } from '../core/reconcile/changes.js';
import { isOwnedIamChange } from '../core/reconcile/changes-breakglass.js';
import { isRolesAnywhereChange } from '../core/reconcile/changes-rolesanywhere.js';
import { orderChanges } from '../core/reconcile/order.js';
import { CloudError, ExitCode, UsageError } from '../errors.js';
import { iamPerformer } from '../iam-changes/perform.js';
import type { IamChangePorts } from '../iam-changes/ports.js';
import { parsePlanText } from '../plan-file/read.js';
import { countReport, type ExecutionReport, executeChanges, type Performer } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import type { StateDb } from '../store/db.js';
import { runEntries } from '../store/journal-repo.js';
import { listOwned, memoryOwnership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, listRuns, startRun } from '../store/runs-repo.js';
import { confirm } from './apply-run.js';
import type { Io } from './io.js';
import { undoPlan } from './rollback-run.js';

/** The flags every writing subcommand of `breakglass` and `replace` takes. */
export type WriteFlags = { dryRun?: boolean; autoApprove?: boolean; json?: boolean; breakLock?: boolean };

/** What a run did. */
export type IamRunOutcome = { runId: string | null; report: ExecutionReport; writes: string[] };

function dryPerformer(writes: string[]): Performer {
  return {
    resolve: () => ({}),
    perform: async (c) => void writes.push(describeChange(c)),
    limit: (_c, fn) => fn(),
    concurrency: () => 1,
  };
}

/** The cloud ids the tool recorded for the objects it made (looked up when a delete runs). */
function ownedIdsOf(db: StateDb): (ref: ObjectRef) => string | null {
  return (ref) => listOwned(db, ref.kind).find((o) => o.key === ref.key)?.objectId ?? null;
}

/** Runs the changes of `command` through the executor (or a dry run); throws when any failed. */
export async function runIamChanges(
  command: 'breakglass' | 'replace',
  changes: Change[],
  ctx: {
    db: StateDb;
    ports: IamChangePorts;
    flags: WriteFlags;
    io: Io;
    onPassword(user: string, pw: string): void;
    /** The run these changes undo (journaled as a rollback of it). */
    rollbackOf?: string;
    /**
     * Changes that can only be planned once `changes` are made (a role that trusts a Roles Anywhere trust anchor
     * needs its ARN): shown before (as `preview`), planned by `plan` from a live read, made in the same run.
     */
    followUp?: { preview: Change[]; plan(): Promise<Change[]> };
  },
): Promise<IamRunOutcome> {
  const { db, flags, io } = ctx;
  const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
  for (const c of orderChanges(changes)) show(describeChange(c));
  for (const c of orderChanges(ctx.followUp?.preview ?? [])) show(`${describeChange(c)} (once the above is made)`);
  const writes: string[] = [];
  const empty: ExecutionReport = { done: [], failed: [], cancelled: [], refused: [], notStarted: [] };
  if (changes.length === 0) return { runId: null, report: empty, writes };
  const count = changes.length + (ctx.followUp?.preview.length ?? 0);
  if (
    !flags.autoApprove &&
    !flags.dryRun &&
    !(await confirm(io, `Make these ${count} change(s)? Only "yes" is accepted: `))
  )
    throw new ExitCode(130, 'cancelled, nothing changed');
  const runId = `${command}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  const lock = flags.dryRun
    ? null
    : holdWriterLock(db, runId, { command, breakLock: flags.breakLock, note: (l) => io.err(l) });
  try {
    const owned = stateOwnership(db);
    const journal = flags.dryRun ? memoryJournal() : stateJournal(db, runId, command);
    // A run killed before a result was journaled: the live read above decided again what is still needed.
    for (const open of journal.open().filter((e) => isOwnedIamChange(e) || isRolesAnywhereChange(e)))
      journal.finish(open.entryId, {
        status: 'superseded',
        result: { reason: 'interrupted; re-read from live state' },
      });
    if (!flags.dryRun) startRun(db, runId, ctx.rollbackOf ? 'rollback' : command, new Date(), ctx.rollbackOf ?? null);
    const performer = flags.dryRun
      ? dryPerformer(writes)
      : iamPerformer(ctx.ports, { onPassword: ctx.onPassword, ownedObjectId: ownedIdsOf(db) });
    const options = {
      runId,
      journal,
      ownership: flags.dryRun ? memoryOwnership(owned) : owned,
      log: (line: string) => io.err(line),
    };
    const report = await executeChanges(changes, performer, options);
    if (ctx.followUp && report.failed.length + report.refused.length + report.cancelled.length === 0) {
      const more = await executeChanges(
        flags.dryRun ? ctx.followUp.preview : await ctx.followUp.plan(),
        performer,
        options,
      );
      for (const k of ['done', 'failed', 'cancelled', 'refused', 'notStarted'] as const)
        (report[k] as unknown[]).push(...more[k]);
    }
    if (!flags.dryRun) finishRun(db, runId, report.failed.length ? 'failed' : 'done', countReport(report), new Date());
    for (const r of report.refused) io.err(`  refused ${describeChange(r.change).slice(2)}: ${r.reason}`);
    for (const r of report.cancelled) io.err(`  cancelled ${describeChange(r.change).slice(2)}: ${r.reason}`);
    if (report.failed.length > 0)
      throw new CloudError(
        'iam2sso',
        `${command === 'breakglass' ? 'BreakGlass' : 'Replace'}Incomplete`,
        `${report.failed.length} change(s) failed: ${report.failed.map((f) => f.error).join('; ')}`,
        undefined,
        `fix the cause and run the same command again: it makes only what is missing; \`iam2sso ${command} rollback ${runId}\` undoes what was made`,
      );
    return { runId: flags.dryRun ? null : runId, report, writes };
  } finally {
    lock?.release();
  }
}

/**
 * The undos of a run: those of its done changes (rollback-run's `undoPlan`), and those of creates a kill cut short
 * (superseded: the call was made, its result not journaled) whose object the run still owns.
 */
function undosOf(db: StateDb, target: string): { changes: Change[]; refused: { item: string; reason: string }[] } {
  const { undos, refused } = undoPlan(db, target);
  const owned = new Map(listOwned(db).map((o) => [`${o.kind}\n${o.key}`, o.runId]));
  const cutShort = runEntries(db, target)
    .filter((e) => e.status === 'superseded')
    .map((e) => (e.payload as { change?: Change }).change)
    .filter((c): c is Change => !!c && (isOwnedIamChange(c) || isRolesAnywhereChange(c)))
    .filter((c) => {
      const made = createdObject(c);
      return made !== null && owned.get(`${made.kind}\n${made.key}`) === target;
    })
    .map((c) => undoOf(c))
    .filter((u): u is Change => u !== null);
  return { changes: [...undos.map((u) => u.undo), ...cutShort], refused };
}

/** Reverts a run of `breakglass` or `replace` from its undo records, newest first, through the executor. */
export async function rollbackIamRun(
  target: string,
  ctx: { db: StateDb; ports: IamChangePorts; flags: WriteFlags; io: Io },
): Promise<{ runId: string | null; undone: number; refused: { item: string; reason: string }[] }> {
  const { changes, refused } = undosOf(ctx.db, target);
  for (const r of refused) ctx.io.err(`  refused ${r.item}: ${r.reason}`);
  if (changes.length === 0) {
    ctx.io.err(`Nothing to roll back in ${target}.`);
    return { runId: null, undone: 0, refused };
  }
  const out = await runIamChanges(target.startsWith('replace') ? 'replace' : 'breakglass', changes, {
    ...ctx,
    onPassword: () => undefined,
    rollbackOf: target,
  });
  return { runId: out.runId, undone: out.report.done.length, refused };
}

/** The runs of `command` not rolled back yet, newest first. */
export function runsToRollBack(db: StateDb, command: string): string[] {
  const runs = listRuns(db);
  const undone = new Set(runs.filter((r) => r.command === 'rollback').map((r) => r.targetRunId));
  return runs
    .filter((r) => r.command === command && !undone.has(r.runId))
    .map((r) => r.runId)
    .reverse();
}

/** The plan file if there is one (its break-glass entry names the user); a broken one is an error. */
export function readPlanIfAny(file: string): MigrationPlan | null {
  if (!existsSync(file)) return null;
  const read = parsePlanText(readFileSync(file, 'utf8'), file, { quota: 20, strict: false });
  if (!read.plan)
    throw new UsageError(`${file}: ${read.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
  return read.plan;
}
