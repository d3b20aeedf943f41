/**
 * Classified activity to timeline entries: one per subject and way in (IAM user and key, person and permission
 * set), with first and last use and their evidence. Entries from several runs or sources merge. Pure.
 */
import { classifyActivity } from './track-classify.js';
import { trailTime } from './track-records.js';
import type { ActivityRow, TimelineEntry, Usage } from './track-types.js';

/** What was read but left out of the timeline, with examples to name. */
export type SkippedRecords = {
  /** Records whose userIdentity.type iam2sso does not know, by type. */
  unrecognized: number;
  /** Records dated after the run started. */
  future: number;
  examples: string[];
};

/** The timeline built from a batch of rows, what else was seen, and what was skipped. */
export type TimelineBatch = {
  entries: TimelineEntry[];
  /** Records that are neither legacy nor SSO use, by reason (root, AWS services, other federation...). */
  other: Record<string, number>;
  skipped: SkippedRecords;
  events: number;
};

/** An empty count of skipped records. */
export function noSkipped(): SkippedRecords {
  return { unrecognized: 0, future: 0, examples: [] };
}

/** The key that identifies a timeline entry. */
export function timelineKey(
  e: Pick<TimelineEntry, 'subjectKind' | 'subject' | 'usage' | 'via' | 'accountId' | 'detail'>,
) {
  return [e.subjectKind, e.subject, e.usage, e.via, e.accountId, e.detail].join('\u0001');
}

function entryFor(usage: Usage, row: ActivityRow): TimelineEntry | null {
  const base = {
    firstTime: row.firstTime,
    lastTime: row.lastTime,
    events: row.count,
    firstEventId: row.firstEventId,
    lastEventId: row.lastEventId,
    lastService: row.eventSource.replace(/\.amazonaws\.com$/, ''),
    lastSourceIp: row.lastSourceIp,
    lastUserAgent: row.lastUserAgent,
  };
  if (usage.kind === 'legacy' || usage.kind === 'legacy-attempt') {
    return {
      ...base,
      subjectKind: 'iam-user',
      subject: `${usage.accountId}/${usage.userName}`,
      usage: usage.kind,
      via: usage.via,
      accountId: usage.accountId,
      detail: usage.accessKeyId,
      mfa: usage.via === 'console-sign-in' && usage.kind === 'legacy' ? (usage.mfa ?? false) : null,
    };
  }
  if (usage.kind === 'direct-saml') {
    return {
      ...base,
      subjectKind: 'person',
      subject: usage.upn,
      usage: 'direct-saml',
      via: 'saml-role',
      accountId: usage.accountId,
      detail: usage.roleName,
      mfa: null,
    };
  }
  if (usage.kind === 'sso') {
    const s = usage.subject;
    return {
      ...base,
      subjectKind: s.kind === 'name' ? 'person' : 'idc-user',
      subject: s.kind === 'name' ? s.name.toLowerCase() : `${s.identityStoreArn}#${s.userId}`,
      usage: 'sso',
      via: usage.via,
      accountId: usage.accountId,
      detail: usage.permissionSet,
      mfa: null,
    };
  }
  return null;
}

/** Merges `entry` into `into` (same key): first and last keep their evidence, counts add. */
export function mergeEntry(into: TimelineEntry, entry: TimelineEntry): void {
  into.events += entry.events;
  // Same-second events are ordered by id, as the SQL sources order them.
  if (
    entry.firstTime < into.firstTime ||
    (entry.firstTime === into.firstTime && entry.firstEventId < into.firstEventId)
  ) {
    into.firstTime = entry.firstTime;
    into.firstEventId = entry.firstEventId;
  }
  if (entry.lastTime > into.lastTime || (entry.lastTime === into.lastTime && entry.lastEventId > into.lastEventId)) {
    into.lastTime = entry.lastTime;
    into.lastEventId = entry.lastEventId;
    into.lastService = entry.lastService;
    into.lastSourceIp = entry.lastSourceIp;
    into.lastUserAgent = entry.lastUserAgent;
    into.mfa = entry.mfa;
  }
}

/** Merges lists of entries into one entry per key. */
export function mergeTimelines(...lists: TimelineEntry[][]): TimelineEntry[] {
  const byKey = new Map<string, TimelineEntry>();
  for (const list of lists)
    for (const e of list) {
      const key = timelineKey(e);
      const have = byKey.get(key);
      if (have) mergeEntry(have, e);
      else byKey.set(key, { ...e });
    }
  return [...byKey.values()];
}

/**
 * Classifies rows into timeline entries. Rows dated after `now` are skipped (a clock problem or a forged
 * record), as are rows whose identity type is unknown; both are counted and named.
 */
export function buildTimeline(rows: ActivityRow[], now: Date): TimelineBatch {
  const nowIso = trailTime(now); // CloudTrail's format, so the run's own second is not "the future"
  const other: Record<string, number> = {};
  const skipped = noSkipped();
  const entries: TimelineEntry[] = [];
  let events = 0;
  for (const row of rows) {
    events += row.count;
    if (row.lastTime > nowIso) {
      skipped.future += row.count;
      if (skipped.examples.length < 20)
        skipped.examples.push(`event ${row.lastEventId} at ${row.lastTime} in ${row.accountId} is in the future`);
      continue;
    }
    const usage = classifyActivity(row);
    if (usage.kind === 'unrecognized') {
      skipped.unrecognized += row.count;
      if (skipped.examples.length < 20)
        skipped.examples.push(`event ${row.lastEventId} in ${row.accountId}: ${usage.reason}`);
      continue;
    }
    if (usage.kind === 'other') {
      other[usage.reason] = (other[usage.reason] ?? 0) + row.count;
      continue;
    }
    const entry = entryFor(usage, row);
    if (entry) entries.push(entry);
  }
  return { entries: mergeTimelines(entries), other, skipped, events };
}
