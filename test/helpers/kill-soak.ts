/**
 * The kill -9 soak every writer's test shares: SIGKILLs at chosen journal states (`intent:N` after the Nth intent,
 * before its call; `submitted:N` after an asynchronous request id; `result:N` after a call succeeded, before its result
 * is journaled; `done:N` between two changes; see src/reconcile/kill-point.ts), then IAM2SSO_KILLS seeded random ones
 * (IAM2SSO_SOAK_SEED replays a failing soak).
 */
import Database from 'better-sqlite3';
import type { CliResult } from '../../packages/sandbox/test/helpers/sandbox.js';

/** A small seeded generator (mulberry32), so a failing soak can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The chosen kill points, then `IAM2SSO_KILLS` (default `randomKills`) random ones: a state of `states` after up to
 * `upTo` journal writes of it, from the seed `IAM2SSO_SOAK_SEED` (default 1).
 */
export function soakPoints(
  chosen: string[],
  random: { states: string[]; upTo: number; randomKills: number },
): string[] {
  const next = seeded(Number(process.env.IAM2SSO_SOAK_SEED ?? 1));
  const count = Number(process.env.IAM2SSO_KILLS ?? random.randomKills);
  return [
    ...chosen,
    ...Array.from(
      { length: count },
      () => `${random.states[Math.floor(next() * random.states.length)]}:${1 + Math.floor(next() * random.upTo)}`,
    ),
  ];
}

/** Journal entries left open (an intent, or a submitted request, with no result) in a state database. */
export function openJournalEntries(statePath: string): number {
  const db = new Database(statePath, { readonly: true });
  try {
    return (
      db.prepare("SELECT COUNT(*) AS n FROM apply_journal WHERE status IN ('intent', 'submitted')").get() as {
        n: number;
      }
    ).n;
  } finally {
    db.close();
  }
}

/** The newest journal entry's id (0 when empty): the soak's own entries come after it. */
export function lastEntryId(statePath: string): number {
  const db = new Database(statePath, { readonly: true });
  try {
    return (db.prepare('SELECT COALESCE(MAX(entry_id), 0) AS n FROM apply_journal').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The step ids journaled done after entry `after`, with how often (a count above 1: a change made twice). */
export function doneSteps(statePath: string, after = 0): Map<string, number> {
  const db = new Database(statePath, { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT step_id, COUNT(*) AS n FROM apply_journal WHERE status = 'done' AND entry_id > ? GROUP BY step_id",
      )
      .all(after) as { step_id: string; n: number }[];
    return new Map(rows.map((r) => [r.step_id, r.n]));
  } finally {
    db.close();
  }
}

/** The entries journaled done after entry `after`, with their run and undo record. */
export function doneEntries(statePath: string, after = 0): { runId: string; stepId: string; undo: unknown }[] {
  const db = new Database(statePath, { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT run_id, step_id, undo_json AS undo FROM apply_journal WHERE status = 'done' AND entry_id > ? ORDER BY entry_id",
      )
      .all(after) as { run_id: string; step_id: string; undo: string | null }[];
    return rows.map((r) => ({ runId: r.run_id, stepId: r.step_id, undo: r.undo ? JSON.parse(r.undo) : null }));
  } finally {
    db.close();
  }
}

/** The journaled runs, oldest first. */
export function journalRuns(statePath: string): { run_id: string; command: string; status: string }[] {
  const db = new Database(statePath, { readonly: true });
  try {
    return db.prepare('SELECT run_id, command, status FROM runs ORDER BY started_at, rowid').all() as {
      run_id: string;
      command: string;
      status: string;
    }[];
  } finally {
    db.close();
  }
}

/** What the kills did: how many landed, how many left journal entries open, and one word per point. */
export type SoakTally = { killed: number; leftOpen: number; outcomes: string[] };

/** Runs the command once per kill point (`IAM2SSO_KILL_AT`), counting the kills that left work behind. */
export async function killAtEach(
  points: string[],
  run: (env: Record<string, string>) => Promise<CliResult>,
  statePath: string,
): Promise<SoakTally> {
  const tally: SoakTally = { killed: 0, leftOpen: 0, outcomes: [] };
  for (const point of points) {
    const r = await run({ IAM2SSO_KILL_AT: point });
    const killed = r.status === -1;
    const open = openJournalEntries(statePath);
    if (killed) tally.killed++;
    if (killed && open > 0) tally.leftOpen++;
    tally.outcomes.push(`${point}=${killed ? `killed(${open} open)` : r.status}`);
  }
  return tally;
}
