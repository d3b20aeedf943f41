/**
 * The journal the executor writes through: intent before each call, the request id of an asynchronous call as
 * soon as the cloud accepts it, the result after. Backed by the state database, or by memory for a dry run.
 */
import type { StateDb } from '../store/db.js';
import { type JournalEntry, openEntries, recordIntent, recordResult, recordSubmitted } from '../store/journal-repo.js';

/** What a step is about to do. */
export type StepSpec = { stepId: string; kind: string; target: string; payload?: unknown; undo?: unknown };

/** The journal port. */
export type Journal = {
  begin(step: StepSpec): number;
  submitted(entryId: number, requestId: string): void;
  finish(
    entryId: number,
    outcome: { status: 'done' | 'failed' | 'superseded'; result?: unknown; error?: string },
  ): void;
  /** Entries earlier runs left open. */
  open(): JournalEntry[];
};

/** The journal in the state database for one run of one plan. */
export function stateJournal(
  db: StateDb,
  runId: string,
  planHash: string,
  now: () => Date = () => new Date(),
): Journal {
  return {
    begin: (step) => recordIntent(db, { runId, planHash, payload: {}, undo: {}, ...step }, now()),
    submitted: (entryId, requestId) => recordSubmitted(db, entryId, requestId),
    finish: (entryId, outcome) => recordResult(db, entryId, outcome, now()),
    open: () => openEntries(db),
  };
}

/** A journal kept in memory (dry run: nothing is written to the state database). */
export function memoryJournal(): Journal & { entries: (StepSpec & { status: string })[] } {
  const entries: (StepSpec & { status: string })[] = [];
  return {
    entries,
    begin(step) {
      entries.push({ ...step, status: 'intent' });
      return entries.length - 1;
    },
    submitted(id) {
      entries[id].status = 'submitted';
    },
    finish(id, outcome) {
      entries[id].status = outcome.status;
    },
    open: () => [],
  };
}
