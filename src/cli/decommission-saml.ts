/**
 * `iam2sso decommission saml --stage disable|delete`: retire the direct SAML federation the plan lists under
 * `directSaml:`, only after nobody uses it. Gates each (account, role) (`core/saml-retire.ts`) on the evidence of
 * `track`, the stage records and Identity Center's live assignments; `disable` switches the account's Entra app off,
 * `delete` snapshots then removes the roles, the providers none of whose roles remain, the provisioning users of
 * accounts left with no provider, and the apps of accounts left with no role. `iam2sso rollback RUN` undoes a run.
 */

import type { AwsSettings } from '../aws/clients.js';
import { cloudClock } from '../aws/cloud-clock.js';
import { toCloudError } from '../aws/errors.js';
import { readIamUser } from '../aws/iam-user-reads.js';
import { readSamlProvider, readSamlRole } from '../aws/saml-retire-iam.js';
import { deleteChanges } from '../core/decommission.js';
import type { Blocker } from '../core/decommission-types.js';
import { type DirectSamlApp, isIdentityCenterProvider, recognizeDirectSaml, roleOfArn } from '../core/direct-saml.js';
import type { PlannedSamlRole } from '../core/plan-types.js';
import type { Change } from '../core/reconcile/changes.js';
import { describeChange } from '../core/reconcile/changes.js';
import { orderChanges } from '../core/reconcile/order.js';
import { assignmentKey, type SamlRetireStage, samlRetireScope, samlRoleBlockers } from '../core/saml-retire.js';
import { CloudError, UsageError } from '../errors.js';
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
import { type Io, printJson } from './io.js';

/** The flags of `decommission saml`. */
export type SamlStageFlags = DecommissionFlags & { stage?: string; dryRun: boolean; autoApprove: boolean };

/** What happened to one (account, role). */
export type SamlOutcome = {
  accountId: string;
  role: string;
  result: 'done' | 'unchanged' | 'planned' | 'blocked' | 'failed';
  blockers: Blocker[];
};

type Context = {
  db: StateDb;
  entries: PlannedSamlRole[];
  apps: DirectSamlApp[];
  federations: ReturnType<typeof recognizeDirectSaml>[];
};

