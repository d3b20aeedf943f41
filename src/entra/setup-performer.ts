/**
 * The performer of `entra setup`'s changes (and of their undos in a rollback) over the AppWriter port: the app is
 * resolved from what was read live or what this run instantiated, the provisioning job from the app's jobs, and each
 * change is one Graph call (or the few one port method makes). Graph's Retry-After and the per-request timeout are
 * the Graph client's; the executor bounds the whole change. One change at a time: each one needs the one before.
 */
import type { EntraSetupChange } from '../core/reconcile/changes-entra.js';
import { isEntraSetupChange } from '../core/reconcile/changes-entra.js';
import type { Performer, Resolved } from '../reconcile/executor.js';
import { GraphCallError } from './graph-errors.js';
import { userRoleId } from './groups.js';
import type { AppReader, AppWriter, EnterpriseApp, OnDemandResult } from './ports.js';

/**
 * What the run knows of the app, updated as changes succeed; `userIds` maps the lower-cased UPNs of the users its
 * changes name to their Entra object ids (read before the run).
 */
export type SetupContext = {
  app: EnterpriseApp | null;
  thumbprint: string | null;
  jobId: string | null;
  userIds?: Map<string, string>;
};

/** What the performer needs besides the writer. */
export type SetupPerformerOptions = {
  /** The SCIM token, read from the environment only when credentials are saved. */
  scimToken(): string;
  /** Called before and after each change (progress lines). */
  onStart?(c: EntraSetupChange): void;
  onDone?(c: EntraSetupChange, detail?: string): void;
  /** The first error a change failed with, as thrown (to report it with its Graph detail). */
  onError?(error: unknown): void;
  /** The outcome of a user provisioned on demand. */
  onProvisioned?(upn: string, result: OnDemandResult): void;
};

class AppStillAssigned extends Error {
  override name = 'NotManaged';
}

/**
 * A create Graph refused outright (400, 401, 403, 404, 409) made nothing: named so that the executor drops the
 * ownership record it wrote with the intent. The Graph error is kept as the cause, to be reported as it came.
 */
function refusedCreate(error: unknown): unknown {
  const status = error instanceof GraphCallError ? error.failure.status : null;
  if (status === null || ![400, 401, 403, 404, 409].includes(status)) return error;
  return Object.assign(new Error((error as Error).message, { cause: error }), { name: 'BadRequest' });
}

