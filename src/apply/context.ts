/**
 * What the executor's steps share: the ports, the journal, the live ids, the limits, and the report they fill.
 * `runStep` is the one place a write is journaled (intent, then result) and a failure is recorded without
 * stopping the other steps.
 */
import type { Skipped } from '../core/reconcile/desired.js';
import type { Journal, StepSpec } from './journal.js';
import type { KeyedMutex, Semaphore } from './limits.js';
import type { ApplyPorts } from './ports.js';
import type { LiveContext } from './read-live.js';

/** What apply did, as `--json` prints it. */
export type ApplyReport = {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
  skipped: Skipped[];
  failed: { item: string; error: string }[];
};

/** Identity Center's quotas, enforced on our side. */
export type ApplyLimits = {
  /** Outstanding asynchronous requests (AWS: 15). */
  async: Semaphore;
  /** Concurrent ProvisionPermissionSet calls (AWS: 3). */
  provision: Semaphore;
  /** One role update per account at a time. */
  accounts: KeyedMutex;
  /** One provisioning per permission set at a time. */
  permissionSets: KeyedMutex;
};

export type ExecContext = {
  ports: ApplyPorts;
  journal: Journal;
  live: LiveContext;
  report: ApplyReport;
  limits: ApplyLimits;
  concurrency: number;
  /** First poll interval of asynchronous requests (doubles up to 2 s). */
  pollMs: number;
  sleep(ms: number): Promise<void>;
  log(line: string): void;
};

/** An empty report. */
export function emptyReport(): ApplyReport {
  return { created: [], updated: [], deleted: [], unchanged: [], skipped: [], failed: [] };
}

function describeError(error: unknown): string {
  const e = error as Error & { $metadata?: { requestId?: string } };
  const id = e.$metadata?.requestId ? ` (request ${e.$metadata.requestId})` : '';
  return `${e.name ?? 'Error'}: ${e.message}${id}`;
}

/**
 * Journals one write (intent before, result after) and runs it. A failure is recorded in the report under
 * `item` and returns `{ ok: false }`: the caller skips what depends on it, the rest goes on.
 */
export async function runStep<T>(
  ctx: ExecContext,
  spec: StepSpec,
  item: string,
  fn: (entryId: number) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false }> {
  const entryId = ctx.journal.begin(spec);
  try {
    const value = await fn(entryId);
    ctx.journal.finish(entryId, { status: 'done', result: value ?? null });
    return { ok: true, value };
  } catch (error) {
    const message = describeError(error);
    ctx.journal.finish(entryId, { status: 'failed', error: message });
    ctx.report.failed.push({ item, error: message });
    ctx.log(`  ! ${item}: ${message}`);
    return { ok: false };
  }
}

/** Polls an asynchronous Identity Center request until it settles; throws with AWS's reason when it failed. */
export async function awaitRequest(
  ctx: ExecContext,
  kind: 'create-assignment' | 'delete-assignment' | 'provision',
  requestId: string,
): Promise<void> {
  let wait = ctx.pollMs;
  for (;;) {
    const s = await ctx.ports.identityCenter.asyncStatus(kind, requestId);
    if (s.status === 'SUCCEEDED') return;
    if (s.status === 'FAILED') throw new Error(`${kind} ${requestId} failed: ${s.failureReason ?? 'no reason given'}`);
    await ctx.sleep(wait);
    wait = Math.min(wait * 2, 2000);
  }
}
