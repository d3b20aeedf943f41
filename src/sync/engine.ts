/**
 * The sync engine: one run reads Entra's changes through Graph delta (all of it the first time, or when the
 * stored delta link expired), brings the mirror up to date, diffs it against the Identity Store (read again on a
 * full resync, otherwise as the last run left it), shows the change summary, writes, and saves the new state.
 */
import { mapLimit } from '../aws/fan-out.js';
import { describeChange } from '../core/reconcile/changes.js';
import { syncChanges } from '../core/sync/changes.js';
import { diffSync, syncCounts } from '../core/sync/diff.js';
import { groupsInScope } from '../core/sync/scope.js';
import type { LeaverAction, MatchRule, StoreState, SyncConflict, SyncDiff, SyncScope } from '../core/sync/types.js';
import { ExitCode } from '../errors.js';
import type { IdentityStorePort, IdentityStoreReader } from '../ports/identity-store.js';
import { executeChanges } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import type { StateDb } from '../store/db.js';
import { listOwned, memoryOwnership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, startRun } from '../store/runs-repo.js';
import { loadSyncState, type SyncStateRecord, saveSyncState } from '../store/sync-repo.js';
import { lastSyncInterrupted, refuseEmptySource, refuseMassLeave } from './guards.js';
import { applyGroupsRound, applyUsersRound, type EntraMirror, emptyMirror } from './mirror.js';
import { linksAfter, splitConflicts, storeAfter } from './outcome.js';
import { indexStore, storePerformer } from './perform.js';
import type { SyncDirectory } from './ports.js';
import { resumeStoreEntries } from './resume.js';

export type SyncRunOptions = {
  /** Which state to use: the Entra tenant and the identity store, e.g. `tenant/d-1234567890`. */
  profile: string;
  scope: SyncScope;
  leavers: LeaverAction;
  /** Ignore the stored delta links and the stored Identity Store: read everything again. */
  full: boolean;
  /** True when the writer only logs: nothing is saved either, so the next real run sees the same changes. */
  dryRun: boolean;
  /** Delete or deactivate more than the mass-change threshold in one run. */
  allowMassDelete?: boolean;
  /** Aborted (Ctrl-C): no new write starts; the run ends with exit 130 and the next run resumes. */
  signal?: AbortSignal;
  /** Identity Store calls in flight at once (the rate limiter paces them). */
  concurrency: number;
  /** The longest one change may take (default 2 minutes). */
  timeoutMs?: number;
  now: () => Date;
  /** The run's id (default: from the time and the process id); the CLI names it in the writer lease it holds. */
  runId?: string;
};

export type SyncRunDeps = {
  directory: SyncDirectory;
  /** The Identity Store (its writes wrapped for a dry run). */
  store: IdentityStorePort;
  db: StateDb;
  /** Called with the diff before the first write (the change summary). */
  onPlan?: (diff: SyncDiff, mode: SyncMode) => void;
  onWrite?: (done: number, total: number) => void;
  /** Progress lines (reading, writing). */
  log?: (line: string) => void;
};

export type SyncMode = { kind: 'initial' | 'incremental' | 'full-resync'; reason: string | null };

export type SyncRunResult = {
  mode: SyncMode;
  dryRun: boolean;
  counts: ReturnType<typeof syncCounts>;
  conflicts: SyncConflict[];
  matchedBy: Partial<Record<MatchRule, number>>;
  writes: number;
  failed: { item: string; error: string }[];
  /** Changes not made because their object is not the tool's (or could not be found). */
  refused: { item: string; reason: string }[];
  /** Identity Store reads made (a full resync reads every user, group and relevant membership). */
  storeReads: { users: number; groups: number; membershipLists: number };
  durationMs: number;
};

function mirrorOf(prior: SyncStateRecord | null): EntraMirror {
  const mirror = emptyMirror();
  for (const u of prior?.users ?? []) mirror.users.set(u.id, u);
  for (const g of prior?.groups ?? []) mirror.groups.set(g.id, g);
  return mirror;
}

