/**
 * The one executor every writer runs its changes through (apply, sync, entra setup, rollback). For each typed change,
 * in phase order: the owner check (nothing unowned is updated or deleted), the prerequisites (a change whose
 * prerequisite failed is cancelled, never attempted), the journal's intent with the change and its undo, the
 * ownership record of what a create makes, the call (bounded by a timeout), and the result. An abort signal (Ctrl-C)
 * stops new changes from starting; those in flight finish and are journaled.
 */
import { mapLimit } from '../aws/fan-out.js';
import { adoptedObject } from '../core/reconcile/adopt-changes.js';
import {
  type Change,
  changeId,
  createdObject,
  deletedObject,
  describeChange,
  ownerCheck,
  undoOf,
} from '../core/reconcile/changes.js';
import { dependenciesOf, orderChanges, phaseOf } from '../core/reconcile/order.js';
import type { Ownership } from '../store/ownership-repo.js';
import type { Journal } from './journal.js';
import { killPointFromEnv, killSwitch } from './kill-point.js';
import { withTimeout } from './timeouts.js';

/** What a performer resolved a change's names to (account, ARN, principal ids), journaled with the intent. */
export type Resolved = Record<string, string>;

/** How a provider carries out changes: resolves names to ids, makes the call, and applies its limits. */
export type Performer = {
  /** The ids the change acts on, or why it cannot run (e.g. its permission set could not be created). */
  resolve(change: Change): Resolved | string;
  /**
   * Makes the call. `submitted` journals an asynchronous request id the moment the cloud returns it. A create
   * returns the new object's id; `existing: true` means it used an object that was already there (not owned).
   */
  perform(
    change: Change,
    ids: Resolved,
    submitted: (requestId: string) => void,
  ): Promise<{ objectId?: string | null; existing?: boolean; requestId?: string | null } | undefined>;
  /** Runs `fn` inside the change's limits (outstanding requests, one role update per account...). */
  limit<T>(change: Change, fn: () => Promise<T>): Promise<T>;
  /** How many changes of this kind may be in flight at once. */
  concurrency(change: Change): number;
  /** The lane a change waits in (e.g. its account: one role update per account at a time), to interleave lanes. */
  lane?(change: Change): string;
  /** The longest this change may take when it is not the run's (e.g. a wait for Entra's provisioning). */
  timeoutMs?(change: Change): number | undefined;
};

/** A performer that hands the changes `mine` accepts to `own` and every other change to `other`. */
export function routePerformer(mine: (c: Change) => boolean, own: Performer, other: Performer): Performer {
  const pick = (c: Change) => (mine(c) ? own : other);
  return {
    resolve: (c) => pick(c).resolve(c),
    perform: (c, ids, submitted) => pick(c).perform(c, ids, submitted),
    limit: (c, fn) => pick(c).limit(c, fn),
    concurrency: (c) => pick(c).concurrency(c),
    lane: (c) => pick(c).lane?.(c) ?? c.kind,
    timeoutMs: (c) => pick(c).timeoutMs?.(c),
  };
}

/** Interleaves changes round-robin over their lanes, so that workers never queue up behind one lane. */
function interleave(batch: Change[], lane: ((c: Change) => string) | undefined): Change[] {
  if (!lane) return batch;
  const lanes = new Map<string, Change[]>();
  for (const c of batch) {
    const key = lane(c);
    if (!lanes.has(key)) lanes.set(key, []);
    lanes.get(key)!.push(c);
  }
  const out: Change[] = [];
  const queues = [...lanes.values()];
  for (let i = 0; out.length < batch.length; i++) for (const q of queues) if (i < q.length) out.push(q[i]);
  return out;
}

/** What happened to each change. */
export type ExecutionReport = {
  done: Change[];
  failed: { change: Change; error: string }[];
  /** Not attempted: a prerequisite failed or was cancelled. */
  cancelled: { change: Change; reason: string }[];
  /** Not attempted: the owner check failed, or its target could not be resolved. */
  refused: { change: Change; reason: string }[];
  /** Not started because the run was interrupted. */
  notStarted: Change[];
};

export type ExecuteOptions = {
  runId: string;
  journal: Journal;
  ownership: Ownership;
  log(line: string): void;
  /** Aborted (Ctrl-C): nothing new starts. */
  signal?: AbortSignal;
  /** The longest one change may take, its asynchronous request included (default 10 minutes). */
  timeoutMs?: number;
  /** Called after each change settles, with the count settled so far. */
  onProgress?(settled: number, total: number): void;
};

