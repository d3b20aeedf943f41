/**
 * `iam2sso rollback RUN_ID` for an `entra setup` (or `entra provision`) run: its undo records in reverse through the same executor, over the
 * Entra adapter only (no AWS credentials needed). Removing an app the run created takes its settings, certificate and
 * provisioning job with it, so those undos are left out; an app that still has users or groups assigned is not
 * removed. Journaled as a run of its own and resumable, like every rollback.
 */
import { randomBytes } from 'node:crypto';
import type { Iam2ssoConfig } from '../config/config.js';
import { type Change, describeChange } from '../core/reconcile/changes.js';
import {
  collapseRemovedApps,
  type EntraSetupChange,
  isEntraSetupChange,
  removedApps,
} from '../core/reconcile/changes-entra.js';
import { orderChanges } from '../core/reconcile/order.js';
import { createEntraAdapter } from '../entra/adapter.js';
import { type IntendedWrite, recordingAppWriter } from '../entra/dry-run.js';
import { entraCloudError } from '../entra/graph-errors.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { setupPerformer } from '../entra/setup-performer.js';
import { readLiveApp, settleOpenSetupEntries } from '../entra/setup-resume.js';
import { ExitCode, UsageError } from '../errors.js';
import { countReport, executeChanges } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import type { StateDb } from '../store/db.js';
import { runEntries } from '../store/journal-repo.js';
import { listOwned, memoryOwnership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, startRun } from '../store/runs-repo.js';
import { confirm } from './apply-run.js';
import type { Io } from './io.js';
import { reportRollback, rollbackIncomplete } from './rollback-report.js';
import { type RollbackFlags, undoPlan } from './rollback-run.js';

/** Undos a rollback cannot make, said plainly (unless the app they belong to is removed). */
function leftInPlace(db: StateDb, target: string, removed: Set<string>): { item: string; reason: string }[] {
  const reasons: Partial<Record<EntraSetupChange['kind'], string>> = {
    'entra.sp.add-certificate': 'left in place (inactive once the earlier certificate is active again)',
    'entra.sync.save-credentials': 'left in place: the earlier SCIM token was never stored',
  };
  return runEntries(db, target)
    .filter((e) => e.status === 'done')
    .map((e) => (e.payload as { change?: Change }).change)
    .filter((c): c is EntraSetupChange => !!c && isEntraSetupChange(c) && !!reasons[c.kind])
    .filter((c) => !removed.has(c.app.toLowerCase()))
    .map((c) => ({ item: describeChange(c).slice(2), reason: reasons[c.kind]! }));
}

/** Rolls back an `entra setup` run. */
export async function runEntraSetupRollback(
  db: StateDb,
  config: Iam2ssoConfig,
  target: string,
  flags: RollbackFlags,
  io: Io,
): Promise<void> {
  const adapter = createEntraAdapter({ settings: resolveEntraSettings(config.entra, process.env), env: process.env });
  const runId = `rollback-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  const journal = flags.dryRun ? memoryJournal() : stateJournal(db, runId, target);
  const allUndos = runEntries(db, target)
    .filter((e) => e.status === 'done' && e.undo && 'kind' in (e.undo as object))
    .map((e) => e.undo as Change);
  const removed = removedApps(allUndos);
  const undosOf = () =>
    orderChanges(
      collapseRemovedApps(
        undoPlan(db, target).undos.map((u) => u.undo),
        removed,
      ),
    ) as EntraSetupChange[];
  const appName = undosOf()[0]?.app;
  // What a killed rollback left open is settled first, so that what it already undid is not undone again.
  if (!flags.dryRun && appName) await settleOpenSetupEntries(journal, adapter.apps, null, appName);
  const plan = undoPlan(db, target);
  const undone = undosOf();
  const { app } = appName ? await readLiveApp(adapter.apps, appName) : { app: null };
  const refused = [...plan.refused, ...leftInPlace(db, target, removed)];
  for (const c of undone) io.err(describeChange(c));
  for (const r of refused) io.err(`  refused ${r.item}: ${r.reason}`);
  if (undone.length === 0) {
    io.err(`Nothing to roll back in ${target}.`);
    return;
  }
  const recorded = listOwned(db, 'entra-app').find((o) => o.key === appName!.toLowerCase())?.objectId;
  if (app && recorded && recorded !== app.servicePrincipalId)
    throw new UsageError(
      `enterprise app '${appName}' is now ${app.servicePrincipalId}, not the ${recorded} iam2sso created: nothing is changed`,
    );
  if (!flags.autoApprove && !flags.dryRun) {
    const question = `Roll back ${undone.length} change(s) of ${target}? Only "yes" is accepted: `;
    if (!(await confirm(io, question))) throw new ExitCode(130, 'cancelled, nothing changed');
  }
  const writes: IntendedWrite[] = [];
  const writer = flags.dryRun ? recordingAppWriter(writes) : adapter.appWriter;
  const owned = stateOwnership(db);
  let firstError: unknown = null;
  // The users whose assignments (made by `entra provision --assign`) are removed, by object id.
  const userIds = new Map<string, string>();
  for (const upn of new Set(undone.flatMap((c) => ('upn' in c ? [c.upn.toLowerCase()] : [])))) {
    const user = await adapter.reader.findUserByUpn(upn);
    if (user) userIds.set(upn, user.id);
  }
  const performer = setupPerformer(
    adapter.apps,
    writer,
    { app, thumbprint: null, jobId: null, userIds },
    {
      scimToken: () => {
        throw new UsageError('a rollback never saves SCIM credentials');
      },
      onError: (e) => {
        firstError ??= e;
      },
    },
  );
  if (!flags.dryRun) startRun(db, runId, 'rollback', new Date(), target);
  const exec = await executeChanges(undone, performer, {
    runId,
    journal,
    ownership: flags.dryRun ? memoryOwnership(owned) : owned,
    log: (line) => io.err(line),
  });
  if (!flags.dryRun) finishRun(db, runId, exec.failed.length ? 'failed' : 'done', countReport(exec), new Date());
  reportRollback(
    io,
    flags,
    { runId, target, exec, refused },
    writes.map((w) => `${w.call} ${w.detail}`),
  );
  if (exec.failed.length > 0) {
    if (firstError && !(firstError as Error).name?.startsWith('NotManaged'))
      throw entraCloudError(firstError, adapter.settings.clientId);
    throw rollbackIncomplete(exec.failed.map((f) => f.error).join('; '));
  }
}
