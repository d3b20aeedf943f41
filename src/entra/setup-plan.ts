/**
 * What `entra setup` must change, decided purely from what is live: the gallery app, SAML mode and URLs, an
 * active signing certificate that is the preferred one, the federation metadata file, and provisioning (job,
 * credentials, started). Steps already in place are kept in the list so the user sees the whole picture.
 */

import type { EnterpriseApp, SyncJob } from './ports.js';
import type { SpMetadata } from './saml-metadata.js';

/** The AWS IAM Identity Center gallery application template, the same id in every tenant. */
export const AWS_GALLERY_TEMPLATE_ID = '21ed01d2-ec13-4e9e-86c1-cd546719ebc4';
/**
 * The synchronization template (and factory tag) of that app. `aws` is the older "Amazon Web Services (AWS)"
 * app's; Identity Center jobs read `aWSSingleSignon.<32 hex>.<tenant id>`.
 */
export const AWS_SYNC_TEMPLATE_ID = 'aWSSingleSignon';
/** The gallery app's display name in the Entra gallery. */
export const DEFAULT_APP_NAME = 'AWS IAM Identity Center (successor to AWS Single Sign-On)';
/** Entra's default display name of SAML signing certificates. */
export const SIGNING_CERTIFICATE_NAME = 'CN=Microsoft Azure Federated SSO Certificate';
/** A certificate closer than this to expiry is replaced (the seed warns: an expired certificate breaks SSO). */
export const CERTIFICATE_RENEW_BEFORE_MS = 60 * 86_400_000;
const CERTIFICATE_LIFETIME_MS = 3 * 365 * 86_400_000;

/** One thing setup does. */
export type SetupAction =
  | { kind: 'create-app'; templateId: string; displayName: string }
  | { kind: 'set-saml-mode' }
  | { kind: 'set-saml-urls'; entityId: string; acsUrl: string }
  | { kind: 'add-signing-certificate'; displayName: string; endDateTime: Date }
  | { kind: 'set-preferred-certificate'; thumbprint: string | null }
  | { kind: 'save-federation-metadata'; path: string }
  | { kind: 'create-provisioning-job'; templateId: string }
  | { kind: 'save-provisioning-credentials'; baseAddress: string }
  | { kind: 'start-provisioning' };

/** A step and whether it changes anything. */
export type SetupStep = { action: SetupAction; change: boolean; description: string };

/** What the user asked for. */
export type SetupDesired = {
  appName: string;
  sp: SpMetadata | null;
  federationMetadataOut: string | null;
  /** The SCIM endpoint; null when provisioning is not being configured. */
  scimEndpoint: string | null;
  /** Save the credentials even if the saved ones work (a new token). */
  replaceCredentials: boolean;
};

/** What is live (read before planning). */
export type SetupLive = {
  app: EnterpriseApp | null;
  jobs: SyncJob[];
  syncTemplateIds: string[];
  /** Whether the saved SCIM credentials work; null when there is no job to ask. */
  credentialsWork: boolean | null;
  /** How the federation metadata file compares with what Entra publishes now. */
  metadataFile: 'same' | 'different' | 'missing' | 'unknown';
  /** What the federation metadata file holds now (null: no file), kept with the save's intent for its undo. */
  metadataText?: string | null;
  now: Date;
};

function activeThumbprint(app: EnterpriseApp, now: Date): string | null {
  const preferred = app.preferredTokenSigningKeyThumbprint;
  const cert = app.signingCertificates.find((c) => c.thumbprint === preferred);
  if (!cert) return null;
  return Date.parse(cert.endDateTime) - now.getTime() > CERTIFICATE_RENEW_BEFORE_MS ? cert.thumbprint : null;
}

function usableThumbprint(app: EnterpriseApp, now: Date): string | null {
  const ok = app.signingCertificates.filter(
    (c) => Date.parse(c.endDateTime) - now.getTime() > CERTIFICATE_RENEW_BEFORE_MS,
  );
  ok.sort((a, b) => Date.parse(b.endDateTime) - Date.parse(a.endDateTime));
  return ok[0]?.thumbprint ?? null;
}

