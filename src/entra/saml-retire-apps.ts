/**
 * The Entra writes of `decommission saml`: an "AWS Single-Account Access" enterprise app's sign-in switched off
 * and on (`accountEnabled` of its service principal: a disabled one starts no sign-in), the application object
 * looked up by appId, deleted, and restored from deleted items with its service principal (restoring an application
 * does not restore its service principal; both stay restorable for 30 days).
 * Sources: Graph v1.0 Update servicePrincipal (PATCH /servicePrincipals/{id}, accountEnabled), Get application by
 * appId (GET /applications(appId='{appId}')), Delete application, Restore deleted item
 * (POST /directory/deletedItems/{id}/restore; https://learn.microsoft.com/graph/api/directory-deleteditems-restore).
 */
import type { GraphApi } from './graph-client.js';
import { GraphCallError } from './graph-errors.js';

const notFound = (e: unknown) => e instanceof GraphCallError && e.failure.status === 404;

/** Switches the enterprise app's sign-in on or off. */
export async function setServicePrincipalEnabled(graph: GraphApi, servicePrincipalId: string, enabled: boolean) {
  await graph.patch(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}`, 'apps.write', {
    accountEnabled: enabled,
  });
}

/** The application object id of an appId, or null when there is none (deleted already). */
export async function applicationIdOf(graph: GraphApi, appId: string): Promise<string | null> {
  try {
    const app = await graph.get<{ id: string }>(
      `/applications(appId='${encodeURIComponent(appId)}')?$select=id`,
      'apps.read',
    );
    return app.id;
  } catch (e) {
    if (notFound(e)) return null;
    throw e;
  }
}

/** Deletes the application (and with it its service principal); gone already: done. */
export async function deleteApplication(graph: GraphApi, applicationId: string): Promise<void> {
  try {
    await graph.delete(`/applications/${encodeURIComponent(applicationId)}`, 'apps.write');
  } catch (e) {
    if (!notFound(e)) throw e;
  }
}

async function restore(graph: GraphApi, id: string, live: string): Promise<void> {
  try {
    await graph.post(`/directory/deletedItems/${encodeURIComponent(id)}/restore`, 'apps.write', {});
  } catch (e) {
    if (!notFound(e)) throw e;
    // Not in deleted items: restored already (a resumed rollback), or gone for good after 30 days.
    await graph.get(live, 'apps.read');
  }
}

/** Restores the application, then its service principal, from deleted items. */
export async function restoreApplication(graph: GraphApi, applicationId: string, servicePrincipalId: string) {
  await restore(graph, applicationId, `/applications/${encodeURIComponent(applicationId)}?$select=id`);
  await restore(graph, servicePrincipalId, `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}?$select=id`);
}
