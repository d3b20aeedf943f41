/**
 * `entra setup`'s steps as typed changes for the one executor, each with the before-state its undo needs (read
 * live before planning), and how a killed run's open journal entries are settled from what is live now: a change the
 * live state shows in place is journaled done (so that its undo is kept for rollback), anything else superseded
 * (the plan decides again). Pure.
 */
import type { Change } from '../core/reconcile/changes.js';
import type { EntraSetupChange } from '../core/reconcile/changes-entra.js';
import type { EnterpriseApp, SyncJob } from './ports.js';
import type { SetupLive, SetupStep } from './setup-plan.js';

/** The typed change of a step that changes something (in Entra, or the local metadata file), or null. */
export function changeOfStep(step: SetupStep, live: SetupLive, appName: string, jobTemplate: string): Change | null {
  if (!step.change) return null;
  const a = step.action;
  const app = live.app;
  switch (a.kind) {
    case 'create-app':
      return { kind: 'entra.app.instantiate', app: appName, templateId: a.templateId };
    case 'set-saml-mode':
      return { kind: 'entra.sp.sso-mode', app: appName, to: 'saml', from: app?.preferredSingleSignOnMode ?? null };
    case 'set-saml-urls':
      return {
        kind: 'entra.app.saml-urls',
        app: appName,
        to: { identifierUris: [a.entityId], redirectUris: [a.acsUrl] },
        from: { identifierUris: app?.identifierUris ?? [], redirectUris: app?.redirectUris ?? [] },
      };
    case 'add-signing-certificate':
      return {
        kind: 'entra.sp.add-certificate',
        app: appName,
        displayName: a.displayName,
        endDateTime: a.endDateTime.toISOString(),
      };
    case 'set-preferred-certificate':
      return {
        kind: 'entra.sp.preferred-certificate',
        app: appName,
        to: a.thumbprint,
        from: app?.preferredTokenSigningKeyThumbprint ?? null,
        added: a.thumbprint === null,
      };
    case 'create-provisioning-job':
      return { kind: 'entra.sync.create-job', app: appName, templateId: a.templateId };
    case 'save-provisioning-credentials':
      return { kind: 'entra.sync.save-credentials', app: appName, baseAddress: a.baseAddress };
    case 'start-provisioning':
      return { kind: 'entra.sync.start', app: appName, templateId: jobTemplate };
    case 'save-federation-metadata':
      return {
        kind: 'entra.file.federation-metadata',
        app: appName,
        path: a.path,
        previous: live.metadataText ?? null,
      };
  }
}

/** The changes of the steps, in step order. */
export function setupChanges(steps: SetupStep[], live: SetupLive, appName: string): Change[] {
  const job = steps.find((s) => s.action.kind === 'create-provisioning-job')?.action as
    | { templateId: string }
    | undefined;
  return steps.map((s) => changeOfStep(s, live, appName, job?.templateId ?? '')).filter((c): c is Change => c !== null);
}

/**
 * What is live for one app, to settle a killed run's entries against: the app, its jobs, and where an entry needs
 * them, the users assigned to it (lower-cased UPNs) and the local files its entries wrote (null: no file).
 */
export type LiveApp = {
  app: EnterpriseApp | null;
  jobs: SyncJob[];
  assignedUpns?: Set<string>;
  files?: Map<string, string | null>;
};

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** True when the live state shows the change in place (the killed call went through). */
export function tookEffect(c: EntraSetupChange, live: LiveApp): boolean {
  const app = live.app;
  const job = (templateId: string) => live.jobs.find((j) => j.templateId === templateId);
  switch (c.kind) {
    case 'entra.app.instantiate':
      return app !== null;
    case 'entra.app.remove':
      return app === null;
    case 'entra.sp.sso-mode':
      return app?.preferredSingleSignOnMode === c.to;
    case 'entra.app.saml-urls':
      return (
        !!app && sameList(app.identifierUris, c.to.identifierUris) && sameList(app.redirectUris, c.to.redirectUris)
      );
    case 'entra.sp.add-certificate':
      return !!app?.signingCertificates.some(
        (k) => Math.abs(Date.parse(k.endDateTime) - Date.parse(c.endDateTime)) < 1000,
      );
    case 'entra.sp.preferred-certificate':
      return !c.added && app?.preferredTokenSigningKeyThumbprint === c.to;
    case 'entra.sync.create-job':
      return !!job(c.templateId);
    case 'entra.sync.delete-job':
      return !job(c.templateId);
    case 'entra.sync.start':
      return job(c.templateId)?.scheduleState === 'Active';
    case 'entra.sync.pause':
      return job(c.templateId)?.scheduleState !== 'Active';
    case 'entra.file.federation-metadata': {
      // The file is replaced whole (a rename), so it differs from what it held before exactly when the save happened.
      const now = live.files?.get(c.path);
      return now !== undefined && now !== c.previous;
    }
    case 'entra.file.restore':
      return live.files?.get(c.path) === c.content;
    case 'entra.app.user-assign':
      return live.assignedUpns?.has(c.upn.toLowerCase()) === true;
    case 'entra.app.user-unassign':
      return live.assignedUpns !== undefined && !live.assignedUpns.has(c.upn.toLowerCase());
    case 'entra.sync.save-credentials':
    case 'entra.sync.provision-user':
      return false;
  }
}
