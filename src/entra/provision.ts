/**
 * Provisioning one user on demand (the seed's "Provision on demand" tip): find the app and its job, and run through
 * the one executor the user's assignment to the app (with `--assign`, when it is missing; owned by the tool, undone by
 * `iam2sso rollback RUN`) and the request that Entra provision the user now. A killed run's open entries are settled
 * from what is live first. Skips are results, not errors.
 */

import { describeChange } from '../core/reconcile/changes.js';
import { appUserRef, type EntraSetupChange } from '../core/reconcile/changes-entra.js';
import { UsageError } from '../errors.js';
import { type ExecutionReport, executeChanges } from '../reconcile/executor.js';
import type { Journal } from '../reconcile/journal.js';
import type { Ownership } from '../store/ownership-repo.js';
import type { AppReader, AppWriter, DirectoryReader, EnterpriseApp, OnDemandResult, WriteOutcome } from './ports.js';
import { setupPerformer } from './setup-performer.js';
import { AWS_GALLERY_TEMPLATE_ID } from './setup-plan.js';
import { settleOpenSetupEntries } from './setup-resume.js';

/** The outcome for the user. */
export type ProvisionResult = {
  app: EnterpriseApp;
  jobId: string;
  userId: string;
  /** `done`: assigned by this run; `already`: it was assigned before; null: not asked to assign. */
  assignment: WriteOutcome | null;
  result: OnDemandResult;
  report: ExecutionReport;
};

/** The one enterprise app with this name, or a usage error saying how to get one. */
export async function findSetupApp(apps: AppReader, appName: string): Promise<EnterpriseApp> {
  const found = await apps.findApps(appName, AWS_GALLERY_TEMPLATE_ID);
  if (found.length === 0) {
    throw new UsageError(
      `no enterprise app named '${appName}' from the AWS gallery template: run iam2sso entra setup first`,
    );
  }
  if (found.length > 1) throw new UsageError(`${found.length} enterprise apps are named '${appName}'; pass --app-name`);
  return found[0];
}

/** The changes of `entra provision`: the assignment when asked for and missing, then the provisioning. Pure. */
export function provisionChanges(app: string, upn: string, assign: boolean, assigned: boolean): EntraSetupChange[] {
  return [
    ...(assign && !assigned ? [{ kind: 'entra.app.user-assign' as const, app, upn }] : []),
    { kind: 'entra.sync.provision-user', app, upn },
  ];
}

/** What the run writes through: the journal, ownership and its log (a dry run passes memory ones). */
export type ProvisionRunOptions = { runId: string; journal: Journal; ownership: Ownership; log(line: string): void };

/** Provisions `upn` on demand; with `assign`, assigns the user to the app (User role) first. */
export async function provisionUser(
  ports: { apps: AppReader; writer: AppWriter; reader: DirectoryReader },
  input: { appName: string; upn: string; assign: boolean },
  run: ProvisionRunOptions,
): Promise<ProvisionResult> {
  const app = await findSetupApp(ports.apps, input.appName);
  const jobs = await ports.apps.listSyncJobs(app.servicePrincipalId);
  if (!jobs[0])
    throw new UsageError(
      `the app '${app.displayName}' has no provisioning job: run iam2sso entra setup --scim-endpoint URL`,
    );
  const user = await ports.reader.findUserByUpn(input.upn);
  if (!user) throw new UsageError(`no Entra user ${input.upn}`);
  await settleOpenSetupEntries(run.journal, ports.apps, { app, jobs }, input.appName);
  const assigned = (await ports.apps.listAssignments(app.servicePrincipalId)).some((a) => a.principalId === user.id);
  const changes = provisionChanges(input.appName, input.upn, input.assign, assigned);
  let result: OnDemandResult | null = null;
  let firstError: unknown = null;
  const ctx = { app, thumbprint: null, jobId: jobs[0].id, userIds: new Map([[input.upn.toLowerCase(), user.id]]) };
  const performer = setupPerformer(ports.apps, ports.writer, ctx, {
    scimToken: () => {
      throw new UsageError('entra provision never saves SCIM credentials');
    },
    onProvisioned: (_upn, r) => {
      result = r;
    },
    onError: (e) => {
      firstError ??= e;
    },
  });
  const report = await executeChanges(changes, performer, run);
  if (firstError) throw firstError;
  const refused = report.refused[0];
  if (refused)
    throw new UsageError(
      `${describeChange(refused.change).slice(2)}: ${refused.reason}; adopt the app with \`iam2sso adopt entra-app "${input.appName}"\`, or assign the user in Entra by hand`,
    );
  const assignment = !input.assign
    ? null
    : assigned || !run.ownership.isOwned(appUserRef(input.appName, input.upn))
      ? 'already'
      : 'done';
  if (!result) throw new Error(`${input.upn} was not provisioned: ${report.failed.map((f) => f.error).join('; ')}`);
  return { app, jobId: jobs[0].id, userId: user.id, assignment, result, report };
}
