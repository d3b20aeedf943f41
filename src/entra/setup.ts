/**
 * `entra setup` end to end: settle what a killed run left open, read what is live, refuse an app the tool does not
 * own, plan the steps (setup-plan.ts, pure), and run their typed changes through the one executor (journal before
 * each call, ownership of the app it creates, undo records for rollback). The dry run passes a recording writer and a
 * memory journal instead (dry-run.ts); nothing here knows which one it has.
 */
import { readFile } from 'node:fs/promises';
import { type Change, describeChange } from '../core/reconcile/changes.js';
import { entraAppRef } from '../core/reconcile/changes-entra.js';
import { UsageError } from '../errors.js';
import { type ExecutionReport, executeChanges } from '../reconcile/executor.js';
import type { Journal } from '../reconcile/journal.js';
import type { Ownership } from '../store/ownership-repo.js';
import type { AppReader, AppWriter, EnterpriseApp } from './ports.js';
import { type IdpMetadata, parseIdpMetadata } from './saml-metadata.js';
import { setupChanges } from './setup-changes.js';
import { type SetupContext, setupPerformer } from './setup-performer.js';
import { AWS_GALLERY_TEMPLATE_ID, planSetup, type SetupDesired, type SetupLive, type SetupStep } from './setup-plan.js';
import { settleOpenSetupEntries } from './setup-resume.js';

/** Progress callbacks: before a step runs, and after. */
export type SetupProgress = { starting(step: SetupStep): void; finished(step: SetupStep, detail?: string): void };

/** The outcome: every step, the app, and the thumbprint that signs SAML tokens now. */
export type SetupResult = {
  steps: SetupStep[];
  app: EnterpriseApp;
  signingThumbprint: string | null;
  report: ExecutionReport;
};

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
  const metadataText = desired.federationMetadataOut
    ? await readFile(desired.federationMetadataOut, 'utf8').catch(() => null)
    : null;
  return { app, jobs, syncTemplateIds, credentialsWork, metadataFile, metadataText, now };
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

/** What the run writes through: the journal, ownership and its log (the dry run passes memory ones). */
export type SetupRunOptions = {
  now: Date;
  scimToken: () => string;
  progress: SetupProgress;
  onPlan?: (steps: SetupStep[]) => void;
  runId: string;
  /** The journal of the run: each change's intent (with its undo) before its call, its result after (no secrets). */
  journal: Journal;
  ownership: Ownership;
  /** The service principal id recorded when the app was created, if known (a name match is not ownership). */
  ownedAppId?: string | null;
  log(line: string): void;
  sleep?: (ms: number) => Promise<void>;
};

/** Refuses to configure an app iam2sso neither created nor was told to adopt. */
function refuseUnownedApp(app: EnterpriseApp | null, desired: SetupDesired, options: SetupRunOptions): void {
  if (!app) return;
  const ref = entraAppRef(desired.appName);
  const recorded = options.ownedAppId;
  if (options.ownership.isOwned(ref) && (!recorded || recorded === app.servicePrincipalId)) {
    // An app a killed run created is known by its id from now on.
    if (!recorded) options.ownership.record(ref, options.runId, app.servicePrincipalId);
    return;
  }
  throw new UsageError(
    `enterprise app '${app.displayName}' (${app.servicePrincipalId}) exists and is not managed by iam2sso: pass --app-name with another name, or adopt it with \`iam2sso adopt entra-app "${desired.appName}"\``,
  );
}

/** Plans and applies `entra setup` through the executor. `scimToken` is asked for only when credentials are saved. */
export async function runSetup(
  apps: AppReader,
  writer: AppWriter,
  desired: SetupDesired,
  options: SetupRunOptions,
): Promise<SetupResult> {
  let live = await readSetupLive(apps, desired, options.now);
  const settled = await settleOpenSetupEntries(
    options.journal,
    apps,
    { app: live.app, jobs: live.jobs },
    desired.appName,
    options.sleep,
  );
  if (settled) live = await readSetupLive(apps, desired, options.now);
  refuseUnownedApp(live.app, desired, options);
  const steps = planSetup(live, desired);
  options.onPlan?.(steps);
  const changes = setupChanges(steps, live, desired.appName);
  const job = live.jobs.find((j) =>
    steps.some((s) => s.action.kind === 'create-provisioning-job' && s.action.templateId === j.templateId),
  );
  const ctx: SetupContext = {
    app: live.app,
    thumbprint: live.app?.preferredTokenSigningKeyThumbprint ?? null,
    jobId: job?.id ?? null,
  };
  if (changes.some((c) => c.kind === 'entra.sync.save-credentials')) options.scimToken();
  const stepOf = (c: Change) => steps.find((s) => s.change && sameKind(s, c));
  let firstError: unknown = null;
  const performer = setupPerformer(apps, writer, ctx, {
    scimToken: options.scimToken,
    onStart: (c) => {
      const step = stepOf(c);
      if (step) options.progress.starting(step);
    },
    onDone: (c, detail) => {
      const step = stepOf(c);
      if (step) options.progress.finished(step, detail);
    },
    onError: (e) => {
      firstError ??= e;
    },
  });
  for (const step of steps) if (!step.change) options.progress.finished(step);
  const report = await executeChanges(changes, performer, {
    runId: options.runId,
    journal: options.journal,
    ownership: options.ownership,
    log: options.log,
  });
  if (firstError) throw firstError;
  const stuck = [...report.refused, ...report.cancelled];
  if (stuck.length > 0) throw new UsageError(stuck.map((r) => `${describeChange(r.change)}: ${r.reason}`).join('; '));
  return { steps, app: ctx.app!, signingThumbprint: ctx.thumbprint, report };
}

const STEP_KIND: Record<SetupStep['action']['kind'], string> = {
  'create-app': 'entra.app.instantiate',
  'set-saml-mode': 'entra.sp.sso-mode',
  'set-saml-urls': 'entra.app.saml-urls',
  'add-signing-certificate': 'entra.sp.add-certificate',
  'set-preferred-certificate': 'entra.sp.preferred-certificate',
  'save-federation-metadata': 'entra.file.federation-metadata',
  'create-provisioning-job': 'entra.sync.create-job',
  'save-provisioning-credentials': 'entra.sync.save-credentials',
  'start-provisioning': 'entra.sync.start',
};

function sameKind(step: SetupStep, c: Change): boolean {
  return STEP_KIND[step.action.kind] === c.kind;
}
