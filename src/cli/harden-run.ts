/**
 * `iam2sso entra harden`: reads what is live (harden-read.ts), plans the Conditional Access and PIM changes
 * (core/harden-plan.ts, pure), shows them as a diff, asks, and makes them through the one executor (journaled with
 * their undos, ownership recorded, resumable by running it again, reverted by `iam2sso rollback RUN`).
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/config.js';
import { describeHardenMass, hardenMassChanges } from '../core/harden-guard.js';
import {
  type CaLive,
  type CaMode,
  hardenTookEffect,
  type PimGroupLive,
  planConditionalAccess,
  planPim,
  privilegedGroups,
} from '../core/harden-plan.js';
import type { MigrationPlan, PrivilegedGroupSetting } from '../core/plan-types.js';
import type { Change } from '../core/reconcile/changes.js';
import { describeChange } from '../core/reconcile/changes.js';
import { isHardenChange } from '../core/reconcile/changes-harden.js';
import type { MassChange } from '../core/reconcile/guard.js';
import { orderChanges } from '../core/reconcile/order.js';
import type { EntraAdapter } from '../entra/adapter.js';
import { entraCloudError } from '../entra/graph-errors.js';
import { graphHardenReader } from '../entra/graph-harden.js';
import { adapterHardenPerformer } from '../entra/harden-performer.js';
import type { HardenReader } from '../entra/harden-ports.js';
import { UsageError } from '../errors.js';
import { countReport, executeChanges } from '../reconcile/executor.js';
import { stateJournal } from '../reconcile/journal.js';
import { describeSettled, settleFromLive } from '../reconcile/settle.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import { openStateDb } from '../store/db.js';
import type { JournalEntry } from '../store/journal-repo.js';
import type { Ownership } from '../store/ownership-repo.js';
import { stateOwnership } from '../store/ownership-repo.js';
import { finishRun, startRun } from '../store/runs-repo.js';
import { confirm, readPlanForApply } from './apply-run.js';
import { buildAdapter, type ConnectionFlags } from './entra-run.js';
import { readCaLive, readPimLive, resolveApprovers } from './harden-read.js';
import { type Io, printJson } from './io.js';

/** The journal's plan hash of harden runs: how a resumed run tells its own open entries (member removals) apart. */
const HARDEN_PLAN_HASH = 'entra-harden';

/** The flags of `entra harden`. */
export type HardenFlags = ConnectionFlags & {
  conditionalAccess?: CaMode;
  pim: boolean;
  plan: string;
  state: string;
  dryRun: boolean;
  autoApprove: boolean;
  allowMassDelete?: boolean;
};

type Planned = {
  changes: Change[];
  notes: string[];
  privileged: PrivilegedGroupSetting[];
  mass: MassChange[];
  /** What was read (null: that half was not asked for, or the tenant is not licensed for it). */
  live: { ca: CaLive | null; pim: Map<string, PimGroupLive> | null };
};

/** Reads what is live and plans both halves; a half the tenant is not licensed for adds a note and no change. */
async function planHarden(
  flags: HardenFlags,
  ctx: { entra: EntraAdapter; harden: HardenReader; plan: MigrationPlan; emergency: string[]; owned: Ownership },
  note: (line: string) => void,
): Promise<Planned> {
  const { entra, harden, plan, owned } = ctx;
  const changes: Change[] = [];
  const notes: string[] = [];
  const read: Planned['live'] = { ca: null, pim: null };
  const say = (line: string) => {
    notes.push(line);
    note(line);
  };
  if (flags.conditionalAccess) {
    const live = await readCaLive(entra, harden, plan, ctx.emergency, owned, say);
    read.ca = live;
    if (live) {
      const ca = planConditionalAccess(plan, flags.conditionalAccess, live);
      ca.notes.forEach(say);
      changes.push(...ca.changes);
    }
  }
  const privileged = privilegedGroups(plan);
  let mass: MassChange[] = [];
  if (flags.pim) {
    if (privileged.proposed)
      say(
        `privileged groups proposed from the permission sets (pin or edit them under privilegedAccess: in ${flags.plan}): ${privileged.settings.map((s) => s.group).join(', ') || 'none'}`,
      );
    const approvers = await resolveApprovers(entra, privileged.settings, flags.plan);
    const live = await readPimLive(entra, harden, privileged.settings, owned, say);
    read.pim = live;
    if (live) {
      const pim = planPim(plan, privileged.settings, live, approvers);
      pim.notes.forEach(say);
      changes.push(...pim.changes);
      mass = hardenMassChanges(pim.changes, live);
    }
  }
  return { changes: orderChanges(changes), notes, privileged: privileged.settings, mass, live: read };
}

