/**
 * Which days of a period `track` has read CloudTrail for, from the windows of its runs (each run reads from its
 * `since` to its `until`, except in the accounts it could not reach). A gap between runs, a run that skipped the
 * account, or a last run too long ago leaves days nobody looked at: use there would go unseen. Pure.
 */

/** The window one `track` run read, and the accounts it could not read. */
export type TrackWindow = { since: string; until: string; unreachable: string[] };

const DAY = 86_400_000;

/** How long before now the newest read may end: CloudTrail delivers within minutes, people run track daily. */
export const TRACK_TAIL_MS = DAY;

/** The stretches of [from, to] that no window covering `accountId` reads. */
export function coverageGaps(
  windows: TrackWindow[],
  accountId: string,
  from: number,
  to: number,
): { start: number; end: number }[] {
  const spans = windows
    .filter((w) => !w.unreachable.includes(accountId))
    .map((w) => ({ start: Date.parse(w.since), end: Date.parse(w.until) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const gaps: { start: number; end: number }[] = [];
  let at = from;
  for (const s of spans) {
    if (at >= to) break;
    if (s.start > at) gaps.push({ start: at, end: Math.min(s.start, to) });
    at = Math.max(at, s.end);
  }
  if (at < to) gaps.push({ start: at, end: to });
  return gaps;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The UTC days the gaps touch, as `YYYY-MM-DD` or `YYYY-MM-DD to YYYY-MM-DD` ranges (adjacent days joined). */
export function describeDays(gaps: { start: number; end: number }[]): string[] {
  const ranges: [string, string][] = [];
  for (const g of gaps) {
    const [first, lastDay] = [day(g.start), day(g.end - 1)];
    const prev = ranges[ranges.length - 1];
    if (prev && Date.parse(first) - Date.parse(prev[1]) <= DAY)
      prev[1] = lastDay; // gaps come in order
    else ranges.push([first, lastDay]);
  }
  return ranges.map(([a, b]) => (a === b ? a : `${a} to ${b}`));
}
