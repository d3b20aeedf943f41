/**
 * Runs decommission's IAM changes through the one executor: journal before each call (a resumed run finds what a
 * killed one left open and marks it superseded, since the live read decides again), IAM's request rate, a timeout
 * per call, and the run recorded in `runs`. The dry run wraps the write, not the engine: writes become lines.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { writeIamChange } from '../aws/iam-user-writes.js';
import type { Change } from '../core/reconcile/changes.js';
import { describeIamChange, type IamChange, isIamChange } from '../core/reconcile/changes-iam.js';
import { countReport, type ExecutionReport, executeChanges, type Performer } from '../reconcile/executor.js';
import { type Journal, memoryJournal, stateJournal } from '../reconcile/journal.js';
import { TokenBucket } from '../reconcile/limits.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import type { StateDb } from '../store/db.js';
import { memoryOwnership, type Ownership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, startRun } from '../store/runs-repo.js';
import type { AccountIam } from '../verify/account-iam.js';
import type { Io } from './io.js';

/** A new run id for a decommission command (`decommission-...` or `decommission-rollback-...`). */
export function newDecommissionRunId(command: string, now: Date): string {
  return `${command}-${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
}

/**
 * A console password IAM's default policy accepts (upper, lower, digit, symbol; 20 characters), from the
 * operating system's random source. Only ever handed to `deliver`.
 */
export function newConsolePassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#$%^&*()-_=+'];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]);
  while (chars.length < 20) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** Marks what a killed decommission run left open as superseded (the live state is read again). */
function settleOpen(journal: Journal): number {
  const open = journal.open().filter((e) => e.kind.startsWith('iam.'));
  for (const e of open)
    journal.finish(e.entryId, { status: 'superseded', result: { reason: 'interrupted; re-read from live state' } });
  return open.length;
}

/** What a run of IAM changes needs. */
export type IamRunOptions = {
  db: StateDb;
  iam: AccountIam;
  runId: string;
  command: string;
  /** The run this one undoes (a rollback of one decommission run). */
  targetRunId?: string;
  dryRun: boolean;
  io: Io;
  /** IAM write requests per second (default 5). */
  rate?: number;
  /** Receives the password of each recreated login profile (never journaled or stored). */
  deliverPassword?(user: string, password: string): void;
  signal?: AbortSignal;
};

/** Runs the changes; returns the executor's report and the dry run's lines. */
export async function runIamChanges(
  changes: IamChange[],
  options: IamRunOptions,
): Promise<{ report: ExecutionReport; wrote: string[] }> {
  const { db, io } = options;
  const wrote: string[] = [];
  const journal = options.dryRun ? memoryJournal() : stateJournal(db, options.runId, options.command);
  const owned = stateOwnership(db);
  const ownership = options.dryRun ? memoryOwnership(owned) : owned;
  const lock = options.dryRun
    ? null
    : holdWriterLock(db, options.runId, { command: options.command, note: (line) => io.err(line) });
  try {
    return await executeIam(changes, options, { journal, ownership, wrote });
  } finally {
    lock?.release();
  }
}

async function executeIam(
  changes: IamChange[],
  options: IamRunOptions,
  run: { journal: Journal; ownership: Ownership; wrote: string[] },
): Promise<{ report: ExecutionReport; wrote: string[] }> {
  const { db, io } = options;
  const { journal, ownership, wrote } = run;
  if (!options.dryRun) {
    const settled = settleOpen(journal);
    if (settled) io.err(`Settled ${settled} change(s) an interrupted run left open; the live state decides again.`);
    startRun(db, options.runId, options.command, new Date(), options.targetRunId ?? null);
  }
  const bucket = new TokenBucket(options.rate ?? 5);
  const write = options.dryRun
    ? async (c: IamChange) => {
        wrote.push(describeIamChange(c));
      }
    : async (c: IamChange, password?: string) => writeIamChange(await options.iam.iamFor(c.accountId), c, password);
  const performer: Performer = {
    resolve: (c: Change) =>
      isIamChange(c) ? { accountId: c.accountId, userName: c.userName } : `${c.kind} is not an IAM change`,
    async perform(c: Change) {
      if (!isIamChange(c)) return undefined;
      const password = c.kind === 'iam.login-profile.create' && !options.dryRun ? newConsolePassword() : undefined;
      await write(c, password);
      if (password) options.deliverPassword?.(`${c.accountId}/${c.userName}`, password);
      return undefined;
    },
    limit: async (_c, fn) => {
      await bucket.take();
      return fn();
    },
    concurrency: () => 4,
    lane: (c: Change) => (isIamChange(c) ? c.accountId : ''),
  };
  const report = await executeChanges(changes, performer, {
    runId: options.runId,
    journal,
    ownership,
    signal: options.signal,
    timeoutMs: 120_000,
    log: (line) => io.err(line),
  });
  if (!options.dryRun)
    finishRun(
      db,
      options.runId,
      options.signal?.aborted ? 'interrupted' : report.failed.length ? 'failed' : 'done',
      countReport(report),
      new Date(),
    );
  return { report, wrote };
}

/** Whether every change of a user (`account/user`) succeeded. */
export function userSucceeded(report: ExecutionReport, key: string): boolean {
  const mine = (c: Change) => isIamChange(c) && `${c.accountId}/${c.userName}` === key;
  return (
    !report.failed.some((f) => mine(f.change)) &&
    !report.cancelled.some((f) => mine(f.change)) &&
    !report.refused.some((f) => mine(f.change)) &&
    !report.notStarted.some(mine)
  );
}