/** Runs `iam2sso entra harden`. */
export async function runHardenCommand(flags: HardenFlags, io: Io): Promise<void> {
  if (!flags.conditionalAccess && !flags.pim)
    throw new UsageError('nothing to do: pass --conditional-access report-only|on|off, --pim, or both');
  const { config } = loadConfig(flags.config);
  const plan = readPlanForApply(flags.plan, config.plan.managedPoliciesQuota);
  const entra = buildAdapter(flags, io);
  const harden = graphHardenReader(entra.graph);
  const db = await openStateDb(flags.state);
  const owned = stateOwnership(db);
  const runId = `harden-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  // One writer at a time, from before the read that settles what a killed run left open.
  const lock = flags.dryRun ? null : holdWriterLock(db, runId, { command: 'entra harden', note: (l) => io.err(l) });
  try {
    const emergency = config.harden?.emergencyAccessAccounts ?? [];
    const planned = await planHarden(flags, { entra, harden, plan, emergency, owned }, (line) =>
      io.err(`note: ${line}`),
    );
    if (!flags.dryRun) {
      const journal = stateJournal(db, runId, HARDEN_PLAN_HASH);
      const ours = (c: Change, e: JournalEntry) => isHardenChange(c) || e.planHash === HARDEN_PLAN_HASH;
      const line = describeSettled(settleFromLive(journal, ours, (c) => hardenTookEffect(c, planned.live)));
      if (line) io.err(line);
    }
    const { changes: ordered, notes, privileged } = planned;
    const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
    for (const c of ordered) show(describeChange(c));
    if (planned.mass.length > 0 && !flags.allowMassDelete) throw new UsageError(describeHardenMass(planned.mass));
    if (ordered.length === 0) show('Nothing to change: Conditional Access and PIM are as asked.');
    if (flags.dryRun || ordered.length === 0) {
      if (flags.json) printJson(io, { dryRun: flags.dryRun, changes: ordered.map(describeChange), notes, privileged });
      return;
    }
    if (!flags.autoApprove && !(await confirm(io, `Make these ${ordered.length} change(s)? Only "yes" is accepted: `)))
      throw new UsageError('entra harden cancelled');
    startRun(db, runId, 'entra harden', new Date());
    // Each standing member is removed only after their eligibility was made (order.ts): a removal without its
    // replacement is cancelled, never made. How many may go in one run is the mass guard's (above).
    const exec = await executeChanges(ordered, adapterHardenPerformer(entra), {
      runId,
      journal: stateJournal(db, runId, HARDEN_PLAN_HASH),
      ownership: owned,
      log: (line) => io.err(line),
    });
    finishRun(db, runId, exec.failed.length ? 'failed' : 'done', countReport(exec), new Date());
    const out = {
      run: runId,
      ...countReport(exec),
      changes: ordered.map(describeChange),
      failures: exec.failed.map((f) => ({ change: describeChange(f.change), error: f.error })),
      refused: exec.refused.map((r) => ({ change: describeChange(r.change), reason: r.reason })),
      notes,
      privileged,
    };
    if (flags.json) printJson(io, out);
    else
      io.err(
        `entra harden: ${exec.done.length} done, ${exec.failed.length} failed, ${exec.refused.length} refused (run ${runId}; undo with \`iam2sso rollback ${runId}\`).`,
      );
    if (exec.failed.length) process.exitCode = 1;
  } catch (error) {
    throw entraCloudError(error, entra.settings.clientId);
  } finally {
    lock?.release();
    db.close();
  }
}
