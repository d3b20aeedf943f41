/**
 * `iam2sso decommission saml --stage disable|delete`: retire the direct SAML federation the plan lists under
 * `directSaml:`, only after nobody uses it. Gates each (account, role) (`core/saml-retire.ts`) on the evidence of
 * `track`, the stage records and Identity Center's live assignments; `disable` switches the account's Entra app off,
 * `delete` snapshots then removes the roles, the providers none of whose roles remain, the provisioning users of
 * accounts left with no provider, and the apps of accounts left with no role. `iam2sso rollback RUN` undoes a run.
 */

import type { AwsSettings } from '../aws/clients.js';
import { cloudClock } from '../aws/cloud-clock.js';
import {
  type DirectSamlApp,
  type DirectSamlFederation,
  isIdentityCenterProvider,
  recognizeDirectSaml,
} from '../core/direct-saml.js';
import type { PlannedSamlRole } from '../core/plan-types.js';
import type { Change } from '../core/reconcile/changes.js';
import { describeChange } from '../core/reconcile/changes.js';
import { describeMassChanges, findMassChanges } from '../core/reconcile/guard.js';
import { orderChanges } from '../core/reconcile/order.js';
import { assignmentKey, type SamlRetireStage, samlRoleBlockers } from '../core/saml-retire.js';
import { CloudError, UsageError } from '../errors.js';
import type { ExecutionReport } from '../reconcile/executor.js';
import { loadAuditRun } from '../store/audit-repo.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { saveSnapshot } from '../store/decommission-repo.js';
import { directSamlUses, loadDirectSamlEntra } from '../store/direct-saml-repo.js';
import { loadSamlStages, saveSamlSnapshot, saveSamlStage } from '../store/saml-retire-repo.js';
import { readAssignmentFacts } from '../verify/assignments.js';
import { createVerifyRuntime } from '../verify/runtime.js';
import {
  type DecommissionFlags,
  decommissionSettings,
  openIam,
  readEvidence,
  readPlan,
} from './decommission-context.js';
import { newDecommissionRunId } from './decommission-execute.js';
import { runSamlChanges } from './decommission-saml-execute.js';
import { approveSaml, openGraph } from './decommission-saml-io.js';
import { emptyPlan, planDelete, planDisable, type SamlOutcome } from './decommission-saml-plan.js';
import { type Io, printJson } from './io.js';

/** The flags of `decommission saml`. */
export type SamlStageFlags = DecommissionFlags & {
  stage?: string;
  dryRun: boolean;
  autoApprove: boolean;
  allowMassDelete?: boolean;
};

type Context = {
  db: StateDb;
  entries: PlannedSamlRole[];
  apps: DirectSamlApp[];
  federations: DirectSamlFederation[];
};

function loadContext(db: StateDb, flags: SamlStageFlags): Context {
  const plan = readPlan(flags.plan);
  const run = loadAuditRun(db, plan.fingerprint.runId);
  if (!run) throw new UsageError(`the audit ${plan.fingerprint.runId} the plan was made from is not in ${flags.state}`);
  const federations = run.snapshot.accounts
    .map(recognizeDirectSaml)
    .filter((f): f is DirectSamlFederation => f !== null);
  // Only what the audit read as direct SAML: a role the plan names that the audit did not see trusting its provider
  // (or Identity Center's own provider) is never touched.
  const read = new Set(
    federations.flatMap((f) => f.providers.flatMap((p) => p.roles.map((r) => `${f.accountId}/${r}/${p.arn}`))),
  );
  const entries = (plan.directSaml ?? []).filter(
    (e) =>
      (!flags.account || e.accountId === flags.account) &&
      !isIdentityCenterProvider(e.provider) &&
      !e.role.startsWith('AWSReservedSSO_') &&
      read.has(`${e.accountId}/${e.role}/${e.provider}`),
  );
  if (entries.length === 0)
    throw new UsageError(
      `the plan ${flags.plan} lists no direct SAML role${flags.account ? ` in ${flags.account}` : ''} that the audit read`,
    );
  const entra = loadDirectSamlEntra(db, run.snapshot.runId);
  return { db, entries, apps: entra?.status === 'read' ? entra.apps : [], federations };
}

async function readAssigned(
  flags: SamlStageFlags,
  settings: AwsSettings,
  io: Io,
  accounts: string[],
): Promise<Set<string> | null> {
  const runtime = createVerifyRuntime(settings, flags.assumeRole);
  try {
    const facts = await readAssignmentFacts(runtime.readers, accounts);
    const groups = new Map(facts.groups.map((g) => [g.groupId, g.displayName]));
    return new Set(
      facts.assignments
        .filter((a) => a.principalType === 'GROUP')
        .map((a) =>
          assignmentKey(
            a.accountId,
            facts.permissionSets.get(a.permissionSetArn) ?? '',
            groups.get(a.principalId) ?? '',
          ),
        ),
    );
  } catch (e) {
    io.err(`Identity Center not read: ${(e as Error).message}`);
    return null;
  } finally {
    runtime.close();
  }
}

