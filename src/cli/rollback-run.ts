/**
 * `iam2sso rollback RUN_ID`: reverts a run's changes from their undo records, through the same executor (journaled
 * as a run of its own, resumable: undos an earlier rollback of the same run made are not made again). An undo whose
 * object a later run changed is refused ("changed since"), as is anything the tool does not own.
 */
import { randomBytes } from 'node:crypto';
import { dryRunPorts } from '../apply/dry-run.js';
import { applyPerformer } from '../apply/perform.js';
import { readLiveState } from '../apply/read-live.js';
import { createApplyRuntime, rateFromEnv } from '../apply/run.js';
import { samlKeepPerformer, withSamlKeepPerformer } from '../apply/saml-keep.js';
import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { loadConfig } from '../config/config.js';
import { type Change, changeId, createdObject, describeChange, ownerCheck } from '../core/reconcile/changes.js';
import { isSamlKeepChange } from '../core/reconcile/changes-saml-keep.js';
import type { DesiredState } from '../core/reconcile/desired.js';
import { orderChanges } from '../core/reconcile/order.js';
import { restoreChanges } from '../core/reconcile/restore.js';
import { createEntraAdapter } from '../entra/adapter.js';
import { adapterHardenPerformer, withHardenPerformer } from '../entra/harden-performer.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { ExitCode, UsageError } from '../errors.js';
import { countReport, executeChanges } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import { sleep } from '../reconcile/limits.js';
import { resumeOpenEntries } from '../reconcile/resume.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { type JournalEntry, runEntries } from '../store/journal-repo.js';
import { memoryOwnership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, listRuns, startRun } from '../store/runs-repo.js';
import { confirm } from './apply-run.js';
import { createSamlKeepRuntime, dryRunPerformer, type SamlKeepRuntime } from './apply-saml-keep.js';
import type { Io } from './io.js';
import { hasOwnRollback, rollbackOwnRun } from './rollback-dispatch.js';
import { reportRollback, rollbackIncomplete } from './rollback-report.js';
import { isSyncRun, runSyncRollback } from './rollback-sync.js';

/** The flags of `iam2sso rollback`. */
export type RollbackFlags = AwsOptions & {
  state: string;
  dryRun: boolean;
  autoApprove: boolean;
  json: boolean;
  config?: string;
  /** Runs of breakglass, replace and decommission: the role that reaches member accounts. */
  assumeRole?: string;
  /** Runs of decommission: where restored console passwords go. */
  passwordFile?: string;
};

const objectOf = (c: Change) => {
  const o = createdObject(c) ?? ownerCheck(c);
  return o ? `${o.kind}\n${o.key}` : changeId(c);
};

type Undo = { undo: Change; of: JournalEntry };

/** The undos of a run, newest first, with those a later run touched refused, and those already made left out. */
export function undoPlan(db: StateDb, runId: string): { undos: Undo[]; refused: { item: string; reason: string }[] } {
  const runs = listRuns(db);
  const index = runs.findIndex((r) => r.runId === runId);
  if (index < 0) throw new UsageError(`no run ${runId} in the state database (see \`iam2sso runs\`)`);
  if (runs[index].command === 'decommission-rollback')
    throw new UsageError(`${runId} undid decommission stages: run the stages again to redo them`);
  const done = (id: string) => runEntries(db, id).filter((e) => e.status === 'done');
  const later = runs.slice(index + 1);
  const touchedLater = new Map<string, string>();
  const alreadyUndone = new Set<string>();
  for (const r of later) {
    const entries = done(r.runId);
    if (r.command === 'rollback' && r.targetRunId === runId) for (const e of entries) alreadyUndone.add(e.stepId);
    else for (const e of entries) touchedLater.set(objectOf(changeOf(e)), r.runId);
  }
  const undos: Undo[] = [];
  const refused: { item: string; reason: string }[] = [];
  for (const entry of done(runId).reverse()) {
    const undo = entry.undo as Change | null;
    if (!undo || !('kind' in undo)) continue;
    if (undo.kind === 'store.user.delete') {
      refused.push({
        item: describeChange(undo).slice(2),
        reason: 'left in place: not undone by rollback (remove it by hand if needed)',
      });
      continue;
    }
    const by = touchedLater.get(objectOf(changeOf(entry)));
    if (by) refused.push({ item: describeChange(undo).slice(2), reason: `changed since by run ${by}: left as it is` });
    // A deleted permission set comes back with what its snapshot recorded; what an earlier rollback made is not made
    // again.
    else
      for (const u of restoreChanges([undo])) if (!alreadyUndone.has(changeId(u))) undos.push({ undo: u, of: entry });
  }
  return { undos, refused };
}

function changeOf(e: JournalEntry): Change {
  return ((e.payload as { change?: Change }).change ?? { kind: 'ps.create', name: e.target }) as Change;
}

