/**
 * `iam2sso scp plan|apply` and `iam2sso scp --rollback`: the service control policy that stops new IAM users,
 * passwords and access keys in member accounts (break-glass users, Identity Center's roles and the listed principals
 * excepted). The document is checked against Organizations' quotas before anything is written, shown as a diff, and
 * made through the one executor (journaled, owned, resumable, dry run); `--rollback` detaches and deletes it again.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type AwsOptions, createBaseClients, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { organizationsScpAdapter, type ScpPort } from '../aws/organizations-scp.js';
import { loadConfig } from '../config/config.js';
import { type Change, describeChange } from '../core/reconcile/changes.js';
import { isOrgChange, type OrgChange } from '../core/reconcile/changes-org.js';
import { buildScpDocument, describeScpProblem, type ExceptedUser, SCP_NAME, SCP_QUOTAS } from '../core/scp/document.js';
import { type LiveScp, planScp, scpDocumentDiff, scpTookEffect } from '../core/scp/plan.js';
import { CloudError, UsageError, ValidationFailed } from '../errors.js';
import { breakGlassFromPlan } from '../plan-file/break-glass.js';
import { countReport, type ExecutionReport, executeChanges } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import { describeSettled, settleFromLive } from '../reconcile/settle.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import { dryRunScpPort, readScpLive } from '../scp/live.js';
import { scpPerformer } from '../scp/perform.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { memoryOwnership, type Ownership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, listRuns, startRun } from '../store/runs-repo.js';
import { confirm } from './apply-run.js';
import { type Io, printJson } from './io.js';
import { undoPlan } from './rollback-run.js';

/** The flags of `iam2sso scp`. */
export type ScpFlags = AwsOptions & {
  target: string;
  except?: string;
  plan: string;
  dryRun: boolean;
  autoApprove: boolean;
  json: boolean;
  state: string;
  config?: string;
  rollback: boolean;
};

const MANAGEMENT_NOTE =
  'SCPs do not restrict users or roles in the management account (AWS Organizations user guide, "SCP effects on permissions"): its IAM users stay as they are there.';