function loadContext(db: StateDb, flags: SamlStageFlags): Context {
  const plan = readPlan(flags.plan);
  const run = loadAuditRun(db, plan.fingerprint.runId);
  if (!run) throw new UsageError(`the audit ${plan.fingerprint.runId} the plan was made from is not in ${flags.state}`);
  const federations = run.snapshot.accounts.map(recognizeDirectSaml).filter((f) => f !== null);
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

/** The app of an account: the one whose app roles name the account's roles. */
function appOf(apps: DirectSamlApp[], accountId: string): DirectSamlApp | undefined {
  return apps.find((a) => a.roles.some((r) => roleOfArn(r.roleArn)?.accountId === accountId));
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
    const stages = loadSamlStages(db);
    const { tracked } = readEvidence(db);
    const uses = directSamlUses(db);
    const assigned = await readAssigned(flags, settings, io, accounts);
    const watchDays = decommissionSettings(flags.config).watchDays;
    const outcomes: SamlOutcome[] = ctx.entries.map((entry) => {
      const key = `${entry.accountId}/${entry.role}`;
      const blockers = samlRoleBlockers(stage, {
        entry,
        record: stages.get(key) ?? null,
        now,
        watchDays,
        uses,
        tracked,
        assigned,
      });
      if (blockers[0]?.id === 'stage.done')
        return { accountId: entry.accountId, role: entry.role, result: 'unchanged', blockers: [] };
      return {
        accountId: entry.accountId,
        role: entry.role,
        result: blockers.length ? 'blocked' : 'planned',
        blockers,
      };
    });
    const changes: Change[] = [];
    const snapshots: { kind: 'role' | 'provider' | 'app'; key: string; snapshot: unknown }[] = [];
    const iamUsers: Awaited<ReturnType<typeof readIamUser>>[] = [];
    if (stage === 'disable') {
      for (const accountId of accounts) {
        const mine = outcomes.filter((o) => o.accountId === accountId);
        const blocked = mine.filter((o) => o.result === 'blocked');
        const app = appOf(ctx.apps, accountId);
        for (const o of mine.filter((x) => x.result === 'planned')) {
          // One app signs in to every role of the account: it goes off only when all of them may.
          if (blocked.length > 0)
            o.blockers.push({
              id: 'account.in-use',
              message: `the account's app also signs in to ${blocked.map((b) => b.role).join(', ')}, which may not be retired yet`,
            });
          else if (!app)
            o.blockers.push({
              id: 'entra.app-unknown',
              message: 'the audit read no Entra app for this account: run `iam2sso audit` with Entra credentials',
            });
          if (o.blockers.length) o.result = 'blocked';
        }
        if (app && blocked.length === 0 && mine.some((o) => o.result === 'planned'))
          changes.push({
            kind: 'saml.retire.sp.disable',
            accountId,
            servicePrincipalId: app.servicePrincipalId,
            appId: app.appId,
            applicationId: '',
            displayName: app.displayName,
          });
      }
    } else {
      const retired = new Set(
        ctx.entries
          .filter((e) => {
            const o = outcomes.find((x) => x.accountId === e.accountId && x.role === e.role);
            return o?.result === 'planned' || o?.result === 'unchanged';
          })
          .map((e) => `${e.accountId}/${e.role}`),
      );
      const scope = samlRetireScope(
        ctx.federations.filter((f) => f !== null),
        ctx.entries,
        retired,
      );
      for (const o of outcomes.filter((x) => x.result === 'planned')) {
        const snapshot = await readSamlRole(await iam.iamFor(o.accountId), o.role).catch((e) => {
          throw toCloudError(e, 'iam', o.accountId);
        });
        if (!snapshot) continue;
        changes.push({ kind: 'saml.retire.role.delete', accountId: o.accountId, roleName: o.role, snapshot });
        snapshots.push({ kind: 'role', key: `${o.accountId}/${o.role}`, snapshot });
      }
      for (const arn of scope.providers.filter(
        (p) => !isIdentityCenterProvider(p) && ctx.entries.some((e) => e.provider === p),
      )) {
        const accountId = arn.split(':')[4];
        const snapshot = await readSamlProvider(await iam.iamFor(accountId), arn);
        if (!snapshot) continue;
        changes.push({
          kind: 'saml.retire.provider.delete',
          accountId,
          name: arn.slice(arn.indexOf('/') + 1),
          arn,
          snapshot,
        });
        snapshots.push({ kind: 'provider', key: arn, snapshot });
      }
      for (const key of scope.provisioningUsers) {
        const [accountId, userName] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
        if (!accounts.includes(accountId)) continue;
        const facts = await readIamUser(await iam.iamFor(accountId), accountId, userName);
        if (!facts) continue;
        iamUsers.push(facts);
        changes.push(...deleteChanges(facts));
      }
      for (const accountId of scope.accountsDone.filter((a) => accounts.includes(a))) {
        const app = appOf(ctx.apps, accountId);
        if (!app) continue;
        const { applicationIdOf } = await import('../entra/saml-retire-apps.js');
        const applicationId = await applicationIdOf(graphOf(), app.appId);
        if (!applicationId) continue;
        const ref = {
          accountId,
          servicePrincipalId: app.servicePrincipalId,
          appId: app.appId,
          applicationId,
          displayName: app.displayName,
        };
        changes.push({ kind: 'saml.retire.app.delete', ...ref });
        snapshots.push({ kind: 'app', key: applicationId, snapshot: { ...app, applicationId } });
      }
    }
    const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
    for (const c of orderChanges(changes)) show(`  ${describeChange(c)}`);
    const proceed = await approveSaml(flags, io, changes.length);
    const runId = newDecommissionRunId('decommission-saml', now);
    if (proceed) {
      // Everything deleted is snapshotted to the state database before the first removal.
      for (const s of snapshots) saveSamlSnapshot(db, runId, s.kind, s.key, now.toISOString(), s.snapshot);
      for (const u of iamUsers) saveSnapshot(db, u!, runId, now.toISOString());
    }
    const { report } = await runSamlChanges(changes, { db, iam, graph: graphOf, runId, dryRun: !proceed, io });
    const failed = new Set(
      [...report.failed, ...report.cancelled, ...report.refused].map(
        (f) => (f.change as { accountId?: string }).accountId,
      ),
    );
    for (const o of outcomes.filter((x) => x.result === 'planned')) {
      if (!proceed) continue;
      if (failed.has(o.accountId)) {
        o.result = 'failed';
        continue;
      }
      o.result = 'done';
      saveSamlStage(
        db,
        {
          accountId: o.accountId,
          role: o.role,
          stage: stage === 'disable' ? 'disabled' : 'deleted',
          enteredAt: now.toISOString(),
        },
        runId,
      );
    }
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
