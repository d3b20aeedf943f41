/**
 * The apply journal repository: intent written before each cloud write, the request id of an asynchronous one
 * as soon as it is known, the result after. Open entries (intent or submitted) are what a killed run left
 * behind; the next run resolves them before it reads the live state.
 */
import type { StateDb } from './db.js';

export type JournalStatus = 'intent' | 'submitted' | 'done' | 'failed' | 'superseded';

/** One journal row. */
export type JournalEntry = {
  entryId: number;
  runId: string;
  planHash: string;
  stepId: string;
  kind: string;
  target: string;
  payload: unknown;
  undo: unknown;
  status: JournalStatus;
  requestId: string | null;
  result: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
};

type Row = {
  entry_id: number;
  run_id: string;
  plan_hash: string;
  step_id: string;
  kind: string;
  target: string;
  payload_json: string;
  undo_json: string;
  status: JournalStatus;
  request_id: string | null;
  result_json: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
};

function toEntry(r: Row): JournalEntry {
  return {
    entryId: r.entry_id,
    runId: r.run_id,
    planHash: r.plan_hash,
    stepId: r.step_id,
    kind: r.kind,
    target: r.target,
    payload: JSON.parse(r.payload_json),
    undo: JSON.parse(r.undo_json),
    status: r.status,
    requestId: r.request_id,
    result: r.result_json === null ? null : JSON.parse(r.result_json),
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** What a new intent records. */
export type IntentInput = {
  runId: string;
  planHash: string;
  stepId: string;
  kind: string;
  target: string;
  payload: unknown;
  undo: unknown;
};

/** Records the intent of a write before it is made; returns the entry id. */
export function recordIntent(db: StateDb, input: IntentInput, now: Date): number {
  const out = db
    .prepare(
      `INSERT INTO apply_journal (run_id, plan_hash, step_id, kind, target, payload_json, undo_json, status, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'intent', ?)`,
    )
    .run(
      input.runId,
      input.planHash,
      input.stepId,
      input.kind,
      input.target,
      JSON.stringify(input.payload ?? {}),
      JSON.stringify(input.undo ?? {}),
      now.toISOString(),
    );
  return Number(out.lastInsertRowid);
}

/** Records the request id of an asynchronous write the cloud accepted (the entry stays open until it settles). */
export function recordSubmitted(db: StateDb, entryId: number, requestId: string): void {
  db.prepare(`UPDATE apply_journal SET status = 'submitted', request_id = ? WHERE entry_id = ?`).run(
    requestId,
    entryId,
  );
}

/** Closes an entry with its outcome. */
export function recordResult(
  db: StateDb,
  entryId: number,
  outcome: { status: 'done' | 'failed' | 'superseded'; result?: unknown; error?: string },
  now: Date,
): void {
  db.prepare('UPDATE apply_journal SET status = ?, result_json = ?, error = ?, finished_at = ? WHERE entry_id = ?').run(
    outcome.status,
    outcome.result === undefined ? null : JSON.stringify(outcome.result),
    outcome.error ?? null,
    now.toISOString(),
    entryId,
  );
}

/** Entries a run left open (intent written, result not), oldest first. */
export function openEntries(db: StateDb): JournalEntry[] {
  return (
    db.prepare(`SELECT * FROM apply_journal WHERE status IN ('intent', 'submitted') ORDER BY entry_id`).all() as Row[]
  ).map(toEntry);
}

/** Every entry of a run, in order. */
export function runEntries(db: StateDb, runId: string): JournalEntry[] {
  return (db.prepare('SELECT * FROM apply_journal WHERE run_id = ? ORDER BY entry_id').all(runId) as Row[]).map(
    toEntry,
  );
}
