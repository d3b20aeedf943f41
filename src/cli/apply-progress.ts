/**
 * apply's per-change lines: as each change is made, `[12/81] + permission set Developers` on stderr, so a long apply
 * shows where it is. Off with `--no-progress` (and `--quiet`) and in a dry run, which lists its writes instead.
 */
import { describeChange } from '../core/reconcile/changes.js';
import type { Performer } from '../reconcile/executor.js';

/** The performer, reporting each change it made through `say`; the performer itself when `enabled` is false. */
export function reportingPerformer(
  performer: Performer,
  total: number,
  say: (line: string) => void,
  enabled: boolean,
): Performer {
  if (!enabled) return performer;
  let made = 0;
  const width = String(total).length;
  return {
    resolve: (c) => performer.resolve(c),
    limit: (c, fn) => performer.limit(c, fn),
    concurrency: (c) => performer.concurrency(c),
    ...(performer.lane ? { lane: (c) => performer.lane?.(c) ?? '' } : {}),
    ...(performer.timeoutMs ? { timeoutMs: (c) => performer.timeoutMs?.(c) } : {}),
    async perform(c, ids, submitted) {
      const out = await performer.perform(c, ids, submitted);
      made++;
      say(`  [${String(made).padStart(width)}/${total}] ${describeChange(c)}`);
      return out;
    },
  };
}