function samlSteps(app: EnterpriseApp | null, desired: SetupDesired, now: Date): SetupStep[] {
  const steps: SetupStep[] = [];
  const samlOn = app?.preferredSingleSignOnMode === 'saml';
  steps.push({ action: { kind: 'set-saml-mode' }, change: !samlOn, description: 'single sign-on mode SAML' });
  if (desired.sp) {
    const { entityId, acsUrl } = desired.sp;
    const same = app?.identifierUris.includes(entityId) && app.redirectUris.includes(acsUrl);
    steps.push({
      action: { kind: 'set-saml-urls', entityId, acsUrl },
      change: !same,
      description: `SAML identifier ${entityId} and reply URL ${acsUrl}`,
    });
  }
  const active = app ? activeThumbprint(app, now) : null;
  // A usable certificate already on the app (one a killed run added before making it the active one) is made the
  // active one rather than adding another.
  const usable = app && !active ? usableThumbprint(app, now) : null;
  if (!active && !usable) {
    steps.push({
      action: {
        kind: 'add-signing-certificate',
        displayName: SIGNING_CERTIFICATE_NAME,
        endDateTime: new Date(now.getTime() + CERTIFICATE_LIFETIME_MS),
      },
      change: true,
      description: 'a SAML token signing certificate valid for 3 years',
    });
  }
  steps.push({
    action: { kind: 'set-preferred-certificate', thumbprint: active ?? usable },
    change: !active,
    description: active
      ? `signing certificate ${active} is the active one`
      : usable
        ? `make signing certificate ${usable} the active one`
        : 'make the new certificate the active one',
  });
  return steps;
}

function provisioningSteps(live: SetupLive, desired: SetupDesired): SetupStep[] {
  if (!desired.scimEndpoint) return [];
  const templateId = live.syncTemplateIds.includes(AWS_SYNC_TEMPLATE_ID)
    ? AWS_SYNC_TEMPLATE_ID
    : (live.syncTemplateIds[0] ?? AWS_SYNC_TEMPLATE_ID);
  const job = live.jobs.find((j) => j.templateId === templateId) ?? null;
  const credentialsOk = job !== null && live.credentialsWork === true && !desired.replaceCredentials;
  const running = job !== null && job.scheduleState === 'Active' && !job.quarantined;
  return [
    {
      action: { kind: 'create-provisioning-job', templateId },
      change: !job,
      description: `provisioning job from template ${templateId}`,
    },
    {
      action: { kind: 'save-provisioning-credentials', baseAddress: desired.scimEndpoint },
      change: !credentialsOk,
      description: credentialsOk
        ? 'saved SCIM credentials reach the endpoint'
        : `test and save SCIM credentials for ${desired.scimEndpoint} (SyncAll false: assigned users and groups only)`,
    },
    {
      action: { kind: 'start-provisioning' },
      change: !running || !credentialsOk,
      description: 'provisioning started',
    },
  ];
}

/** The ordered steps of `entra setup` for what is live. */
export function planSetup(live: SetupLive, desired: SetupDesired): SetupStep[] {
  const steps: SetupStep[] = [
    {
      action: { kind: 'create-app', templateId: AWS_GALLERY_TEMPLATE_ID, displayName: desired.appName },
      change: !live.app,
      description: live.app
        ? `enterprise app '${live.app.displayName}' (${live.app.servicePrincipalId})`
        : `enterprise app '${desired.appName}' from the AWS IAM Identity Center gallery template`,
    },
    ...samlSteps(live.app, desired, live.now),
  ];
  if (desired.federationMetadataOut) {
    const certChanges = steps.some((s) => s.change && s.action.kind === 'add-signing-certificate');
    steps.push({
      action: { kind: 'save-federation-metadata', path: desired.federationMetadataOut },
      change: certChanges || live.metadataFile !== 'same',
      description: `federation metadata saved to ${desired.federationMetadataOut}`,
    });
  }
  return [...steps, ...provisioningSteps(live, desired)];
}