/** The performer over the reader and writer; `ctx` holds the app as read live (or null). */
export function setupPerformer(
  apps: AppReader,
  writer: AppWriter,
  ctx: SetupContext,
  options: SetupPerformerOptions,
): Performer {
  const jobOf = async (templateId: string): Promise<string | null> => {
    if (ctx.jobId) return ctx.jobId;
    const jobs = await apps.listSyncJobs(ctx.app!.servicePrincipalId);
    return jobs.find((j) => j.templateId === templateId)?.id ?? null;
  };

  const userOf = (upn: string) => ctx.userIds?.get(upn.toLowerCase()) ?? '';
  const act = async (
    c: EntraSetupChange,
  ): Promise<{ objectId?: string; detail?: string; existing?: boolean } | undefined> => {
    if (c.kind === 'entra.file.restore') return void (await writer.restoreFederationMetadata(c.path, c.content));
    if (c.kind === 'entra.app.instantiate') {
      ctx.app = await writer.instantiate(c.templateId, c.app).catch((error) => {
        throw refusedCreate(error);
      });
      const detail = `service principal ${ctx.app.servicePrincipalId}, app id ${ctx.app.appId}`;
      return { objectId: ctx.app.servicePrincipalId, detail };
    }
    const app = ctx.app!;
    const sp = app.servicePrincipalId;
    switch (c.kind) {
      case 'entra.app.remove': {
        const assigned = await apps.listAssignments(sp);
        if (assigned.length > 0)
          throw new AppStillAssigned(
            `Entra app '${c.app}' still has ${assigned.length} user(s) or group(s) assigned: roll back the apply runs that assigned them (or unassign them by hand), then run this rollback again`,
          );
        await writer.removeApp(sp, app.appObjectId);
        ctx.app = null;
        return;
      }
      case 'entra.sp.sso-mode':
        return void (await writer.setSsoMode(sp, c.to));
      case 'entra.app.saml-urls':
        return void (await writer.setSamlUrls(app.appObjectId, c.to.identifierUris, c.to.redirectUris));
      case 'entra.sp.add-certificate': {
        ctx.thumbprint = await writer.addSigningCertificate(sp, c.displayName, new Date(c.endDateTime));
        return {
          objectId: ctx.thumbprint,
          detail: `thumbprint ${ctx.thumbprint}, expires ${c.endDateTime.slice(0, 10)}`,
        };
      }
      case 'entra.sp.preferred-certificate': {
        const thumbprint = c.added ? ctx.thumbprint : c.to;
        if (c.added && !thumbprint) throw new Error('no new signing certificate was added in this run');
        await writer.setPreferredThumbprint(sp, thumbprint);
        ctx.thumbprint = thumbprint;
        return;
      }
      case 'entra.sync.create-job': {
        ctx.jobId = (await writer.createSyncJob(sp, c.templateId)).id;
        return { objectId: ctx.jobId, detail: `job ${ctx.jobId}` };
      }
      case 'entra.sync.save-credentials': {
        if (!ctx.jobId) throw new Error('the provisioning job does not exist');
        return void (await writer.saveScimCredentials(sp, ctx.jobId, {
          baseAddress: c.baseAddress,
          token: options.scimToken(),
        }));
      }
      case 'entra.sync.start':
      case 'entra.sync.pause':
      case 'entra.sync.delete-job': {
        const jobId = await jobOf(c.templateId);
        if (!jobId) {
          if (c.kind === 'entra.sync.start') throw new Error('the provisioning job does not exist');
          return;
        }
        if (c.kind === 'entra.sync.start') await writer.startSyncJob(sp, jobId);
        else if (c.kind === 'entra.sync.pause') await writer.pauseSyncJob(sp, jobId);
        else {
          await writer.deleteSyncJob(sp, jobId);
          ctx.jobId = null;
        }
        return;
      }
      case 'entra.file.federation-metadata':
        await writer.saveFederationMetadata(app.appId, c.path);
        return { detail: c.path };
      case 'entra.app.user-assign': {
        // Already assigned (by hand, or by another tool): used as it is and not recorded as the tool's.
        const out = await writer.assign(sp, userOf(c.upn), userRoleId(app));
        return { objectId: userOf(c.upn), existing: out === 'already' };
      }
      case 'entra.app.user-unassign':
        return void (await writer.unassign(sp, userOf(c.upn)));
      case 'entra.sync.provision-user': {
        const jobId = ctx.jobId ?? (await apps.listSyncJobs(sp))[0]?.id;
        if (!jobId)
          throw new Error(`the app '${c.app}' has no provisioning job: run iam2sso entra setup --scim-endpoint URL`);
        const ruleId = await apps.userRuleId(sp, jobId);
        if (!ruleId) throw new Error(`the provisioning job ${jobId} has no synchronization rule for users`);
        options.onProvisioned?.(c.upn, await writer.provisionOnDemand(sp, jobId, ruleId, userOf(c.upn)));
        return;
      }
    }
  };

  return {
    resolve(c): Resolved | string {
      if (!isEntraSetupChange(c)) return `${c.kind} is not a change of \`entra setup\``;
      if (c.kind === 'entra.app.instantiate' || c.kind === 'entra.file.restore') return {};
      if (!ctx.app) return `Entra app '${c.app}' does not exist`;
      const ids = { servicePrincipalId: ctx.app.servicePrincipalId, appObjectId: ctx.app.appObjectId };
      if (!('upn' in c)) return ids;
      const userId = ctx.userIds?.get(c.upn.toLowerCase());
      return userId ? { ...ids, userId } : `no Entra user ${c.upn}`;
    },
    async perform(c) {
      const change = c as EntraSetupChange;
      options.onStart?.(change);
      try {
        const out = await act(change);
        options.onDone?.(change, out?.detail);
        return out?.objectId ? { objectId: out.objectId, existing: out.existing === true } : undefined;
      } catch (error) {
        options.onError?.((error as { cause?: unknown }).cause ?? error);
        throw error;
      }
    },
    limit: (_c, fn) => fn(),
    concurrency: () => 1,
  };
}