async function readStore(
  reader: IdentityStoreReader,
  mirror: EntraMirror,
  scope: SyncScope,
  prior: SyncStateRecord | null,
  concurrency: number,
): Promise<StoreState> {
  const [users, groups] = await Promise.all([reader.listUsers(), reader.listGroups()]);
  const scoped = groupsInScope(mirror.groups.values(), scope);
  const names = new Set(scoped.map((g) => g.displayName.toLowerCase()));
  const ids = new Set(scoped.map((g) => g.id));
  const linked = new Set((prior?.links ?? []).filter((l) => l.kind === 'group').map((l) => l.targetId));
  const relevant = groups.filter(
    (g) => linked.has(g.groupId) || names.has(g.displayName.toLowerCase()) || g.externalIds.some((e) => ids.has(e)),
  );
  const memberships = (await mapLimit(relevant, concurrency, (g) => reader.listMemberships(g.groupId))).flat();
  return { users, groups, memberships };
}

function modeOf(
  prior: SyncStateRecord | null,
  full: boolean,
  expired: boolean,
  scopeChanged: boolean,
  interrupted = false,
): SyncMode & { readStore: boolean } {
  if (!prior) return { kind: 'initial', reason: null, readStore: true };
  if (interrupted)
    return { kind: 'incremental', reason: 'the last sync was interrupted: Identity Store read again', readStore: true };
  if (full) return { kind: 'full-resync', reason: 'requested with --full', readStore: true };
  if (expired) return { kind: 'full-resync', reason: 'the Graph delta link expired', readStore: true };
  if (scopeChanged)
    return { kind: 'incremental', reason: 'the scope changed: Identity Store read again', readStore: true };
  return { kind: 'incremental', reason: null, readStore: false };
}