/** Runs one stage. */
export async function runSamlStage(flags: SamlStageFlags, io: Io): Promise<void> {
  const stage = flags.stage as SamlRetireStage;
  if (stage !== 'disable' && stage !== 'delete')
    throw new UsageError(
      'say which stage: `decommission saml --stage disable` (then, after the watch window, `--stage delete`)',
    );
  const db = await openStateDb(flags.state);
  const { settings, iam } = await openIam(flags, io, true);
  let graph: ReturnType<typeof openGraph> | null = null;
  const graphOf = () => {
    graph ??= openGraph(flags);
    return graph;
  };
  try {
    const ctx = loadContext(db, flags);
    const accounts = [...new Set(ctx.entries.map((e) => e.accountId))];
    // The watch window is measured on the cloud's clock, as track's windows and the stage dates are.
    const now = await cloudClock(settings);
    const outcomes = gateRoles(stage, db, ctx.entries, now, {
      assigned: await readAssigned(flags, settings, io, accounts),
      watchDays: decommissionSettings(flags.config).watchDays,
    });
    const planned =
      stage === 'disable'
        ? { ...emptyPlan(), changes: planDisable(ctx.apps, outcomes, accounts) }
        : await planDelete({ ...ctx, iam, graph: graphOf, accounts }, outcomes);
    const { changes, snapshots, iamUsers } = planned;
    massCheck(flags, outcomes, changes);
    const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
    for (const c of orderChanges(changes)) show(`  ${describeChange(c)}`);
    const proceed = await approveSaml(flags, io, changes.length);
    const runId = newDecommissionRunId('decommission-saml', now);
    if (proceed) {
      // Everything deleted is snapshotted to the state database before the first removal.
      for (const s of snapshots) saveSamlSnapshot(db, runId, s.kind, s.key, now.toISOString(), s.snapshot);
      for (const u of iamUsers) saveSnapshot(db, u, runId, now.toISOString());
    }
    const { report } = await runSamlChanges(changes, { db, iam, graph: graphOf, runId, dryRun: !proceed, io });
    // With nothing to change (all gone already) the stage is recorded too, outside a dry run.
    if (proceed || (!flags.dryRun && changes.length === 0)) recordOutcomes(db, stage, outcomes, report, runId, now);
    report_(flags, io, outcomes, {
      stage,
      runId: proceed ? runId : null,
      dryRun: !proceed,
      changes: changes.map(describeChange),
    });
  } finally {
    iam.close();
    db.close();
  }
}

/** Each role's gate for the stage (`stage.done` ones are unchanged). */
function gateRoles(
  stage: SamlRetireStage,
  db: StateDb,
  entries: PlannedSamlRole[],
  now: Date,
  read: { assigned: Set<string> | null; watchDays: number },
): SamlOutcome[] {
  const stages = loadSamlStages(db);
  const { tracked } = readEvidence(db);
  const uses = directSamlUses(db);
  return entries.map((entry): SamlOutcome => {
    const record = stages.get(`${entry.accountId}/${entry.role}`) ?? null;
    const blockers = samlRoleBlockers(stage, { entry, record, now, uses, tracked, ...read });
    const base = { accountId: entry.accountId, role: entry.role };
    if (blockers[0]?.id === 'stage.done') return { ...base, result: 'unchanged', blockers: [] };
    return { ...base, result: blockers.length ? 'blocked' : 'planned', blockers };
  });
}

/** Records the stage each role reached: a role failed when its own change (or, for disable, its app's) did not. */
function recordOutcomes(
  db: StateDb,
  stage: SamlRetireStage,
  outcomes: SamlOutcome[],
  report: ExecutionReport,
  runId: string,
  now: Date,
): void {
  const failed = new Set(
    [...report.failed, ...report.cancelled, ...report.refused]
      .map((f) => f.change as { accountId?: string; roleName?: string })
      .map((c) => (c.roleName ? `${c.accountId}/${c.roleName}` : `${c.accountId}`)),
  );
  for (const o of outcomes.filter((x) => x.result === 'planned')) {
    if (failed.has(`${o.accountId}/${o.role}`) || (stage === 'disable' && failed.has(o.accountId))) {
      o.result = 'failed';
      continue;
    }
    o.result = 'done';
    const to = stage === 'disable' ? 'disabled' : 'deleted';
    saveSamlStage(db, { accountId: o.accountId, role: o.role, stage: to, enteredAt: now.toISOString() }, runId);
  }
}

function massCheck(flags: SamlStageFlags, outcomes: SamlOutcome[], changes: Change[]): void {
  const removals = changes.filter((c) => c.kind === 'saml.retire.role.delete' || c.kind === 'saml.retire.sp.disable');
  const keyOf = (c: Change) => {
    const r = c as { accountId?: string; roleName?: string };
    return r.roleName ? `${r.accountId}/${r.roleName}` : `${r.accountId}`;
  };
  const acting = new Set(removals.map(keyOf)).size;
  const found = findMassChanges([{ kind: 'direct SAML roles and apps', removals: acting, owned: outcomes.length }]);
  if (found.length > 0 && !flags.allowMassDelete) throw new UsageError(describeMassChanges(found));
}

function report_(flags: SamlStageFlags, io: Io, outcomes: SamlOutcome[], extra: Record<string, unknown>): void {
  if (flags.json) printJson(io, { ...extra, roles: outcomes });
  else
    for (const o of outcomes) {
      io.out(`${o.accountId}/${o.role}: ${o.result}`);
      for (const b of o.blockers) io.out(`  blocked (${b.id}): ${b.message}`);
    }
  const n = (r: SamlOutcome['result']) => outcomes.filter((o) => o.result === r).length;
  io.err(
    `${extra.dryRun ? 'Dry run: ' : ''}${n('done')} done, ${n('unchanged')} already there, ${n('planned')} planned, ${n('blocked')} blocked, ${n('failed')} failed.`,
  );
  if (n('failed') > 0)
    throw new CloudError(
      'iam',
      'DecommissionIncomplete',
      `${n('failed')} role(s) did not reach the stage`,
      undefined,
      'fix the cause and run the same command again: it resumes',
    );
  if (n('blocked') > 0)
    throw new CloudError(
      'iam2sso',
      'DecommissionBlocked',
      `${n('blocked')} direct SAML role(s) refused (see above)`,
      undefined,
      'see what blocks each role; the evidence names who still signs in',
    );
}
