/**
 * The dashboard's read side: opens the state database read-only (it never writes, never migrates) and gathers
 * what the model needs. A table a stage has not created yet (no apply, no track) reads as "not started".
 */
import { existsSync, statSync } from 'node:fs';
import type { DashboardInputs } from '../core/dashboard-model.js';
import type { MigrationPlan } from '../core/plan-types.js';
import type { TimelineEntry } from '../core/track-types.js';
import { UsageError } from '../errors.js';
import { readPlanFile } from '../plan-file/read.js';
import { type AuditRun, loadAuditRun } from '../store/audit-repo.js';
import { openStateDbForReading, type StateDb } from '../store/db.js';
import { loadStages } from '../store/decommission-repo.js';
import { latestTrackStatuses, loadTimeline } from '../store/track-repo.js';

/** One journaled run, as the Runs page lists it. */
export type RunSummary = {
  runId: string;
  /** apply, sync, entra setup, rollback... (from the runs table; null for journals older than it). */
  command: string | null;
  status: string | null;
  kinds: string[];
  startedAt: string;
  finishedAt: string | null;
  done: number;
  failed: number;
  open: number;
  superseded: number;
  failures: { target: string; error: string }[];
};

/** Opens the state database read-only; a missing file is a usage error that says what to run. */
export async function openReadOnly(path: string): Promise<StateDb> {
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UsageError(`no state database at ${path}: run \`iam2sso audit\` first, or pass --state`);
  return openStateDbForReading(path);
}