const ARN = /^arn:aws[\w-]*:(iam|sts)::(\d{12}|\*):[\w+=,.@/*?-]+$/;

/** The `--except` principals: IAM ARNs or ARN patterns, comma-separated. */
export function parseExcept(value: string | undefined): string[] {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((a) => !ARN.test(a));
  if (bad.length)
    throw new UsageError(
      `--except ${bad.join(',')}: expected IAM principal ARNs (e.g. arn:PARTITION:iam::123456789012:role/pipeline), wildcards allowed`,
    );
  return items;
}

function newRunId(prefix: string): string {
  return `${prefix}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
}

/** Runs the changes through the executor, as a run of `command` (a dry run journals in memory). */
async function execute(
  db: StateDb,
  changes: Change[],
  port: ScpPort,
  ids: Map<string, string>,
  flags: Pick<ScpFlags, 'dryRun'>,
  io: Io,
  run: { runId: string; command: string; target: string | null },
): Promise<{ runId: string; exec: ExecutionReport; writes: string[] }> {
  const { runId } = run;
  const writes: string[] = [];
  const owned: Ownership = stateOwnership(db);
  const performerPort = flags.dryRun ? dryRunScpPort(port, writes) : port;
  if (!flags.dryRun) startRun(db, runId, run.command, new Date(), run.target);
  const exec = await executeChanges(changes, scpPerformer(performerPort, ids), {
    runId,
    journal: flags.dryRun ? memoryJournal() : stateJournal(db, runId, run.target ?? SCP_NAME),
    ownership: flags.dryRun ? memoryOwnership(owned) : owned,
    log: (line) => io.err(line),
  });
  if (!flags.dryRun) finishRun(db, runId, exec.failed.length ? 'failed' : 'done', countReport(exec), new Date());
  return { runId, exec, writes };
}

function failIfIncomplete(exec: ExecutionReport, what: string): void {
  const failed = exec.failed.length + exec.refused.length;
  if (failed === 0) return;
  const reasons = [...exec.failed.map((f) => f.error), ...exec.refused.map((r) => r.reason)];
  throw new CloudError(
    'organizations',
    `${what}Incomplete`,
    `${failed} change(s) not made: ${reasons.slice(0, 3).join('; ')}`,
    undefined,
    'fix the cause and run the same command again: it makes only what is still missing',
  );
}

async function confirmOrStop(flags: Pick<ScpFlags, 'autoApprove' | 'dryRun'>, io: Io, question: string): Promise<void> {
  if (flags.autoApprove || flags.dryRun) return;
  if (!(await confirm(io, question))) throw new UsageError('cancelled, nothing changed');
}

/** Break-glass users from the plan file, when there is one. */
function breakGlassUsers(file: string, io: Io): ExceptedUser[] {
  if (!existsSync(file)) {
    io.err(`No plan file ${file}: no break-glass user is excepted (pass --plan, or --except with its ARN).`);
    return [];
  }
  return breakGlassFromPlan(file);
}

/** Settles what a killed `scp apply` left open from the SCP as read: done when in place (its undo kept), else planned again. */
function settleKilledRun(db: StateDb, runId: string, live: LiveScp | null, io: Io): void {
  const settled = settleFromLive(stateJournal(db, runId, SCP_NAME), isOrgChange, (c) =>
    scpTookEffect(c as OrgChange, live),
  );
  const line = describeSettled(settled);
  if (line) io.err(line);
}

/** Runs `iam2sso scp plan|apply` (or `--rollback`). */
export async function runScpCommand(action: string | undefined, flags: ScpFlags, io: Io): Promise<void> {
  if (flags.rollback) {
    if (action) throw new UsageError('scp --rollback takes no plan|apply');
    return rollbackScp(flags, io);
  }
  if (action !== 'plan' && action !== 'apply')
    throw new UsageError('say `iam2sso scp plan`, `scp apply` or `scp --rollback`');
  loadConfig(flags.config);
  const except = parseExcept(flags.except);
  const breakGlass = breakGlassUsers(flags.plan, io);
  const settings = await resolveAwsSettings(flags, { note: (line) => io.err(line) });
  const { sts, organizations } = createBaseClients(settings);
  const db = await openStateDb(flags.state);
  const runId = newRunId('scp');
  // One writer at a time, from before the read that settles what a killed run left open.
  const writes = action === 'apply' && !flags.dryRun;
  const lock = writes ? holdWriterLock(db, runId, { command: 'scp', note: (l) => io.err(l) }) : null;
  try {
    const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
    const port = organizationsScpAdapter(organizations);
    const [me, read] = await Promise.all([
      sts.send(new GetCallerIdentityCommand({})),
      readScpLive(port, flags.target, stateOwnership(db)),
    ]).catch((e) => {
      throw toCloudError(e, 'organizations');
    });
    if (writes) settleKilledRun(db, runId, read.live, io);
    const partition = me.Arn?.split(':')[1] ?? 'aws';
    const content = buildScpDocument({ partition, breakGlass, except });
    const planned = planScp(content, read.live, read.target);
    show(
      `Service control policy ${SCP_NAME} -> ${read.target.id} (${content.length} of ${SCP_QUOTAS.characters} characters; ${read.target.attached.length} of ${SCP_QUOTAS.perTarget} SCPs attached there)`,
    );
    for (const line of scpDocumentDiff(read.live?.content ?? null, content)) show(line);
    for (const c of planned.changes) show(describeChange(c));
    io.err(MANAGEMENT_NOTE.replace('the management account', `the management account (${read.managementAccountId})`));
    if (read.target.id === read.managementAccountId)
      io.err(`The target ${read.target.id} is the management account: the SCP will have no effect there.`);
    if (planned.refusal) throw new CloudError('iam2sso', 'NotManaged', planned.refusal);
    if (planned.problems.length)
      throw new ValidationFailed(
        planned.problems.map((p) => ({ file: 'service control policy', message: describeScpProblem(p) })),
      );
    const summary = {
      policy: SCP_NAME,
      target: read.target.id,
      managementAccountId: read.managementAccountId,
      note: MANAGEMENT_NOTE,
      characters: content.length,
      document: JSON.parse(content) as unknown,
      changes: planned.changes.map((c) => describeChange(c)),
    };
    if (action === 'plan' || planned.changes.length === 0) {
      if (planned.changes.length === 0) show('No changes: the SCP is in place.');
      if (flags.json) printJson(io, { ...summary, done: 0, failed: 0 });
      return;
    }
    await confirmOrStop(flags, io, `Attach this SCP to ${read.target.id}? Only "yes" is accepted: `);
    const { exec, writes: calls } = await execute(db, planned.changes, port, read.ids, flags, io, {
      runId,
      command: 'scp',
      target: null,
    });
    if (flags.dryRun) for (const w of calls) show(`  would call ${w}`);
    if (flags.json)
      printJson(io, { ...summary, run: flags.dryRun ? null : runId, ...countReport(exec), writes: calls });
    else
      show(
        `SCP ${flags.dryRun ? '(dry run) ' : ''}${exec.done.length} change(s) made; undo with \`iam2sso scp --rollback\`.`,
      );
    failIfIncomplete(exec, 'Scp');
  } finally {
    lock?.release();
    db.close();
    sts.destroy();
    organizations.destroy();
  }
}