/** Runs one sync. */
export async function runSync(options: SyncRunOptions, deps: SyncRunDeps): Promise<SyncRunResult> {
  const started = Date.now();
  const log = deps.log ?? (() => undefined);
  const prior = loadSyncState(deps.db, options.profile);
  const ownership = options.dryRun
    ? memoryOwnership(stateOwnership(deps.db, options.now))
    : stateOwnership(deps.db, options.now);
  // A killed run's open journal entries are settled from the store first (done, with ids and ownership, or not).
  if (!options.dryRun)
    for (const line of await resumeStoreEntries(stateJournal(deps.db, 'resume', 'sync'), deps.store, ownership))
      log(line);
  const links = options.full
    ? {}
    : { users: prior?.usersDeltaLink ?? undefined, groups: prior?.groupsDeltaLink ?? undefined };
  log(
    prior && !options.full
      ? 'reading Entra changes since the last sync (Graph delta)'
      : 'reading Entra users and groups (Graph delta, full round)',
  );
  let [usersRound, groupsRound] = await Promise.all([
    deps.directory.usersDelta(links.users),
    deps.directory.groupsDelta(links.groups),
  ]);
  const expired = Boolean(prior) && !options.full && (usersRound.fullResync || groupsRound.fullResync);
  // One expired link means a full resync of both halves: the mirror starts over.
  if (expired && !usersRound.fullResync) usersRound = await deps.directory.usersDelta(undefined);
  if (expired && !groupsRound.fullResync) groupsRound = await deps.directory.groupsDelta(undefined);
  const mirror = mirrorOf(options.full || expired ? null : prior);
  applyUsersRound(mirror, usersRound);
  applyGroupsRound(mirror, groupsRound);
  const scopeChanged = JSON.stringify(prior?.scope) !== JSON.stringify(options.scope);
  const interrupted = lastSyncInterrupted(deps.db);
  const mode = modeOf(prior, options.full, expired, scopeChanged, interrupted);
  refuseEmptySource(prior, mirror, usersRound.fullResync || options.full || expired || !prior);
  log(
    `Entra: ${usersRound.changed.length + usersRound.removed.length} user and ${groupsRound.changed.length + groupsRound.removed.length} group changes` +
      (mode.reason ? ` (${mode.kind}: ${mode.reason})` : ''),
  );
  let store: StoreState;
  if (mode.readStore) {
    log('reading the Identity Store');
    store = await readStore(deps.store, mirror, options.scope, prior, options.concurrency);
  } else store = prior!.store;
  const storeReads = mode.readStore
    ? {
        users: store.users.length,
        groups: store.groups.length,
        membershipLists: new Set(store.memberships.map((m) => m.groupId)).size,
      }
    : { users: 0, groups: 0, membershipLists: 0 };
  const ownedTargets = new Set(
    [...listOwned(deps.db, 'store-user'), ...listOwned(deps.db, 'store-group')].flatMap((o) => o.objectId ?? []),
  );
  const diff = diffSync({
    users: [...mirror.users.values()],
    groups: [...mirror.groups.values()],
    store,
    links: prior?.links ?? [],
    scope: options.scope,
    leavers: options.leavers,
    ownedTargets,
  });
  deps.onPlan?.(diff, { kind: mode.kind, reason: mode.reason });
  refuseMassLeave(diff, prior, options.allowMassDelete === true);
  const runId = options.runId ?? `sync-${options.now().toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
  if (!options.dryRun) startRun(deps.db, runId, 'sync', options.now());
  const index = indexStore(store);
  const changes = syncChanges({ diff, store, users: mirror.users, groups: mirror.groups });
  // Every write goes through the one executor: owner check, intent with its undo journaled before the call,
  // ownership recorded on create, a timeout on each call, the result after. A dry run keeps both in memory.
  const exec = await executeChanges(
    changes,
    storePerformer({ port: deps.store, index, concurrency: options.concurrency, ownership, runId }),
    {
      runId,
      journal: options.dryRun ? memoryJournal() : stateJournal(deps.db, runId, 'sync'),
      ownership,
      log,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      onProgress: deps.onWrite,
    },
  );
  const outcome = splitConflicts(diff, exec.failed);
  if (options.signal?.aborted) {
    // Nothing is saved: the run stays recorded as interrupted, so the next one reads the Identity Store again.
    if (!options.dryRun) finishRun(deps.db, runId, 'interrupted', { writes: exec.done.length }, options.now());
    throw new ExitCode(
      130,
      `interrupted after ${exec.done.length} of ${changes.length} changes; run the same command to resume`,
    );
  }
  const matchedBy: Partial<Record<MatchRule, number>> = {};
  for (const m of diff.matches) matchedBy[m.rule] = (matchedBy[m.rule] ?? 0) + 1;
  const result: SyncRunResult = {
    mode: { kind: mode.kind, reason: mode.reason },
    dryRun: options.dryRun,
    counts: { ...syncCounts(diff), conflicts: diff.conflicts.length + outcome.conflicts.length },
    conflicts: [...diff.conflicts, ...outcome.conflicts],
    matchedBy,
    writes: exec.done.length,
    failed: outcome.failed,
    refused: exec.refused.map((r) => ({ item: describeChange(r.change).slice(2), reason: r.reason })),
    storeReads,
    durationMs: Date.now() - started,
  };
  if (!options.dryRun) {
    saveSyncState(deps.db, options.profile, {
      scope: options.scope,
      usersDeltaLink: usersRound.deltaLink,
      groupsDeltaLink: groupsRound.deltaLink,
      users: [...mirror.users.values()],
      groups: [...mirror.groups.values()],
      links: linksAfter(diff, exec, index),
      store: storeAfter(store, exec, index),
      lastRunAt: options.now().toISOString(),
      lastResult: { mode: result.mode, counts: result.counts, writes: result.writes, failed: result.failed.length },
    });
    finishRun(deps.db, runId, result.failed.length ? 'failed' : 'done', result.counts, options.now());
  }
  return result;
}
