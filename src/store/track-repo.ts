/**
 * The track repository: the timeline (merged per source: incremental sources add to it, full-window sources
 * replace their rows), the incremental cursors, and each run with its statuses. One transaction per save.
 */
import type { TrackReport } from '../core/track-status.js';
import { mergeEntry } from '../core/track-timeline.js';
import type { TimelineEntry } from '../core/track-types.js';
import type { StateDb } from './db.js';

/** Where an incremental source stopped in one account, region and scope. */
export type TrackCursor = {
  source: string;
  accountId: string;
  region: string;
  scope: string;
  position: string;
  eventIds: string[];
};

/** A finished track run, as saved. */
export type TrackRunRecord = {
  runId: string;
  source: string;
  startedAt: string;
  eventsRead: number;
  apiCalls: number;
  skipped: unknown;
  summary: unknown;
  report: TrackReport;
};

type TimelineRow = {
  source: string;
  subject_kind: TimelineEntry['subjectKind'];
  subject: string;
  usage: TimelineEntry['usage'];
  via: TimelineEntry['via'];
  account_id: string;
  detail: string;
  first_time: string;
  last_time: string;
  events: number;
  first_event_id: string;
  last_event_id: string;
  last_service: string | null;
  last_source_ip: string | null;
  last_user_agent: string | null;
  mfa: number | null;
};

function toEntry(r: TimelineRow): TimelineEntry {
  return {
    subjectKind: r.subject_kind,
    subject: r.subject,
    usage: r.usage,
    via: r.via,
    accountId: r.account_id,
    detail: r.detail,
    firstTime: r.first_time,
    lastTime: r.last_time,
    events: r.events,
    firstEventId: r.first_event_id,
    lastEventId: r.last_event_id,
    lastService: r.last_service,
    lastSourceIp: r.last_source_ip,
    lastUserAgent: r.last_user_agent,
    mfa: r.mfa === null ? null : r.mfa === 1,
  };
}

/** Every timeline entry, or one source's. */
export function loadTimeline(db: StateDb, source?: string): (TimelineEntry & { source: string })[] {
  const rows = (
    source
      ? db.prepare('SELECT * FROM track_timeline WHERE source = ?').all(source)
      : db.prepare('SELECT * FROM track_timeline').all()
  ) as TimelineRow[];
  return rows.map((r) => ({ ...toEntry(r), source: r.source }));
}

/** The cursors of a source. */
export function loadCursors(db: StateDb, source: string): TrackCursor[] {
  const rows = db.prepare('SELECT * FROM track_cursors WHERE source = ?').all(source) as {
    account_id: string;
    region: string;
    scope: string;
    position: string;
    event_ids_json: string;
  }[];
  return rows.map((r) => ({
    source,
    accountId: r.account_id,
    region: r.region,
    scope: r.scope,
    position: r.position,
    eventIds: JSON.parse(r.event_ids_json) as string[],
  }));
}

const UPSERT = `INSERT INTO track_timeline (source, subject_kind, subject, usage, via, account_id, detail, first_time,
  last_time, events, first_event_id, last_event_id, last_service, last_source_ip, last_user_agent, mfa)
  VALUES (@source, @subjectKind, @subject, @usage, @via, @accountId, @detail, @firstTime, @lastTime, @events,
  @firstEventId, @lastEventId, @lastService, @lastSourceIp, @lastUserAgent, @mfa)
  ON CONFLICT (source, subject_kind, subject, usage, via, account_id, detail) DO UPDATE SET
  first_time = excluded.first_time, last_time = excluded.last_time, events = excluded.events,
  first_event_id = excluded.first_event_id, last_event_id = excluded.last_event_id,
  last_service = excluded.last_service, last_source_ip = excluded.last_source_ip,
  last_user_agent = excluded.last_user_agent, mfa = excluded.mfa`;

/**
 * Saves what a run read: `mode` 'add' merges the entries into the source's timeline (incremental sources),
 * 'replace' swaps the source's timeline for them (sources that re-read the whole window). Cursors and the run's
 * statuses are saved in the same transaction, so a run that dies leaves the previous state whole.
 */
