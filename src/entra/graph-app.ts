/**
 * The enterprise app through Graph: the gallery app's service principal and application (read), and the
 * writes that configure SAML single sign-on and the signing certificate (instantiate, preferredSingleSignOnMode,
 * identifierUris and web.redirectUris, addTokenSigningCertificate, preferredTokenSigningKeyThumbprint), and removing
 * an app the tool created (rollback).
 */

import { odataString } from './directory-reader.js';
import type { GraphApi } from './graph-client.js';
import { GraphCallError } from './graph-errors.js';
import type { EnterpriseApp } from './ports.js';

type Raw = Record<string, unknown>;
type KeyCredential = { customKeyIdentifier?: string | null; keyId: string; usage: string; endDateTime: string };

const SP_SELECT =
  '$select=id,appId,displayName,applicationTemplateId,preferredSingleSignOnMode,preferredTokenSigningKeyThumbprint,keyCredentials,appRoles';

/** A key credential's thumbprint: Graph gives it as hex, or as base64 of the 20 thumbprint bytes. */
export function thumbprintOf(customKeyIdentifier: string | null | undefined): string | null {
  if (!customKeyIdentifier) return null;
  if (/^[0-9a-f]{40}$/i.test(customKeyIdentifier)) return customKeyIdentifier.toUpperCase();
  const bytes = Buffer.from(customKeyIdentifier, 'base64');
  return bytes.length === 20 ? bytes.toString('hex').toUpperCase() : null;
}

function toApp(sp: Raw, app: Raw | null): EnterpriseApp {
  const keys = (sp.keyCredentials as KeyCredential[] | undefined) ?? [];
  return {
    appObjectId: String(app?.id ?? ''),
    appId: String(sp.appId),
    servicePrincipalId: String(sp.id),
    displayName: String(sp.displayName ?? ''),
    applicationTemplateId: (sp.applicationTemplateId as string | null) ?? null,
    preferredSingleSignOnMode: (sp.preferredSingleSignOnMode as string | null) ?? null,
    preferredTokenSigningKeyThumbprint: (sp.preferredTokenSigningKeyThumbprint as string | null)?.toUpperCase() ?? null,
    identifierUris: (app?.identifierUris as string[] | undefined) ?? [],
    redirectUris: ((app?.web as Raw | undefined)?.redirectUris as string[] | undefined) ?? [],
    signingCertificates: keys
      .filter((k) => k.usage === 'Verify')
      .map((k) => ({
        keyId: k.keyId,
        thumbprint: thumbprintOf(k.customKeyIdentifier) ?? '',
        endDateTime: k.endDateTime,
      }))
      .filter((c) => c.thumbprint),
    appRoles: ((sp.appRoles as Raw[] | undefined) ?? []).map((r) => ({
      id: String(r.id),
      displayName: String(r.displayName ?? ''),
      value: (r.value as string | null) ?? null,
    })),
  };
}

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof GraphCallError && error.failure.status === 404) return null;
    throw error;
  }
}

