/**
 * Whether a result the dashboard shows from an earlier command (a pending diff, an explain chain) still says
 * something about now: it is stale once an audit ran after it, or once the plan it was computed for was edited.
 * Pure: the times are given.
 */

/** When a stored result was computed and whether it is stale, with why. */
export type Freshness = { computedAt: string; stale: boolean; why: string | null };

/** Judges a result computed at `computedAt` against the last audit and, for a pending diff, the plan it was for. */
export function freshnessOf(computedAt: string, lastAuditAt: string | null, planChanged = false): Freshness {
  if (lastAuditAt && Date.parse(lastAuditAt) > Date.parse(computedAt))
    return { computedAt, stale: true, why: `older than the last audit (${lastAuditAt})` };
  if (planChanged) return { computedAt, stale: true, why: 'the plan file has changed since' };
  return { computedAt, stale: false, why: null };
}