/** The names the undos act on, as a target for the live read (which reads only what is relevant). */
function targetOf(changes: Change[]): DesiredState {
  const names = (f: (c: Change) => string | null) => [...new Set(changes.map(f).filter((n): n is string => !!n))];
  const sets = names((c) =>
    'permissionSet' in c ? c.permissionSet : c.kind.startsWith('ps.') ? (c as { name: string }).name : null,
  );
  const groups = names((c) =>
    'group' in c ? c.group : c.kind.includes('group.') ? (c as { name: string }).name : null,
  );
  return {
    permissionSets: sets.map((name) => ({
      name,
      description: '',
      sessionDuration: 'PT1H',
      managedPolicies: [],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
    })),
    groups: groups.map((name) => ({ name, members: [] })),
    assignments: [],
    skipped: [],
  };
}

/** Runs `iam2sso rollback RUN_ID`. */
export async function runRollbackCommand(target: string, flags: RollbackFlags, io: Io): Promise<void> {
  const { config } = loadConfig(flags.config);
  const db = await openStateDb(flags.state);
  if (isSyncRun(db, target)) return runSyncRollback(db, target, flags, io).finally(() => db.close());
  const command = listRuns(db).find((r) => r.runId === target)?.command ?? '';
  if (hasOwnRollback(command)) return rollbackOwnRun(db, command, target, flags, io).finally(() => db.close());
  if (command === 'entra setup' || command === 'entra provision') {
    const { runEntraSetupRollback } = await import('./rollback-entra.js');
    const lock = flags.dryRun
      ? null
      : holdWriterLock(db, `rollback-${target}`, { command: 'rollback', note: (line) => io.err(line) });
    try {
      return await runEntraSetupRollback(db, config, target, flags, io);
    } finally {
      lock?.release();
      db.close();
    }
  }
  const entra = createEntraAdapter({ settings: resolveEntraSettings(config.entra, process.env), env: process.env });
  const settings = await resolveAwsSettings(flags as AwsOptions, {
    identityCenter: true,
    note: (line) => io.err(line),
  });
  const runtime = createApplyRuntime(settings, entra, rateFromEnv(process.env));
  const runId = `rollback-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  const lock = flags.dryRun ? null : holdWriterLock(db, runId, { command: 'rollback', note: (line) => io.err(line) });
  let samlRuntime: SamlKeepRuntime | null = null;
  try {
    const journal = flags.dryRun ? memoryJournal() : stateJournal(db, runId, target);
    if (!flags.dryRun)
      for (const line of await resumeOpenEntries(journal, runtime.ports.identityCenter, sleep)) io.err(line);
    const { undos, refused } = undoPlan(db, target);
    const undone = orderChanges(restoreChanges(undos.map((u) => u.undo)));
    for (const c of undone) io.err(describeChange(c));
    for (const r of refused) io.err(`  refused ${r.item}: ${r.reason}`);
    if (undone.length === 0) {
      io.err(`Nothing to roll back in ${target}.`);
      return;
    }
    if (!flags.autoApprove && !flags.dryRun) {
      const question = `Roll back ${undone.length} change(s) of ${target}? Only "yes" is accepted: `;
      if (!(await confirm(io, question))) throw new ExitCode(130, 'cancelled, nothing changed');
    }
    const owned = stateOwnership(db);
    const live = await readLiveState(runtime.ports, targetOf(undone), 8, owned).catch((e) => {
      throw toCloudError(e, 'sso');
    });
    // Permission sets whose content the undos change are provisioned again where they are provisioned.
    const touched = new Set(
      undone
        .filter((c) => c.kind.startsWith('ps.') && c.kind !== 'ps.create' && c.kind !== 'ps.delete')
        .map((c) => (c as { name: string }).name),
    );
    const changes: Change[] = [
      ...undone,
      ...live.state.provisioned
        .filter((p) => touched.has(p.permissionSet))
        .flatMap((p) =>
          p.accounts.map((accountId) => ({ kind: 'ps.provision' as const, name: p.permissionSet, accountId })),
        ),
    ];
    const writes: string[] = [];
    const ports = flags.dryRun ? dryRunPorts(runtime.ports, writes) : runtime.ports;
    if (!flags.dryRun) startRun(db, runId, 'rollback', new Date(), target);
    // Undos of `entra harden` (Conditional Access, PIM) go to its own performer; the rest to apply's.
    const performer = withHardenPerformer(
      applyPerformer(ports, live, { concurrency: 8 }),
      adapterHardenPerformer(entra),
    );
    // Undos of direct SAML federation (accounts outside Identity Center) go to theirs.
    if (changes.some(isSamlKeepChange))
      samlRuntime = createSamlKeepRuntime(
        settings,
        flags.assumeRole ?? 'OrganizationAccountAccessRole',
        config.entra,
        entra,
      );
    const withSaml = samlRuntime
      ? withSamlKeepPerformer(performer, flags.dryRun ? dryRunPerformer(writes) : samlKeepPerformer(samlRuntime.ports))
      : performer;
    const exec = await executeChanges(changes, withSaml, {
      runId,
      journal,
      ownership: flags.dryRun ? memoryOwnership(owned) : owned,
      log: (line) => io.err(line),
    });
    if (!flags.dryRun) finishRun(db, runId, exec.failed.length ? 'failed' : 'done', countReport(exec), new Date());
    reportRollback(io, flags, { runId, target, exec, refused }, writes);
    if (exec.failed.length > 0) throw rollbackIncomplete(`${exec.failed.length} undo(s) failed`);
  } finally {
    lock?.release();
    db.close();
    runtime.close();
    samlRuntime?.close();
  }
}
