/** The work of `iam2sso track`: read a source, classify, merge into the stored timeline, compute and save statuses. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolveIdcUsers } from '../activity/idc-users.js';
import { awsSettingsFromEnv } from '../aws/clients.js';
import { cloudClock } from '../aws/cloud-clock.js';
import { toCloudError } from '../aws/errors.js';
import { computeTrack, type TrackedIamUser } from '../core/track-status.js';
import { buildTimeline, mergeTimelines } from '../core/track-timeline.js';
import { UsageError, ValidationFailed } from '../errors.js';
import { readPlanFile } from '../plan-file/read.js';
import { loadAuditRun } from '../store/audit-repo.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { loadCursors, loadTimeline, saveTrackRun } from '../store/track-repo.js';
import type { Io } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';
import { parseSince, type TrackFlags } from './track.js';
import { printTrack, type TrackRunSummary } from './track-output.js';
import { chooseSource, readSource } from './track-sources.js';

/** The IAM users to track and their people: the plan's users (with UPNs), else the latest audit's users. */
function trackedUsers(flags: TrackFlags, db: StateDb): { users: TrackedIamUser[]; from: string } {
  const file = flags.plan ?? (existsSync(DEFAULT_PLAN_FILE) ? DEFAULT_PLAN_FILE : null);
  if (file) {
    if (!existsSync(file)) throw new UsageError(`no plan file ${file}`);
    const read = readPlanFile(file, { quota: 20, strict: false });
    if (!read.plan) throw new ValidationFailed(read.problems);
    const users = read.plan.users.map((u) => ({
      accountId: u.accountId,
      userName: u.userName,
      upn: u.upn,
      category: u.category,
    }));
    return { users, from: file };
  }
  const run = loadAuditRun(db);
  if (!run)
    throw new UsageError(
      'no plan and no audit to say which IAM users to track: run `iam2sso audit` (and `iam2sso plan`) first',
    );
  const category = new Map(run.classifications.map((c) => [`${c.accountId}/${c.userName}`, c.category]));
  const users = run.snapshot.accounts.flatMap((a) =>
    a.users.map((u) => ({
      accountId: a.accountId,
      userName: u.userName,
      upn: null,
      category: category.get(`${a.accountId}/${u.userName}`) ?? 'unknown',
    })),
  );
  return { users, from: `audit ${run.snapshot.runId} (no plan: no person mapping)` };
}

function newRunId(now: Date): string {
  return `track-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/** Runs `iam2sso track` and prints its result. */
export async function runTrack(flags: TrackFlags, io: Io): Promise<void> {
  const started = Date.now();
  parseSince(flags.since, new Date()); // bad input is said before any call
  const source = chooseSource(flags);
  const settings = awsSettingsFromEnv(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {});
  // The window ends at the cloud's time (local files: this machine's), the clock decommission's watch window uses.
  const now =
    source === 'dir'
      ? new Date()
      : await cloudClock(settings).catch((e) => {
          throw toCloudError(e, 'sts');
        });
  const since = parseSince(flags.since, now);
  const db = await openStateDb(flags.state);
  try {
    const { users, from } = trackedUsers(flags, db);
    const read = await readSource(source, {
      flags,
      settings,
      since,
      until: now,
      cursors: loadCursors(db, source),
      users,
      io,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    }).catch((error) => {
      throw error instanceof UsageError ? error : toCloudError(error, 'aws');
    });
    const batch = buildTimeline(read.rows, now);
    const kept = loadTimeline(db).filter((e) => !(read.mode === 'replace' && e.source === source));
    const timeline = mergeTimelines(kept, batch.entries);
    const idcSubjects = [...new Set(timeline.filter((e) => e.subjectKind === 'idc-user').map((e) => e.subject))];
    const idcUsers = await resolveIdcUsers(settings, idcSubjects);
    const report = computeTrack(timeline, users, { since, until: now }, idcUsers);
    const skippedRecords = [
      ...read.skippedRecords,
      ...batch.skipped.examples.map((e) => ({ where: e, problem: 'skipped', count: 1 })),
    ];
    const summary: TrackRunSummary = {
      runId: newRunId(now),
      source,
      eventsRead: read.events,
      apiCalls: settings.counter.total,
      sourceCalls: read.calls,
      durationMs: Date.now() - started,
      other: batch.other,
      skipped: { files: read.skippedFiles, records: skippedRecords },
      unreachable: read.unreachable,
      notes: [...read.notes, `people and IAM users from ${from}`],
      state: flags.state,
    };
    saveTrackRun(
      db,
      {
        runId: summary.runId,
        source,
        startedAt: now.toISOString(),
        eventsRead: read.events,
        apiCalls: summary.apiCalls,
        skipped: summary.skipped,
        summary: { other: batch.other, unreachable: read.unreachable, regions: read.regions },
        report,
      },
      batch.entries,
      read.mode,
      read.cursors,
    );
    printTrack(io, report, summary, flags.json ? 'json' : flags.format);
  } finally {
    db.close();
  }
}
