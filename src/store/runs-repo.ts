/** Runs: one row per journaled command run, with its status and counts from the journal. */
import type { StateDb } from './db.js';

export type RunStatus = 'running' | 'done' | 'failed' | 'interrupted';

/** A run with its journal counts. */
export type RunRecord = {
  runId: string;
  command: string;
  status: RunStatus;
  targetRunId: string | null;
  startedAt: string;
  finishedAt: string | null;
  counts: { done: number; failed: number; open: number; superseded: number };
  summary: unknown;
};

/** Records the start of a run. */
export function startRun(
  db: StateDb,
  runId: string,
  command: string,
  now: Date,
  targetRunId: string | null = null,
): void {
  db.prepare(
    `INSERT INTO runs (run_id, command, status, target_run_id, started_at) VALUES (?, ?, 'running', ?, ?)`,
  ).run(runId, command, targetRunId, now.toISOString());
}

/** Records how a run ended. */
export function finishRun(
  db: StateDb,
  runId: string,
  status: Exclude<RunStatus, 'running'>,
  summary: unknown,
  now: Date,
): void {
  db.prepare('UPDATE runs SET status = ?, summary_json = ?, finished_at = ? WHERE run_id = ?').run(
    status,
    JSON.stringify(summary ?? null),
    now.toISOString(),
    runId,
  );
}

/** Every run, oldest first, with the counts of its journal entries. */
export function listRuns(db: StateDb): RunRecord[] {
  const rows = db
    .prepare(
      `SELECT r.*, 
         (SELECT COUNT(*) FROM apply_journal j WHERE j.run_id = r.run_id AND j.status = 'done') AS done,
         (SELECT COUNT(*) FROM apply_journal j WHERE j.run_id = r.run_id AND j.status = 'failed') AS failed,
         (SELECT COUNT(*) FROM apply_journal j WHERE j.run_id = r.run_id AND j.status IN ('intent', 'submitted')) AS open,
         (SELECT COUNT(*) FROM apply_journal j WHERE j.run_id = r.run_id AND j.status = 'superseded') AS superseded
       FROM runs r ORDER BY r.started_at, r.run_id`,
    )
    .all() as {
    run_id: string;
    command: string;
    status: RunStatus;
    target_run_id: string | null;
    started_at: string;
    finished_at: string | null;
    summary_json: string | null;
    done: number;
    failed: number;
    open: number;
    superseded: number;
  }[];
  return rows.map((r) => ({
    runId: r.run_id,
    command: r.command,
    status: r.status,
    targetRunId: r.target_run_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    counts: { done: r.done, failed: r.failed, open: r.open, superseded: r.superseded },
    summary: r.summary_json ? JSON.parse(r.summary_json) : null,
  }));
}
