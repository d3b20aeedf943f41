/**
 * A `delete` that was killed and resumed is one delete made by two (or more) runs: the first took the user's
 * snapshot and made some removals, the next ones made the rest and the user's deletion. Undoing only one of those
 * runs would recreate a user without what the other removed (or try to restore what the other deleted onto a user
 * that is gone), so `rollback RUN` undoes every run of the delete together, newest first. Pure.
 */
import { stageOfChanges } from './decommission-rollback.js';

/** One journaled change of a user, in journal order. */
export type SpanEntry = { runId: string; change: { kind: string; accountId: string; userName: string } };

const keyOf = (c: { accountId: string; userName: string }) => `${c.accountId}/${c.userName}`;

/**
 * For each user (`account/user`) whose delete spans more than one run, one of them `target`: those runs, oldest
 * first. A delete starts at the run that took the user's snapshot (`snapshots`, one per delete; a resumed run keeps
 * the first) and takes in the later runs whose changes of the user are delete changes, up to the next snapshot.
 * `runOrder` lists every decommission run, oldest first.
 */
export function resumedDeleteSpans(
  journal: SpanEntry[],
  snapshots: { key: string; runId: string }[],
  runOrder: string[],
  target: string,
): Map<string, string[]> {
  const at = new Map(runOrder.map((r, i) => [r, i]));
  const pos = (run: string) => at.get(run) ?? -1;
  const out = new Map<string, string[]>();
  const keys = new Set([...journal.map((j) => keyOf(j.change)), ...snapshots.map((s) => s.key)]);
  for (const key of keys) {
    const mine = journal.filter((j) => keyOf(j.change) === key);
    const starts = snapshots
      .filter((s) => s.key === key)
      .map((s) => s.runId)
      .sort((a, b) => pos(a) - pos(b));
    for (const [i, start] of starts.entries()) {
      const end = i + 1 < starts.length ? pos(starts[i + 1]) : Number.POSITIVE_INFINITY;
      const runs = [...new Set(mine.map((j) => j.runId))]
        .filter((r) => pos(r) > pos(start) && pos(r) < end)
        .sort((a, b) => pos(a) - pos(b));
      const span = [start];
      for (const r of runs) {
        if (stageOfChanges(mine.filter((j) => j.runId === r).map((j) => j.change)) !== 'delete') break;
        span.push(r);
      }
      if (span.length > 1 && span.includes(target)) out.set(key, span);
    }
  }
  return out;
}