function hasTable(db: StateDb, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The newest audit, or null when none was stored. */
export function readAudit(db: StateDb): AuditRun | null {
  if (!hasTable(db, 'audit_runs')) return null;
  return loadAuditRun(db) ?? null;
}

/** The plan file, or null (with the reason) when it is absent or does not validate. */
export function readPlan(path: string): { plan: MigrationPlan | null; problem: string | null } {
  if (!existsSync(path)) return { plan: null, problem: null };
  const read = readPlanFile(path, { quota: 20, strict: false });
  if (read.plan) return { plan: read.plan, problem: null };
  const first = read.problems[0];
  return { plan: null, problem: `${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}` };
}

/** Assignments and Identity Store users the journal shows done (typed changes; older journals' step ids). */
function journalFacts(db: StateDb): Pick<DashboardInputs, 'appliedAssignments' | 'storeUsers'> {
  const appliedAssignments = new Set<string>();
  const storeUsers = new Set<string>();
  if (!hasTable(db, 'apply_journal')) return { appliedAssignments, storeUsers };
  const rows = db
    .prepare(
      `SELECT kind, step_id, payload_json FROM apply_journal WHERE status = 'done'
       AND kind IN ('assignment.create', 'store.user.create', 'create-assignment', 'store.create-user')`,
    )
    .all() as { kind: string; step_id: string; payload_json: string }[];
  for (const r of rows) {
    if (r.kind === 'create-assignment' || r.kind === 'store.create-user') {
      const [, ...rest] = r.step_id.split(':');
      if (r.kind === 'create-assignment' && rest.length >= 3) appliedAssignments.add(rest.join('|').toLowerCase());
      else storeUsers.add(rest.join(':').toLowerCase());
      continue;
    }
    const change = (JSON.parse(r.payload_json) as { change?: Record<string, string> }).change;
    if (!change) continue;
    if (r.kind === 'assignment.create')
      appliedAssignments.add(`${change.accountId}|${change.permissionSet}|${change.group}`.toLowerCase());
    else if (change.upn) storeUsers.add(change.upn.toLowerCase());
  }
  return { appliedAssignments, storeUsers };
}

/** UPNs of Identity Store users the sync engine last saw. */
function syncedUsers(db: StateDb): string[] {
  if (!hasTable(db, 'sync_store_users')) return [];
  return (db.prepare('SELECT record_json FROM sync_store_users').all() as { record_json: string }[])
    .map((r) => (JSON.parse(r.record_json) as { userName?: string }).userName ?? '')
    .filter(Boolean)
    .map((u) => u.toLowerCase());
}

/** Everything the model is computed from, read now. */
export function readInputs(db: StateDb, plan: MigrationPlan | null): DashboardInputs {
  const audit = readAudit(db);
  const facts = journalFacts(db);
  for (const u of syncedUsers(db)) facts.storeUsers.add(u);
  return {
    audit: audit && {
      snapshot: audit.snapshot,
      classifications: audit.classifications,
      findings: audit.findings,
    },
    plan,
    ...facts,
    tracked: readTracking(db),
    retired: readRetired(db),
  };
}

/**
 * The IAM users `decommission` has moved on (`account/user`): console or keys disabled, or deleted; null before it
 * ever ran.
 */
function readRetired(db: StateDb): DashboardInputs['retired'] {
  if (!hasTable(db, 'decommission_stages')) return null;
  const stages = [...loadStages(db).values()];
  if (stages.length === 0) return null;
  const key = (r: { accountId: string; userName: string }) => `${r.accountId}/${r.userName}`;
  return {
    disabled: new Set(stages.filter((r) => r.stage === 'console-disabled' || r.stage === 'keys-deactivated').map(key)),
    deleted: new Set(stages.filter((r) => r.stage === 'deleting' || r.stage === 'deleted').map(key)),
  };
}

/** The timeline `iam2sso track` stored, or null when it never ran. */
export function readTimeline(db: StateDb): TimelineEntry[] | null {
  if (!hasTable(db, 'track_runs') || !db.prepare('SELECT 1 FROM track_runs LIMIT 1').get()) return null;
  return loadTimeline(db);
}

/**
 * What tracking says, by lower-case UPN (SSO use) and by `account/user` (legacy use of an IAM user), with the
 * status of the newest run; null when `iam2sso track` never ran.
 */
function readTracking(db: StateDb): DashboardInputs['tracked'] {
  const timeline = readTimeline(db);
  if (!timeline) return null;
  const out: NonNullable<DashboardInputs['tracked']> = new Map();
  const entry = (key: string) => {
    let p = out.get(key);
    if (!p) {
      p = { firstSsoUse: null, lastSsoUse: null, lastLegacyUse: null, status: null };
      out.set(key, p);
    }
    return p;
  };
  const min = (a: string | null, b: string) => (a && a < b ? a : b);
  const max = (a: string | null, b: string) => (a && a > b ? a : b);
  for (const t of timeline) {
    if (t.usage === 'sso' && t.subjectKind === 'person') {
      const p = entry(t.subject.toLowerCase());
      p.firstSsoUse = min(p.firstSsoUse, t.firstTime);
      p.lastSsoUse = max(p.lastSsoUse, t.lastTime);
    }
    if (t.usage === 'legacy' && t.subjectKind === 'iam-user') {
      const p = entry(t.subject);
      p.lastLegacyUse = max(p.lastLegacyUse, t.lastTime);
    }
  }
  for (const s of latestTrackStatuses(db)) {
    const key = s.subjectKind === 'person' ? s.subject.toLowerCase() : s.subject;
    entry(key).status = s.since ? `${s.status} since ${s.since.slice(0, 10)}` : s.status;
  }
  return out;
}

/** The journaled runs, newest first. */
export function readRuns(db: StateDb): RunSummary[] {
  if (!hasTable(db, 'apply_journal')) return [];
  const rows = db
    .prepare(`SELECT run_id, kind, status, target, error, started_at, finished_at FROM apply_journal ORDER BY entry_id`)
    .all() as {
    run_id: string;
    kind: string;
    status: string;
    target: string;
    error: string | null;
    started_at: string;
    finished_at: string | null;
  }[];
  const runs = new Map<string, RunSummary>();
  for (const r of rows) {
    let run = runs.get(r.run_id);
    if (!run) {
      run = {
        runId: r.run_id,
        command: null,
        status: null,
        kinds: [],
        startedAt: r.started_at,
        finishedAt: null,
        done: 0,
        failed: 0,
        open: 0,
        superseded: 0,
        failures: [],
      };
      runs.set(r.run_id, run);
    }
    const family = r.kind.split(/[.:]/)[0];
    if (!run.kinds.includes(family)) run.kinds.push(family);
    if (r.status === 'done') run.done++;
    else if (r.status === 'failed') {
      run.failed++;
      run.failures.push({ target: r.target, error: r.error ?? '' });
    } else if (r.status === 'superseded') run.superseded++;
    else run.open++;
    const end = r.finished_at ?? r.started_at;
    if (!run.finishedAt || end > run.finishedAt) run.finishedAt = end;
  }
  if (hasTable(db, 'runs'))
    for (const r of db.prepare('SELECT run_id, command, status, started_at, finished_at FROM runs').all() as {
      run_id: string;
      command: string;
      status: string;
      started_at: string;
      finished_at: string | null;
    }[]) {
      const run = runs.get(r.run_id);
      if (run) Object.assign(run, { command: r.command, status: r.status });
      else
        runs.set(r.run_id, {
          runId: r.run_id,
          command: r.command,
          status: r.status,
          kinds: [],
          startedAt: r.started_at,
          finishedAt: r.finished_at,
          done: 0,
          failed: 0,
          open: 0,
          superseded: 0,
          failures: [],
        });
    }
  return [...runs.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
}

/** A cheap signature of the database files: it changes whenever another process commits. */
export function stateSignature(path: string): string {
  return ['', '-wal']
    .map((suffix) => {
      const file = `${path}${suffix}`;
      if (!existsSync(file)) return '-';
      const s = statSync(file);
      return `${s.size}:${s.mtimeMs}`;
    })
    .join('/');
}
