/**
 * Runs the changes of `decommission saml` (and their rollback) through the one executor: journal before each call,
 * the run recorded, the writer lock held. Each change acts in its account's IAM (the provisioning user's removals
 * through decommission's own IAM writer) or in Entra through Graph. A dry run journals to memory and writes lines.
 */
import { writeIamChange } from '../aws/iam-user-writes.js';
import { createSamlProvider, createSamlRole, deleteSamlProvider, deleteSamlRole } from '../aws/saml-retire-iam.js';
import type { Change } from '../core/reconcile/changes.js';
import { describeChange } from '../core/reconcile/changes.js';
import { isIamChange } from '../core/reconcile/changes-iam.js';
import { isSamlRetireChange } from '../core/reconcile/changes-saml-retire.js';
import type { GraphApi } from '../entra/graph-client.js';
import { deleteApplication, restoreApplication, setServicePrincipalEnabled } from '../entra/saml-retire-apps.js';
import { countReport, type ExecutionReport, executeChanges, type Performer } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import type { StateDb } from '../store/db.js';
import { memoryOwnership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, startRun } from '../store/runs-repo.js';
import type { AccountIam } from '../verify/account-iam.js';
import type { Io } from './io.js';

/** The command name runs of `decommission saml` are journaled under. */
export const SAML_RETIRE_COMMAND = 'decommission-saml';

/** What a run needs. */
export type SamlRunOptions = {
  db: StateDb;
  iam: AccountIam;
  /** Graph, opened only when a change acts in Entra. */
  graph: () => GraphApi;
  runId: string;
  dryRun: boolean;
  io: Io;
  /** The run these changes undo (journaled as a `rollback` run of it, so it is never undone twice). */
  targetRunId?: string;
};

async function perform(c: Change, o: SamlRunOptions): Promise<void> {
  if (isIamChange(c)) return writeIamChange(await o.iam.iamFor(c.accountId), c);
  if (!isSamlRetireChange(c)) throw new Error(`${c.kind} is not made by decommission saml`);
  switch (c.kind) {
    case 'saml.retire.sp.disable':
    case 'saml.retire.sp.enable':
      return setServicePrincipalEnabled(o.graph(), c.servicePrincipalId, c.kind === 'saml.retire.sp.enable');
    case 'saml.retire.app.delete':
      return deleteApplication(o.graph(), c.applicationId);
    case 'saml.retire.app.restore':
      return restoreApplication(o.graph(), c.applicationId, c.servicePrincipalId);
    case 'saml.retire.role.delete':
      return deleteSamlRole(await o.iam.iamFor(c.accountId), c.roleName);
    case 'saml.retire.role.create':
      return createSamlRole(await o.iam.iamFor(c.accountId), c.roleName, c.snapshot);
    case 'saml.retire.provider.delete':
      return deleteSamlProvider(await o.iam.iamFor(c.accountId), c.arn);
    case 'saml.retire.provider.create':
      return createSamlProvider(await o.iam.iamFor(c.accountId), c.name, c.snapshot);
  }
}

/** Runs the changes; returns the executor's report and, for a dry run, the lines it would have written. */
export async function runSamlChanges(
  changes: Change[],
  o: SamlRunOptions,
): Promise<{ report: ExecutionReport; wrote: string[] }> {
  const wrote: string[] = [];
  const command = o.targetRunId ? 'rollback' : SAML_RETIRE_COMMAND;
  const journal = o.dryRun ? memoryJournal() : stateJournal(o.db, o.runId, command);
  const owned = stateOwnership(o.db);
  const lock = o.dryRun ? null : holdWriterLock(o.db, o.runId, { command, note: o.io.err });
  try {
    if (!o.dryRun) {
      // A killed run's open entries: the live read of this run decided again what is still needed.
      for (const e of journal.open().filter((x) => x.kind.startsWith('saml.retire.') || isIamChange(x)))
        journal.finish(e.entryId, { status: 'superseded', result: { reason: 'interrupted; re-read from live state' } });
      startRun(o.db, o.runId, command, new Date(), o.targetRunId ?? null);
    }
    const performer: Performer = {
      resolve: (c) =>
        isSamlRetireChange(c) || isIamChange(c) ? { accountId: c.accountId } : `${c.kind} is not made by this command`,
      async perform(c) {
        if (o.dryRun) wrote.push(describeChange(c));
        else await perform(c, o);
        return undefined;
      },
      limit: (_c, fn) => fn(),
      // IAM is eventually consistent and rate-limited per account: one change at a time.
      concurrency: () => 1,
    };
    const report = await executeChanges(changes, performer, {
      runId: o.runId,
      journal,
      ownership: o.dryRun ? memoryOwnership(owned) : owned,
      timeoutMs: 120_000,
      log: (line) => o.io.err(line),
    });
    if (!o.dryRun) finishRun(o.db, o.runId, report.failed.length ? 'failed' : 'done', countReport(report), new Date());
    return { report, wrote };
  } finally {
    lock?.release();
  }
}