/** Reads the service principal and its application; null when Graph cannot see it (yet). */
export async function readApp(graph: GraphApi, servicePrincipalId: string): Promise<EnterpriseApp | null> {
  const sp = await orNull(() =>
    graph.get<Raw>(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}?${SP_SELECT}`, 'apps.read'),
  );
  if (!sp) return null;
  const app = await orNull(() =>
    graph.get<Raw>(`/applications(appId=${odataString(String(sp.appId))})?$select=id,identifierUris,web`, 'apps.read'),
  );
  return app ? toApp(sp, app) : null;
}

/** Enterprise apps with this display name made from this gallery template. */
export async function findApps(graph: GraphApi, displayName: string, templateId: string): Promise<EnterpriseApp[]> {
  const filter = encodeURIComponent(`displayName eq ${odataString(displayName)}`);
  const { items } = await graph.pages<Raw>(`/servicePrincipals?$filter=${filter}&${SP_SELECT}`, 'apps.read');
  const matches = items.filter((sp) => sp.applicationTemplateId === templateId);
  const apps = await Promise.all(matches.map((sp) => readApp(graph, String(sp.id))));
  return apps.filter((a): a is EnterpriseApp => a !== null);
}

/** How long to wait for an instantiated app to replicate, and how often to look. */
export type ReplicationWait = { timeoutMs: number; sleep(ms: number): Promise<void> };

/** Instantiates the gallery template, then polls until Graph can read the service principal and application. */
export async function instantiateApp(
  graph: GraphApi,
  templateId: string,
  displayName: string,
  wait: ReplicationWait,
): Promise<EnterpriseApp> {
  const created = await graph.post<{ servicePrincipal: Raw; application: Raw }>(
    `/applicationTemplates/${encodeURIComponent(templateId)}/instantiate`,
    'apps.instantiate',
    { displayName },
  );
  const spId = String(created.servicePrincipal.id);
  const started = Date.now();
  for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
    const app = await readApp(graph, spId);
    if (app) return app;
    if (Date.now() - started > wait.timeoutMs) {
      throw new Error(
        `the enterprise app ${spId} was created but Graph still cannot read it after ${wait.timeoutMs / 1000} s; run the command again`,
      );
    }
    await wait.sleep(delay);
  }
}

/** Sets preferredSingleSignOnMode (saml; or back to what it was, null included). */
export function setSsoMode(graph: GraphApi, servicePrincipalId: string, mode: string | null): Promise<void> {
  return graph.patch(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}`, 'apps.write', {
    preferredSingleSignOnMode: mode,
  });
}

/** Sets the SP entity IDs (identifierUris) and ACS URLs (web.redirectUris) on the application. */
export function setSamlUrls(
  graph: GraphApi,
  appObjectId: string,
  identifierUris: string[],
  redirectUris: string[],
): Promise<void> {
  return graph.patch(`/applications/${encodeURIComponent(appObjectId)}`, 'apps.write', {
    identifierUris,
    web: { redirectUris },
  });
}

/**
 * Removes the enterprise app: its service principal, then its application (Graph moves both to deleted items for
 * 30 days). Already gone is success. Docs: learn.microsoft.com/graph/api/serviceprincipal-delete and
 * learn.microsoft.com/graph/api/application-delete (DELETE, 204 No Content).
 */
export async function removeApp(graph: GraphApi, servicePrincipalId: string, appObjectId: string): Promise<void> {
  const gone = async (call: () => Promise<void>) => {
    try {
      await call();
    } catch (error) {
      if (!(error instanceof GraphCallError && error.failure.status === 404)) throw error;
    }
  };
  await gone(() => graph.delete(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}`, 'apps.write'));
  if (appObjectId) await gone(() => graph.delete(`/applications/${encodeURIComponent(appObjectId)}`, 'apps.write'));
}

/** Adds a self-signed token signing certificate; returns its thumbprint. */
export async function addSigningCertificate(
  graph: GraphApi,
  servicePrincipalId: string,
  displayName: string,
  endDateTime: Date,
): Promise<string> {
  const cert = await graph.post<{ thumbprint: string }>(
    `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/addTokenSigningCertificate`,
    'apps.write',
    { displayName, endDateTime: endDateTime.toISOString() },
  );
  return cert.thumbprint.toUpperCase();
}

/** Makes the certificate with this thumbprint the one that signs SAML tokens (null: none is preferred). */
export function setPreferredThumbprint(
  graph: GraphApi,
  servicePrincipalId: string,
  thumbprint: string | null,
): Promise<void> {
  return graph.patch(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}`, 'apps.write', {
    preferredTokenSigningKeyThumbprint: thumbprint,
  });
}

/** The app's users and groups assignments. */
export async function listAssignments(
  graph: GraphApi,
  servicePrincipalId: string,
): Promise<{ principalId: string; appRoleId: string }[]> {
  const { items } = await graph.pages<Raw>(
    `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo?$select=principalId,appRoleId`,
    'apps.read',
  );
  return items.map((a) => ({ principalId: String(a.principalId), appRoleId: String(a.appRoleId) }));
}
