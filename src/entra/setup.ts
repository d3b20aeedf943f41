/**
 * `entra setup` end to end: read what is live, plan the steps (setup-plan.ts, pure), then run the steps that
 * change something through the AppWriter port. The dry run passes a recording writer instead (dry-run.ts);
 * nothing here knows which one it has.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { Journal } from '../reconcile/journal.js';
import type { AppReader, AppWriter, EnterpriseApp, ScimCredentials } from './ports.js';
import { type IdpMetadata, parseIdpMetadata } from './saml-metadata.js';
import { AWS_GALLERY_TEMPLATE_ID, planSetup, type SetupDesired, type SetupLive, type SetupStep } from './setup-plan.js';

/** Progress callbacks: before a step runs, and after. */
export type SetupProgress = { starting(step: SetupStep): void; finished(step: SetupStep, detail?: string): void };

/** The outcome: every step, the app, and the thumbprint that signs SAML tokens now. */
export type SetupResult = { steps: SetupStep[]; app: EnterpriseApp; signingThumbprint: string | null };

async function metadataFileState(
  apps: AppReader,
  app: EnterpriseApp | null,
  path: string | null,
): Promise<SetupLive['metadataFile']> {
  if (!path || !app?.preferredTokenSigningKeyThumbprint) return 'unknown';
  const onDisk = await readFile(path, 'utf8').catch(() => null);
  if (onDisk === null) return 'missing';
  const published = await apps.federationMetadata(app.appId).catch(() => null);
  if (published === null) return 'unknown';
  return sameIdp(published, onDisk) ? 'same' : 'different';
}

/** Reads everything the plan depends on. Ambiguity (two apps with the name) is a usage error. */
export async function readSetupLive(apps: AppReader, desired: SetupDesired, now: Date): Promise<SetupLive> {
  const found = await apps.findApps(desired.appName, AWS_GALLERY_TEMPLATE_ID);
  if (found.length > 1) {
    throw new UsageError(
      `${found.length} enterprise apps are named '${desired.appName}' (${found.map((a) => a.servicePrincipalId).join(', ')}); pass --app-name with a unique name`,
    );
  }
  const app = found[0] ?? null;
  const jobs = app && desired.scimEndpoint ? await apps.listSyncJobs(app.servicePrincipalId) : [];
  const syncTemplateIds = app && desired.scimEndpoint ? await apps.listSyncTemplateIds(app.servicePrincipalId) : [];
  const job = jobs[0];
  const credentialsWork = app && job ? await apps.savedCredentialsWork(app.servicePrincipalId, job.id) : null;
  const metadataFile = await metadataFileState(apps, app, desired.federationMetadataOut);
  return { app, jobs, syncTemplateIds, credentialsWork, metadataFile, now };
}

/** Same issuer, sign-in URLs and signing certificates (the signature itself differs on every download). */
function sameIdp(published: string, onDisk: string): boolean {
  const a = parseIdpMetadata(published);
  const b = parseIdpMetadata(onDisk);
  if (!a.ok || !b.ok) return false;
  const key = (m: IdpMetadata) =>
    JSON.stringify([m.entityId, m.singleSignOnUrls, m.signingCertificates.map((c) => c.thumbprint).sort()]);
  return key(a.value) === key(b.value);
}

type Context = { app: EnterpriseApp | null; thumbprint: string | null; jobId: string | null };

async function runStep(
  step: SetupStep,
  ctx: Context,
  writer: AppWriter,
  scimToken: () => string,
): Promise<string | undefined> {
  const action = step.action;
  if (action.kind === 'create-app') {
    ctx.app = await writer.instantiate(action.templateId, action.displayName);
    return `service principal ${ctx.app.servicePrincipalId}, app id ${ctx.app.appId}`;
  }
  const app = ctx.app!;
  const sp = app.servicePrincipalId;
  switch (action.kind) {
    case 'set-saml-mode':
      return void (await writer.setSamlMode(sp));
    case 'set-saml-urls':
      return void (await writer.setSamlUrls(app.appObjectId, action.entityId, action.acsUrl));
    case 'add-signing-certificate':
      ctx.thumbprint = await writer.addSigningCertificate(sp, action.displayName, action.endDateTime);
      return `thumbprint ${ctx.thumbprint}, expires ${action.endDateTime.toISOString().slice(0, 10)}`;
    case 'set-preferred-certificate':
      return void (await writer.setPreferredThumbprint(sp, action.thumbprint ?? ctx.thumbprint!));
    case 'save-federation-metadata':
      return void (await writer.saveFederationMetadata(app.appId, action.path));
    case 'create-provisioning-job':
      ctx.jobId = (await writer.createSyncJob(sp, action.templateId)).id;
      return `job ${ctx.jobId}`;
    case 'save-provisioning-credentials': {
      const credentials: ScimCredentials = { baseAddress: action.baseAddress, token: scimToken() };
      return void (await writer.saveScimCredentials(sp, ctx.jobId!, credentials));
    }
    case 'start-provisioning':
      return void (await writer.startSyncJob(sp, ctx.jobId!));
  }
}

/** Plans and applies `entra setup`. `scimToken` is asked for only when credentials must be saved. */
export async function runSetup(
  apps: AppReader,
  writer: AppWriter,
  desired: SetupDesired,
  options: {
    now: Date;
    scimToken: () => string;
    progress: SetupProgress;
    onPlan?: (steps: SetupStep[]) => void;
    /** The journal of the run: each changing step's intent before its call, its result after (no secrets). */
    journal?: Journal;
  },
): Promise<SetupResult> {
  const live = await readSetupLive(apps, desired, options.now);
  const steps = planSetup(live, desired);
  options.onPlan?.(steps);
  const job = live.jobs.find((j) =>
    steps.some((s) => s.action.kind === 'create-provisioning-job' && s.action.templateId === j.templateId),
  );
  const ctx: Context = {
    app: live.app,
    thumbprint: live.app?.preferredTokenSigningKeyThumbprint ?? null,
    jobId: job?.id ?? null,
  };
  if (steps.some((s) => s.change && s.action.kind === 'save-provisioning-credentials')) options.scimToken();
  for (const step of steps) {
    if (!step.change) {
      options.progress.finished(step);
      continue;
    }
    options.progress.starting(step);
    const entry = options.journal?.begin({
      stepId: `entra.setup:${step.action.kind}`,
      kind: `entra.setup.${step.action.kind}`,
      target: step.description,
      // The action names what it sets (ids, URLs, dates); the SCIM token is never part of it.
      payload: { action: step.action },
    });
    try {
      const detail = await runStep(step, ctx, writer, options.scimToken);
      if (entry !== undefined) options.journal?.finish(entry, { status: 'done', result: detail ?? null });
      options.progress.finished(step, detail);
    } catch (error) {
      if (entry !== undefined) options.journal?.finish(entry, { status: 'failed', error: (error as Error).message });
      throw error;
    }
  }
  return { steps, app: ctx.app!, signingThumbprint: ctx.thumbprint };
}
