/**
 * Which days of a period `track` has read CloudTrail for, from the windows of its runs (each run reads from its
 * `since` to its `until`, except in the accounts it could not reach). A gap between runs, a run that skipped the
 * account, or a last run too long ago leaves days nobody looked at: use there would go unseen. Access keys work in
 * every region and LookupEvents answers for one region, so coverage is per account and region: every region a run
 * in the window read must be read for the whole window. Pure.
 */

/**
 * The window one `track` run read, and the accounts it could not read. `regions`: the regions it asked (LookupEvents
 * is regional); absent or null for sources that hold every region (trail files, Athena) and for runs recorded
 * before regions were. `unreachableRegions`: an account's regions that failed while its other regions were read.
 */
export type TrackWindow = {
  since: string;
  until: string;
  unreachable: string[];
  regions?: string[] | null;
  unreachableRegions?: { accountId: string; region: string }[];
};

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

/** Whether a window read `region` of `accountId` (region null: a window that holds every region). */
function reads(w: TrackWindow, accountId: string, region: string | null): boolean {
  if (w.unreachable.includes(accountId)) return false;
  if (region === null || !w.regions) return true;
  return (
    w.regions.includes(region) && !w.unreachableRegions?.some((u) => u.accountId === accountId && u.region === region)
  );
}

/**
 * The gaps of [from, to] per region of `accountId`: every region a window that overlaps the period read (or, when
 * none names its regions, the account as a whole, region null). Only regions with gaps are returned, by name.
 */
export function regionalCoverageGaps(
  windows: TrackWindow[],
  accountId: string,
  from: number,
  to: number,
): { region: string | null; gaps: { start: number; end: number }[] }[] {
  const overlapping = windows.filter((w) => Date.parse(w.until) > from && Date.parse(w.since) < to);
  const regions = [...new Set(overlapping.flatMap((w) => w.regions ?? []))].sort();
  const out: { region: string | null; gaps: { start: number; end: number }[] }[] = [];
  for (const region of regions.length ? regions : [null]) {
    const covering = windows.filter((w) => reads(w, accountId, region)).map((w) => ({ ...w, unreachable: [] }));
    const gaps = coverageGaps(covering, accountId, from, to);
    if (gaps.length) out.push({ region, gaps });
  }
  return out;
}
