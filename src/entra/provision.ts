/**
 * Provisioning one user on demand (the seed's "Provision on demand" tip): find the app and its job, optionally
 * assign the user to the app first, and ask Entra to provision the user now. Skips are results, not errors.
 */
import { UsageError } from '../errors.js';
import { userRoleId } from './groups.js';
import type { AppReader, AppWriter, DirectoryReader, EnterpriseApp, OnDemandResult, WriteOutcome } from './ports.js';
import { AWS_GALLERY_TEMPLATE_ID } from './setup-plan.js';

/** The outcome for the user. */
export type ProvisionResult = {
  app: EnterpriseApp;
  jobId: string;
  userId: string;
  assignment: WriteOutcome | null;
  result: OnDemandResult;
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

/** Provisions `upn` on demand; with `assign`, assigns the user to the app (User role) first. */
export async function provisionUser(
  ports: { apps: AppReader; writer: AppWriter; reader: DirectoryReader },
  input: { appName: string; upn: string; assign: boolean },
): Promise<ProvisionResult> {
  const app = await findSetupApp(ports.apps, input.appName);
  const job = (await ports.apps.listSyncJobs(app.servicePrincipalId))[0];
  if (!job)
    throw new UsageError(
      `the app '${app.displayName}' has no provisioning job: run iam2sso entra setup --scim-endpoint URL`,
    );
  const user = await ports.reader.findUserByUpn(input.upn);
  if (!user) throw new UsageError(`no Entra user ${input.upn}`);
  const assignment = input.assign ? await ports.writer.assign(app.servicePrincipalId, user.id, userRoleId(app)) : null;
  const ruleId = await ports.apps.userRuleId(app.servicePrincipalId, job.id);
  if (!ruleId) throw new Error(`the provisioning job ${job.id} has no synchronization rule for users`);
  const result = await ports.writer.provisionOnDemand(app.servicePrincipalId, job.id, ruleId, user.id);
  return { app, jobId: job.id, userId: user.id, assignment, result };
}
