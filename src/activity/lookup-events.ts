/**
 * The `lookup-events` source: CloudTrail LookupEvents in one account and region, within its limits (2 requests
 * per second per account and region, 50 events a page, one lookup attribute, 90 days;
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html). A few lookups answer the
 * question: sign-in events (IAM users' ConsoleLogin and Identity Center sign-in), the access portal, Identity
 * Center role sign-ins (AssumeRoleWithSAML), and one per remaining IAM user (their key use and console
 * sessions). Each lookup is incremental from its cursor: the newest event time read, and the ids of the events read
 * in the LATE_DELIVERY_MS before it, because CloudTrail shows an event some minutes after the call and not always in
 * order ("typically within 5 minutes", not guaranteed: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/
 * how-cloudtrail-works.html). The next run starts that much earlier and skips the ids it already read, so an event
 * delivered late is read once, and none twice.
 */
import { type CloudTrailClient, type LookupAttribute, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { type ActivityAggregator, activityFromRecord, recordProblem, trailTime } from '../core/track-records.js';
import type { TrackCursor } from '../store/track-repo.js';

/** How far back each incremental lookup reads again, for events CloudTrail delivers late. */
export const LATE_DELIVERY_MS = 15 * 60_000;

/** A cursor id entry: `<event time> <event id>` (an id alone, from older cursors, is dated at the cursor). */
function cursorEntry(entry: string, position: string): { time: string; id: string } {
  const at = entry.indexOf(' ');
  return at > 0 ? { time: entry.slice(0, at), id: entry.slice(at + 1) } : { time: position, id: entry };
}

/** One lookup: its attribute, and the scope name its cursor is stored under. */
export type Lookup = { scope: string; attribute: LookupAttribute };

/** The lookups for an account: shared ones, then one per IAM user there. */
export function lookupsFor(userNames: string[]): Lookup[] {
  const by = (key: LookupAttribute['AttributeKey'], value: string): Lookup => ({
    scope: `${key}=${value}`,
    attribute: { AttributeKey: key, AttributeValue: value },
  });
  return [
    by('EventSource', 'signin.amazonaws.com'),
    by('EventSource', 'sso.amazonaws.com'),
    by('EventName', 'AssumeRoleWithSAML'),
    ...[...new Set(userNames)].sort().map((u) => by('Username', u)),
  ];
}

/** Spaces calls so no more than `perSecond` start in any second (AWS: 2 per account and region). */
export class RateLimiter {
  private next = 0;
  constructor(
    private readonly perSecond: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Waits for the next free slot. */
  async take(): Promise<void> {
    const now = this.nowMs();
    const at = Math.max(now, this.next);
    // A little slack so requests stay within the limit where the server measures them, after network jitter.
    this.next = at + Math.ceil(1000 / this.perSecond) + 100;
    if (at > now) await this.sleep(at - now);
  }
}

type Stack = {
  middlewareStack: {
    addRelativeTo(mw: unknown, options: { relation: string; toMiddleware: string; name: string }): void;
  };
};

/** Makes every attempt the client sends (retries included) wait for `limiter`. */
export function limitClient<T>(client: T, limiter: RateLimiter): T {
  (client as unknown as Stack).middlewareStack.addRelativeTo(
    (next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
      await limiter.take();
      return next(args);
    },
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'iam2ssoLookupEventsRate' },
  );
  return client;
}

/** What one account and region gave. */
export type LookupResult = {
  events: number;
  calls: number;
  cursors: TrackCursor[];
  skipped: { where: string; problem: string; count: number }[];
};

type ReadOptions = {
  accountId: string;
  region: string;
  since: Date;
  until: Date;
  cursors: Map<string, TrackCursor>;
  onPage?: (events: number) => void;
};

/** Reads every lookup of one account and region into `into`, each from its cursor. */
export async function readLookups(
  client: CloudTrailClient,
  lookups: Lookup[],
  into: ActivityAggregator,
  options: ReadOptions,
): Promise<LookupResult> {
  const result: LookupResult = { events: 0, calls: 0, cursors: [], skipped: [] };
  const seen = new Set<string>();
  // CloudTrail dates events to the second: the bound is written the same way, so an event in the run's last second
  // compares as inside it ("…:01Z" > "…:01.500Z" as strings).
  const untilIso = trailTime(options.until);
  for (const lookup of lookups) {
    const cursor = options.cursors.get(`${options.accountId}|${options.region}|${lookup.scope}`);
    const resumeAt = cursor ? Date.parse(cursor.position) - LATE_DELIVERY_MS : Number.NEGATIVE_INFINITY;
    const start = resumeAt > options.since.getTime() ? new Date(resumeAt) : options.since;
    const recent = (cursor?.eventIds ?? []).map((e) => cursorEntry(e, cursor!.position));
    const already = new Set(recent.map((r) => r.id));
    let newest = cursor?.position ?? '';
    let token: string | undefined;
    do {
      result.calls++;
      const page = await client.send(
        new LookupEventsCommand({
          LookupAttributes: [lookup.attribute],
          StartTime: start,
          EndTime: options.until,
          MaxResults: 50,
          NextToken: token,
        }),
      );
      token = page.NextToken;
      let n = 0;
      for (const e of page.Events ?? []) {
        if (!e.EventId || already.has(e.EventId)) continue;
        already.add(e.EventId);
        recent.push({ time: e.EventTime?.toISOString() ?? newest, id: e.EventId });
        let record: unknown;
        try {
          record = JSON.parse(e.CloudTrailEvent ?? '');
        } catch {
          result.skipped.push({
            where: `event ${e.EventId} in ${options.accountId}`,
            problem: 'CloudTrailEvent is not JSON',
            count: 1,
          });
          continue;
        }
        const problem = recordProblem(record);
        if (problem) {
          result.skipped.push({ where: `event ${e.EventId} in ${options.accountId}`, problem, count: 1 });
          continue;
        }
        const row = activityFromRecord(record as Record<string, unknown>);
        if (row.lastTime > untilIso) {
          result.skipped.push({
            where: `event ${e.EventId} in ${options.accountId}`,
            problem: `dated ${row.lastTime}, after the run started`,
            count: 1,
          });
          continue;
        }
        if (row.lastTime > newest) newest = row.lastTime;
        recent[recent.length - 1].time = row.lastTime;
        if (seen.has(e.EventId)) continue; // a ConsoleLogin found by two lookups counts once
        seen.add(e.EventId);
        n++;
        into.add(row);
      }
      result.events += n;
      options.onPage?.(n);
    } while (token);
    if (newest)
      result.cursors.push({
        source: 'lookup-events',
        accountId: options.accountId,
        region: options.region,
        scope: lookup.scope,
        position: newest,
        // The ids read within the late-delivery window before the newest: the next run reads that window again.
        eventIds: recent
          .filter((r) => Date.parse(r.time) >= Date.parse(newest) - LATE_DELIVERY_MS)
          .map((r) => `${r.time} ${r.id}`),
      });
  }
  return result;
}
