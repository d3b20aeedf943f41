/**
 * `iam2sso rollback RUN_ID` for a sync run: the run's Identity Store changes undone in reverse from their journaled
 * undo records, through the same executor (journaled as a run of its own, resumable). A user the sync deleted is
 * created again from the attributes its delete recorded, and put back in the groups it was in: it gets a new user
 * id, so Identity Center account assignments made to that user directly must be made again (those made to its
 * groups come back with the memberships).
 */
import { randomBytes } from 'node:crypto';
import { dryRunPorts } from '../apply/dry-run.js';
import { createApplyRuntime, rateFromEnv } from '../apply/run.js';
import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { loadConfig } from '../config/config.js';
import { type Change, describeChange } from '../core/reconcile/changes.js';
import { orderChanges } from '../core/reconcile/order.js';
import { createEntraAdapter } from '../entra/adapter.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { ExitCode } from '../errors.js';
import type { IdentityStorePort } from '../ports/identity-store.js';
import { countReport, executeChanges } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import type { StateDb } from '../store/db.js';
import { memoryOwnership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, listRuns, startRun } from '../store/runs-repo.js';
import { indexStore, storePerformer } from '../sync/perform.js';
import { resumeStoreEntries } from '../sync/resume.js';
import { confirm } from './apply-run.js';
import type { Io } from './io.js';
import { reportRollback, rollbackIncomplete } from './rollback-report.js';
import { type RollbackFlags, undoPlan } from './rollback-run.js';

/** True when the run is a sync run (rolled back over the Identity Store alone). */
export function isSyncRun(db: StateDb, runId: string): boolean {
  return listRuns(db).find((r) => r.runId === runId)?.command === 'sync';
}

/** Reads what the undos need: every user and group, and the memberships of the groups they name. */
async function readIndex(store: IdentityStorePort, undos: Change[]) {
  const [users, groups] = await Promise.all([store.listUsers(), store.listGroups()]);
  const names = new Set(
    undos.flatMap((c) => ('group' in c ? [c.group] : 'name' in c ? [c.name] : [])).map((n) => n.toLowerCase()),
  );
  const memberships = [];
  for (const g of groups.filter((g) => names.has(g.displayName.toLowerCase())))
    memberships.push(...(await store.listMemberships(g.groupId)));
  return indexStore({ users, groups, memberships });
}

/** Runs the rollback of a sync run (the database is open and closed by the caller). */
export async function runSyncRollback(db: StateDb, target: string, flags: RollbackFlags, io: Io): Promise<void> {
  const { config } = loadConfig(flags.config);
  const entra = createEntraAdapter({ settings: resolveEntraSettings(config.entra, process.env), env: process.env });
  const settings = await resolveAwsSettings(flags as AwsOptions, { identityCenter: true, note: (l) => io.err(l) });
  const runtime = createApplyRuntime(settings, entra, rateFromEnv(process.env));
  const runId = `rollback-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  const lock = flags.dryRun ? null : holdWriterLock(db, runId, { command: 'rollback', note: (l) => io.err(l) });
  try {
    const owned = stateOwnership(db);
    const journal = flags.dryRun ? memoryJournal() : stateJournal(db, runId, target);
    const store = runtime.ports.identityStore;
    if (!flags.dryRun) for (const line of await resumeStoreEntries(journal, store, owned)) io.err(line);
    const { undos, refused } = undoPlan(db, target);
    const undone = orderChanges(undos.map((u) => u.undo));
    for (const c of undone) io.err(describeChange(c));
    for (const r of refused) io.err(`  refused ${r.item}: ${r.reason}`);
    if (undone.some((c) => c.kind === 'store.user.create'))
      io.err(
        'Users are created again with new user ids: Identity Center assignments made to them directly must be made again (group memberships are restored).',
      );
    if (undone.length === 0) return io.err(`Nothing to roll back in ${target}.`);
    if (!flags.autoApprove && !flags.dryRun) {
      const question = `Roll back ${undone.length} change(s) of ${target}? Only "yes" is accepted: `;
      if (!(await confirm(io, question))) throw new ExitCode(130, 'cancelled, nothing changed');
    }
    const writes: string[] = [];
    const port = flags.dryRun ? dryRunPorts(runtime.ports, writes).identityStore : store;
    const index = await readIndex(store, undone).catch((e) => {
      throw toCloudError(e, 'identitystore');
    });
    const ownership = flags.dryRun ? memoryOwnership(owned) : owned;
    if (!flags.dryRun) startRun(db, runId, 'rollback', new Date(), target);
    const exec = await executeChanges(undone, storePerformer({ port, index, concurrency: 4, ownership, runId }), {
      runId,
      journal,
      ownership,
      log: (line) => io.err(line),
    });
    if (!flags.dryRun) finishRun(db, runId, exec.failed.length ? 'failed' : 'done', countReport(exec), new Date());
    reportRollback(io, flags, { runId, target, exec, refused }, writes);
    if (exec.failed.length > 0) throw rollbackIncomplete(`${exec.failed.length} undo(s) failed`);
  } finally {
    lock?.release();
    runtime.close();
  }
}
