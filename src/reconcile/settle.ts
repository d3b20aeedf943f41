/**
 * What a killed run of a writer whose calls are synchronous (scp, entra harden) left open in the journal is settled
 * from the live state it read before planning: a change the live state shows in place is journaled done (the call
 * went through, so its undo is kept for rollback and what it created stays recorded as owned); anything else is
 * superseded, because the plan made from that same read decides again whether it is still needed.
 */
import type { Change } from '../core/reconcile/changes.js';
import type { JournalEntry } from '../store/journal-repo.js';
import type { Journal } from './journal.js';

/** How many open entries were found done, and how many superseded. */
export type Settled = { done: number; superseded: number };

/** Settles the open entries whose change `belongs` to the writer, by `tookEffect` on its live read. */
export function settleFromLive(
  journal: Journal,
  belongs: (change: Change, entry: JournalEntry) => boolean,
  tookEffect: (change: Change) => boolean,
): Settled {
  const out: Settled = { done: 0, superseded: 0 };
  for (const entry of journal.open()) {
    const change = (entry.payload as { change?: Change }).change;
    if (!change || !belongs(change, entry)) continue;
    if (tookEffect(change)) {
      journal.finish(entry.entryId, { status: 'done', result: { resumed: true } });
      out.done++;
    } else {
      journal.finish(entry.entryId, { status: 'superseded', result: { reason: 'not in place; planned again' } });
      out.superseded++;
    }
  }
  return out;
}

/** One line for the log, or null when nothing was open. */
export function describeSettled(s: Settled): string | null {
  if (s.done + s.superseded === 0) return null;
  return `Settled ${s.done + s.superseded} change(s) an interrupted run left open: ${s.done} had taken effect, ${s.superseded} planned again.`;
}