/** The flags a rollback of the SCP reads. */
export type ScpRollbackFlags = AwsOptions & Pick<ScpFlags, 'dryRun' | 'autoApprove' | 'json' | 'state'>;

/**
 * `iam2sso scp --rollback` (the undos of the latest `scp apply` run not yet rolled back) and `iam2sso rollback RUN`
 * for an scp run (`only`: that run's undos).
 */
export async function rollbackScp(flags: ScpRollbackFlags, io: Io, only?: string): Promise<void> {
  const db = await openStateDb(flags.state);
  const settings = await resolveAwsSettings(flags, { note: (line) => io.err(line) });
  const { sts, organizations } = createBaseClients(settings);
  const runId = newRunId('rollback');
  const lock = flags.dryRun ? null : holdWriterLock(db, runId, { command: 'rollback', note: (l) => io.err(l) });
  try {
    const candidates = listRuns(db)
      .filter((r) => r.command === 'scp' && r.counts.done > 0 && (!only || r.runId === only))
      .reverse()
      .map((r) => ({ runId: r.runId, ...undoPlan(db, r.runId) }));
    const target = candidates.find((c) => c.undos.length > 0);
    if (!target) {
      io.err(`Nothing to roll back: no ${only ?? '`scp apply` run'} with changes left to undo.`);
      if (flags.json) printJson(io, { run: null, done: 0, failed: 0 });
      return;
    }
    const undos = target.undos.map((u) => u.undo);
    for (const c of undos) io.err(describeChange(c));
    for (const r of target.refused) io.err(`  refused ${r.item}: ${r.reason}`);
    await confirmOrStop(flags, io, `Undo ${undos.length} change(s) of ${target.runId}? Only "yes" is accepted: `);
    const port = organizationsScpAdapter(organizations);
    const ids = new Map(
      (
        await port.listScps().catch((e) => {
          throw toCloudError(e, 'organizations');
        })
      )
        .filter((p) => p.name === SCP_NAME && !p.awsManaged)
        .map((p) => [p.name, p.id] as [string, string]),
    );
    const { exec, writes } = await execute(db, undos, port, ids, flags, io, {
      runId,
      command: 'rollback',
      target: target.runId,
    });
    if (flags.json)
      printJson(io, { run: flags.dryRun ? null : runId, target: target.runId, ...countReport(exec), writes });
    else io.err(`Rollback ${flags.dryRun ? '(dry run) ' : ''}of ${target.runId}: ${exec.done.length} undone.`);
    failIfIncomplete(exec, 'Rollback');
  } finally {
    lock?.release();
    db.close();
    sts.destroy();
    organizations.destroy();
  }
}
