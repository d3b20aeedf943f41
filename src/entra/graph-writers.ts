/**
 * The Graph implementations of the write ports. Every write goes through `writeIdempotently` where Graph can
 * answer "already there" (members, assignments, jobs) so re-running a command never fails on its own work.
 */
import {
  addSigningCertificate,
  instantiateApp,
  type ReplicationWait,
  removeApp,
  setPreferredThumbprint,
  setSamlUrls,
  setSsoMode,
} from './graph-app.js';
import type { GraphApi } from './graph-client.js';
import {
  createSyncJob,
  deleteSyncJob,
  listSyncJobs,
  pauseSyncJob,
  provisionOnDemand,
  saveScimCredentials,
  startSyncJob,
} from './graph-provisioning.js';
import { writeIdempotently } from './idempotent.js';
import { restoreFile, writeFileAtomic } from './metadata-file.js';
import type { AppWriter, DirectoryWriter, EntraGroup } from './ports.js';

/** A mailNickname Graph accepts, derived from a display name: ASCII letters, digits, `-`, `_`, `.`; at most 64. */
export function mailNicknameFor(displayName: string): string {
  const ascii = displayName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
  const cleaned = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  return cleaned || 'group';
}

/** Writes to groups and app assignments. */
export function graphDirectoryWriter(graph: GraphApi): DirectoryWriter {
  const directoryObject = (id: string) => `${graph.endpoint}/v1.0/directoryObjects/${encodeURIComponent(id)}`;
  return {
    async createSecurityGroup({ displayName, description }) {
      const raw = await graph.post<Record<string, unknown>>('/groups', 'groups.create', {
        displayName,
        description,
        mailEnabled: false,
        securityEnabled: true,
        mailNickname: mailNicknameFor(displayName),
      });
      return {
        id: String(raw.id),
        displayName: String(raw.displayName),
        description: (raw.description as string | null) ?? null,
        mailNickname: String(raw.mailNickname),
        securityEnabled: true,
        mailEnabled: false,
      } satisfies EntraGroup;
    },
    addMember: (groupId, memberId) =>
      writeIdempotently('create', () =>
        graph.post(`/groups/${encodeURIComponent(groupId)}/members/$ref`, 'groups.members.write', {
          '@odata.id': directoryObject(memberId),
        }),
      ),
    removeMember: (groupId, memberId) =>
      writeIdempotently('delete', () =>
        graph.delete(
          `/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(memberId)}/$ref`,
          'groups.members.write',
        ),
      ),
    assignToApp: (servicePrincipalId, principalId, appRoleId) =>
      writeIdempotently('create', () =>
        graph.post(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo`, 'apps.assign', {
          principalId,
          resourceId: servicePrincipalId,
          appRoleId,
        }),
      ),
    // DELETE /servicePrincipals/{resource id}/appRoleAssignedTo/{assignment id}: learn.microsoft.com/graph/api/
    // serviceprincipal-delete-approleassignedto (204; a 404 means it is already gone).
    async unassignFromApp(servicePrincipalId, principalId) {
      const { items } = await graph.pages<{ id: string; principalId: string }>(
        `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo?$select=id,principalId`,
        'apps.assign',
      );
      const mine = items.filter((a) => a.principalId === principalId);
      for (const a of mine)
        await writeIdempotently('delete', () =>
          graph.delete(
            `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo/${encodeURIComponent(a.id)}`,
            'apps.assign',
          ),
        );
      return mine.length ? 'done' : 'already';
    },
  };
}

/** Writes to the enterprise app and its provisioning. */
export function graphAppWriter(
  graph: GraphApi,
  fetchText: (url: string) => Promise<string>,
  federationMetadataUrl: (appId: string) => string,
  wait: ReplicationWait,
): AppWriter {
  const directory = graphDirectoryWriter(graph);
  return {
    instantiate: (templateId, displayName) => instantiateApp(graph, templateId, displayName, wait),
    removeApp: (spId, appObjectId) => removeApp(graph, spId, appObjectId),
    setSsoMode: (spId, mode) => setSsoMode(graph, spId, mode),
    setSamlUrls: (appObjectId, identifierUris, redirectUris) =>
      setSamlUrls(graph, appObjectId, identifierUris, redirectUris),
    addSigningCertificate: (spId, displayName, end) => addSigningCertificate(graph, spId, displayName, end),
    setPreferredThumbprint: (spId, thumbprint) => setPreferredThumbprint(graph, spId, thumbprint),
    async saveFederationMetadata(appId, path) {
      await writeFileAtomic(path, await fetchText(federationMetadataUrl(appId)));
    },
    restoreFederationMetadata: (path, content) => restoreFile(path, content),
    async createSyncJob(spId, templateId) {
      let created: Awaited<ReturnType<typeof createSyncJob>> | undefined;
      await writeIdempotently('create', async () => {
        created = await createSyncJob(graph, spId, templateId);
      });
      return created ?? (await listSyncJobs(graph, spId)).find((j) => j.templateId === templateId)!;
    },
    saveScimCredentials: (spId, jobId, credentials) => saveScimCredentials(graph, spId, jobId, credentials),
    startSyncJob: (spId, jobId) => startSyncJob(graph, spId, jobId),
    pauseSyncJob: (spId, jobId) => pauseSyncJob(graph, spId, jobId),
    deleteSyncJob: (spId, jobId) => deleteSyncJob(graph, spId, jobId),
    assign: (spId, principalId, appRoleId) => directory.assignToApp(spId, principalId, appRoleId),
    unassign: (spId, principalId) => directory.unassignFromApp(spId, principalId),
    provisionOnDemand: (spId, jobId, ruleId, userId) => provisionOnDemand(graph, spId, jobId, ruleId, userId),
  };
}
