/**
 * The dry run: write ports that record what they would do instead of doing it, returning placeholders so the
 * steps after a create can still be described. Reads still go to Graph, so the plan is the real one.
 */
import type { AppWriter, DirectoryWriter, EnterpriseApp } from './ports.js';

/** One write that was not made. */
export type IntendedWrite = { call: string; detail: string };

/** Placeholder ids of objects a dry run would have created. */
export const PLANNED = {
  servicePrincipalId: '(new service principal)',
  appObjectId: '(new application)',
  appId: '(new app id)',
  thumbprint: '(new certificate thumbprint)',
  jobId: '(new provisioning job)',
  groupId: '(new group)',
};

/** An AppWriter that records intended writes in `log`. */
export function recordingAppWriter(log: IntendedWrite[]): AppWriter {
  const note = (call: string, detail: string) => log.push({ call, detail });
  return {
    async instantiate(templateId, displayName) {
      note(
        'POST /applicationTemplates/{id}/instantiate',
        `create '${displayName}' from gallery template ${templateId}`,
      );
      return {
        appObjectId: PLANNED.appObjectId,
        appId: PLANNED.appId,
        servicePrincipalId: PLANNED.servicePrincipalId,
        displayName,
        applicationTemplateId: templateId,
        preferredSingleSignOnMode: null,
        preferredTokenSigningKeyThumbprint: null,
        identifierUris: [],
        redirectUris: [],
        signingCertificates: [],
        appRoles: [],
      } satisfies EnterpriseApp;
    },
    async removeApp(spId, appObjectId) {
      note('DELETE /servicePrincipals/{id}, DELETE /applications/{id}', `${spId}, application ${appObjectId}`);
    },
    async setSsoMode(spId, mode) {
      note('PATCH /servicePrincipals/{id}', `${spId}: preferredSingleSignOnMode ${mode}`);
    },
    async setSamlUrls(appObjectId, identifierUris, redirectUris) {
      note(
        'PATCH /applications/{id}',
        `${appObjectId}: identifierUris [${identifierUris.join(', ')}], web.redirectUris [${redirectUris.join(', ')}]`,
      );
    },
    async addSigningCertificate(spId, displayName, end) {
      note(
        'POST /servicePrincipals/{id}/addTokenSigningCertificate',
        `${spId}: ${displayName} until ${end.toISOString()}`,
      );
      return PLANNED.thumbprint;
    },
    async setPreferredThumbprint(spId, thumbprint) {
      note('PATCH /servicePrincipals/{id}', `${spId}: preferredTokenSigningKeyThumbprint ${thumbprint}`);
    },
    async saveFederationMetadata(appId, path) {
      note('write file', `federation metadata of app ${appId} to ${path}`);
    },
    async restoreFederationMetadata(path, content) {
      note(content === null ? 'remove file' : 'write file', `${path}${content === null ? '' : ' (as it was)'}`);
    },
    async createSyncJob(spId, templateId) {
      note('POST /servicePrincipals/{id}/synchronization/jobs', `${spId}: job from template ${templateId}`);
      return { id: PLANNED.jobId, templateId, scheduleState: 'Disabled', quarantined: false, lastExecutionState: null };
    },
    async saveScimCredentials(spId, jobId, credentials) {
      note(
        'POST .../validateCredentials, PUT .../synchronization/secrets',
        `${spId} ${jobId}: BaseAddress ${credentials.baseAddress}, SecretToken (from the environment), SyncAll false`,
      );
    },
    async startSyncJob(spId, jobId) {
      note('POST .../jobs/{id}/start', `${spId} ${jobId}`);
    },
    async pauseSyncJob(spId, jobId) {
      note('POST .../jobs/{id}/pause', `${spId} ${jobId}`);
    },
    async deleteSyncJob(spId, jobId) {
      note('DELETE .../synchronization/jobs/{id}', `${spId} ${jobId}`);
    },
    async assign(spId, principalId, appRoleId) {
      note('POST /servicePrincipals/{id}/appRoleAssignedTo', `${spId}: ${principalId} as role ${appRoleId}`);
      return 'done';
    },
    async unassign(spId, principalId) {
      note('DELETE /servicePrincipals/{id}/appRoleAssignedTo/{id}', `${spId}: ${principalId}`);
      return 'done';
    },
    async provisionOnDemand(spId, jobId, _ruleId, userId) {
      note('POST .../jobs/{id}/provisionOnDemand', `${spId} ${jobId}: user ${userId}`);
      return { status: 'Skipped', action: null, reason: 'dry run', targetId: null };
    },
  };
}

/** A DirectoryWriter that records intended writes in `log`. */
export function recordingDirectoryWriter(log: IntendedWrite[]): DirectoryWriter {
  const note = (call: string, detail: string) => log.push({ call, detail });
  return {
    async createSecurityGroup({ displayName, description }) {
      note('POST /groups', `security group '${displayName}'${description ? ` (${description})` : ''}`);
      return {
        id: `${PLANNED.groupId} ${displayName}`,
        displayName,
        description,
        mailNickname: '',
        securityEnabled: true,
        mailEnabled: false,
      };
    },
    async addMember(groupId, memberId) {
      note('POST /groups/{id}/members/$ref', `${groupId}: add ${memberId}`);
      return 'done';
    },
    async removeMember(groupId, memberId) {
      note('DELETE /groups/{id}/members/{id}/$ref', `${groupId}: remove ${memberId}`);
      return 'done';
    },
    async assignToApp(spId, principalId, appRoleId) {
      note('POST /servicePrincipals/{id}/appRoleAssignedTo', `${spId}: ${principalId} as role ${appRoleId}`);
      return 'done';
    },
    async unassignFromApp(spId, principalId) {
      note('DELETE /servicePrincipals/{id}/appRoleAssignedTo/{id}', `${spId}: ${principalId}`);
      return 'done';
    },
  };
}