export function saveTrackRun(
  db: StateDb,
  run: TrackRunRecord,
  entries: TimelineEntry[],
  mode: 'add' | 'replace',
  cursors: TrackCursor[],
): void {
  const upsert = db.prepare(UPSERT);
  db.transaction(() => {
    const existing = new Map(
      mode === 'add'
        ? loadTimeline(db, run.source).map((e) => [
            JSON.stringify([e.subjectKind, e.subject, e.usage, e.via, e.accountId, e.detail]),
            e,
          ])
        : [],
    );
    if (mode === 'replace') db.prepare('DELETE FROM track_timeline WHERE source = ?').run(run.source);
    for (const e of entries) {
      const key = JSON.stringify([e.subjectKind, e.subject, e.usage, e.via, e.accountId, e.detail]);
      const merged = existing.get(key) ?? { ...e, events: 0 };
      if (existing.has(key)) mergeEntry(merged, e);
      else merged.events = e.events;
      upsert.run({ ...merged, source: run.source, mfa: merged.mfa === null ? null : merged.mfa ? 1 : 0 });
    }
    const cursor =
      db.prepare(`INSERT INTO track_cursors (source, account_id, region, scope, position, event_ids_json, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, account_id, region, scope) DO UPDATE SET
      position = excluded.position, event_ids_json = excluded.event_ids_json, updated_at = excluded.updated_at`);
    for (const c of cursors)
      cursor.run(c.source, c.accountId, c.region, c.scope, c.position, JSON.stringify(c.eventIds), run.startedAt);
    saveRun(db, run);
  })();
}

function saveRun(db: StateDb, run: TrackRunRecord): void {
  const { report } = run;
  db.prepare(
    `INSERT INTO track_runs (run_id, source, started_at, window_since, window_until, events_read, api_calls,
      skipped_json, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    run.runId,
    run.source,
    run.startedAt,
    report.window.since,
    report.window.until,
    run.eventsRead,
    run.apiCalls,
    JSON.stringify(run.skipped),
    JSON.stringify(run.summary),
  );
  const status = db.prepare(`INSERT INTO track_statuses (run_id, subject_kind, subject, status, since, last_legacy,
    first_sso, last_sso, evidence_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const p of report.people)
    status.run(
      run.runId,
      'person',
      p.upn,
      p.status,
      p.since,
      p.lastLegacy?.time ?? null,
      p.firstSso?.time ?? null,
      p.lastSso?.time ?? null,
      JSON.stringify({ lastLegacy: p.lastLegacy, firstSso: p.firstSso, lastSso: p.lastSso, sso: p.sso }),
    );
  for (const u of report.iamUsers)
    status.run(
      run.runId,
      'iam-user',
      `${u.accountId}/${u.userName}`,
      u.status,
      null,
      u.lastLegacy?.time ?? null,
      null,
      null,
      JSON.stringify({ lastLegacy: u.lastLegacy, keys: u.keys, console: u.lastConsoleSignIn, attempts: u.attempts }),
    );
}

/** The statuses of the newest run (what decommissioning gates on), by subject. */
export function latestTrackStatuses(
  db: StateDb,
): { runId: string; subjectKind: string; subject: string; status: string; since: string | null }[] {
  const run = db.prepare('SELECT run_id FROM track_runs ORDER BY started_at DESC, rowid DESC LIMIT 1').get() as
    | { run_id: string }
    | undefined;
  if (!run) return [];
  return (
    db
      .prepare('SELECT subject_kind, subject, status, since FROM track_statuses WHERE run_id = ? ORDER BY subject')
      .all(run.run_id) as { subject_kind: string; subject: string; status: string; since: string | null }[]
  ).map((r) => ({
    runId: run.run_id,
    subjectKind: r.subject_kind,
    subject: r.subject,
    status: r.status,
    since: r.since,
  }));
}
