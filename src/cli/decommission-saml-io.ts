/**
 * What `decommission saml` needs besides its gates: Graph (the same Entra settings as `entra setup`), the
 * confirmation (a dry run when asked, or when there is no terminal and no --auto-approve), and the rollback of one of
 * its runs from the journal's undo records (`iam2sso rollback RUN`), each role going back to the stage before.
 */
import { loadConfig } from '../config/config.js';
import type { Change } from '../core/reconcile/changes.js';
import { describeChange } from '../core/reconcile/changes.js';
import { isSamlRetireChange } from '../core/reconcile/changes-saml-retire.js';
import type { SamlRoleStage } from '../core/saml-retire.js';
import { createEntraAdapter } from '../entra/adapter.js';
import type { GraphApi } from '../entra/graph-client.js';
import { resolveEntraSettings } from '../entra/settings.js';
import type { StateDb } from '../store/db.js';
import { loadSamlStages, saveSamlStage } from '../store/saml-retire-repo.js';
import { confirm } from './apply-run.js';
import type { DecommissionFlags } from './decommission-context.js';
import { openIam } from './decommission-context.js';
import { newDecommissionRunId } from './decommission-execute.js';
import { runSamlChanges } from './decommission-saml-execute.js';
import { type Io, printJson } from './io.js';
import type { RollbackFlags } from './rollback-run.js';
import { undoPlan } from './rollback-run.js';

/** Graph with the configured Entra tenant. */
export function openGraph(flags: { config?: string }): GraphApi {
  const settings = resolveEntraSettings(loadConfig(flags.config).config.entra, process.env);
  return createEntraAdapter({ settings, env: process.env }).graph;
}

/** Whether to make the changes (false: a dry run). */
export async function approveSaml(
  flags: { dryRun: boolean; autoApprove: boolean },
  io: Io,
  count: number,
): Promise<boolean> {
  if (count === 0 || flags.dryRun) return false;
  if (flags.autoApprove) return true;
  if (!process.stdin.isTTY) {
    io.err('Dry run: no terminal to confirm on; pass --auto-approve to make these changes.');
    return false;
  }
  return confirm(io, `Make these ${count} change(s)? Only "yes" is accepted: `);
}

/** The stage a role goes back to when a change of its is undone. */
function stageBefore(c: Change): SamlRoleStage | null {
  if (c.kind === 'saml.retire.role.delete') return 'disabled';
  if (c.kind === 'saml.retire.sp.disable') return 'active';
  return null;
}

/** `iam2sso rollback RUN` for a run of `decommission saml`. */
export async function rollbackSamlRun(db: StateDb, target: string, flags: RollbackFlags, io: Io): Promise<void> {
  const { undos, refused } = undoPlan(db, target);
  for (const r of refused) io.err(`  refused ${r.item}: ${r.reason}`);
  const changes = undos.map((u) => u.undo);
  for (const c of changes) (flags.json ? io.err : io.out)(`  ${describeChange(c)}`);
  const proceed = await approveSaml(flags, io, changes.length);
  const decommission = {
    ...flags,
    plan: '',
    state: '',
    assumeRole: flags.assumeRole ?? 'OrganizationAccountAccessRole',
  };
  const { iam } = await openIam(decommission as DecommissionFlags, io);
  let graph: GraphApi | null = null;
  try {
    const runId = newDecommissionRunId('decommission-saml-rollback', new Date());
    const { report } = await runSamlChanges(changes, {
      db,
      iam,
      graph: () => (graph ??= openGraph(flags)),
      runId,
      dryRun: !proceed,
      io,
      targetRunId: target,
    });
    if (proceed && report.failed.length === 0) {
      const stages = loadSamlStages(db);
      for (const u of undos) {
        const back = stageBefore(u.of.payload ? (u.of.payload as { change: Change }).change : u.undo);
        if (!back) continue;
        const c = (u.of.payload as { change: Change }).change;
        if (!isSamlRetireChange(c)) continue;
        const roles =
          'roleName' in c
            ? [c.roleName]
            : [...stages.values()]
                .filter((s) => s.accountId === c.accountId && s.stage === 'disabled')
                .map((s) => s.role);
        for (const role of roles)
          saveSamlStage(
            db,
            {
              accountId: c.accountId,
              role,
              stage: back,
              enteredAt: stages.get(`${c.accountId}/${role}`)?.enteredAt ?? new Date().toISOString(),
            },
            runId,
          );
      }
    }
    const out = {
      run: proceed ? runId : null,
      target,
      undone: proceed ? report.done.length : 0,
      failed: report.failed.length,
      refused: refused.length,
    };
    if (flags.json) printJson(io, out);
    else io.err(`Rollback of ${target}: ${out.undone} undone, ${out.failed} failed, ${out.refused} refused.`);
  } finally {
    iam.close();
  }
}