const reached = killSwitch(killPointFromEnv(process.env));

function describeError(error: unknown): string {
  const e = error as Error & { $metadata?: { requestId?: string } };
  const id = e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '';
  return `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(error)}${id}`;
}

/** Errors that prove a create did not happen (its ownership record is dropped). */
function definitelyNotCreated(error: unknown): boolean {
  const name = (error as Error).name ?? '';
  return /Conflict|NotManaged|Validation|AccessDenied|NotFound|BadRequest/.test(name);
}

/** Runs the changes; returns what happened to each. */
export async function executeChanges(
  changes: Change[],
  performer: Performer,
  options: ExecuteOptions,
): Promise<ExecutionReport> {
  const report: ExecutionReport = { done: [], failed: [], cancelled: [], refused: [], notStarted: [] };
  const ordered = orderChanges(changes);
  const deps = dependenciesOf(ordered);
  const state = new Map<string, 'done' | 'failed' | 'cancelled'>();
  let settled = 0;
  const settle = () => options.onProgress?.(++settled, ordered.length);

  const runOne = async (c: Change): Promise<void> => {
    const id = changeId(c);
    if (options.signal?.aborted) {
      report.notStarted.push(c);
      return;
    }
    const blocked = (deps.get(id) ?? []).find((d) => state.get(d) !== 'done' && state.has(d));
    if (blocked) {
      state.set(id, 'cancelled');
      report.cancelled.push({ change: c, reason: `cancelled: ${blocked} did not succeed` });
      options.log(`  - cancelled ${describeChange(c)} (${blocked} did not succeed)`);
      return settle();
    }
    const check = ownerCheck(c);
    if (check && !options.ownership.isOwned(check)) {
      state.set(id, 'cancelled');
      report.refused.push({ change: c, reason: `${check.kind} ${check.key} is not managed by iam2sso` });
      return settle();
    }
    const ids = performer.resolve(c);
    if (typeof ids === 'string') {
      state.set(id, 'cancelled');
      report.refused.push({ change: c, reason: ids });
      return settle();
    }
    const entryId = options.journal.begin({
      stepId: id,
      kind: c.kind,
      target: describeChange(c).slice(2),
      payload: { change: c, ids },
      undo: undoOf(c),
    });
    const made = createdObject(c);
    if (made) options.ownership.record(made, options.runId);
    const adopted = adoptedObject(c);
    if (adopted) options.ownership.record(adopted, options.runId, ids.objectId ?? null, 'adopted');
    reached('intent');
    try {
      const out = await performer.limit(c, () =>
        withTimeout(
          () =>
            performer.perform(c, ids, (requestId) => {
              options.journal.submitted(entryId, requestId);
              reached('submitted');
            }),
          performer.timeoutMs?.(c) ?? options.timeoutMs ?? 600_000,
          describeChange(c).slice(2),
        ),
      );
      if (made && out?.existing) options.ownership.release(made);
      else if (made && out?.objectId) options.ownership.record(made, options.runId, out.objectId);
      reached('result');
      const gone = deletedObject(c);
      if (gone) options.ownership.release(gone);
      options.journal.finish(entryId, { status: 'done', result: out ?? null });
      state.set(id, 'done');
      report.done.push(c);
      reached('done');
    } catch (error) {
      const message = describeError(error);
      if (made && definitelyNotCreated(error)) options.ownership.release(made);
      options.journal.finish(entryId, { status: 'failed', error: message });
      state.set(id, 'failed');
      report.failed.push({ change: c, error: message });
      options.log(`  ! ${describeChange(c).slice(2)}: ${message}`);
    }
    settle();
  };

  const phases = [...new Set(ordered.map(phaseOf))];
  for (const phase of phases) {
    const batch = interleave(
      ordered.filter((c) => phaseOf(c) === phase),
      performer.lane?.bind(performer),
    );
    const width = Math.max(1, ...batch.map((c) => performer.concurrency(c)));
    await mapLimit(batch, width, runOne);
  }
  return report;
}

/** Counts for a summary line. */
export function countReport(
  r: ExecutionReport,
): Record<'done' | 'failed' | 'cancelled' | 'refused' | 'notStarted', number> {
  return {
    done: r.done.length,
    failed: r.failed.length,
    cancelled: r.cancelled.length,
    refused: r.refused.length,
    notStarted: r.notStarted.length,
  };
}
