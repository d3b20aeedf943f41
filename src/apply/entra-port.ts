/**
 * Apply's Entra port over the Entra adapter (src/entra): users and groups read once, direct members through
 * `$batch`, the Identity Center gallery app found by its template id, idempotent writes. Deleting a group (only
 * ones the product created) is the one call the adapter's writer does not have; it goes through its Graph client.
 */
import { NotManagedError } from '../core/reconcile/not-managed.js';
import type { EntraAdapter } from '../entra/adapter.js';
import { AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME } from '../entra/setup-plan.js';
import type { EntraAppInfo, EntraPort } from './ports.js';

/** The default display name of the gallery app: the one `iam2sso entra setup` gives it. */
export { DEFAULT_APP_NAME };

/** The Entra port for apply over the adapter. */
export function entraPort(adapter: EntraAdapter, appName = DEFAULT_APP_NAME): EntraPort {
  return {
    listUsers: () => adapter.reader.listUsers(),
    async listGroups() {
      return (await adapter.reader.listGroups()).map((g) => ({
        id: g.id,
        displayName: g.displayName,
        description: g.description,
      }));
    },
    async listGroupMembers(groupId) {
      const members = (await adapter.reader.directMembersOf([groupId])).get(groupId) ?? [];
      return members.filter((m) => m.type === 'user').map((m) => m.id);
    },
    async findIdentityCenterApp(): Promise<EntraAppInfo | null> {
      const [app] = await adapter.apps.findApps(appName, AWS_GALLERY_TEMPLATE_ID);
      if (!app) return null;
      const role = app.appRoles.find((r) => r.displayName === 'User' || r.value === 'User') ?? app.appRoles[0];
      return role
        ? { servicePrincipalId: app.servicePrincipalId, appRoleId: role.id, displayName: app.displayName }
        : null;
    },
    async listAppAssignedGroups(servicePrincipalId) {
      return (await adapter.apps.listAssignments(servicePrincipalId)).map((a) => a.principalId);
    },
    provisioningJobs: (servicePrincipalId) => adapter.apps.listSyncJobs(servicePrincipalId),
    async createGroup(displayName, description) {
      const existing = (await adapter.reader.findGroupsByName(displayName))[0];
      if (existing)
        throw new NotManagedError(`Entra group ${displayName}`, `iam2sso adopt entra-group "${displayName}"`);
      return (await adapter.writer.createSecurityGroup({ displayName, description })).id;
    },
    async deleteGroup(groupId) {
      try {
        await adapter.graph.delete(`/groups/${encodeURIComponent(groupId)}`, 'groups.create');
      } catch (error) {
        if ((error as { failure?: { status?: number } }).failure?.status !== 404) throw error;
      }
    },
    async addGroupMember(groupId, userId) {
      await adapter.writer.addMember(groupId, userId);
    },
    async removeGroupMember(groupId, userId) {
      await adapter.writer.removeMember(groupId, userId);
    },
    async assignGroupToApp(app, groupId) {
      await adapter.writer.assignToApp(app.servicePrincipalId, groupId, app.appRoleId);
    },
    async unassignGroupFromApp(app, groupId) {
      await adapter.writer.unassignFromApp(app.servicePrincipalId, groupId);
    },
  };
}

/**
 * The Entra port when the plan's identity source is `external`: apply reads nothing from Entra (no
 * credentials needed) and any write is a bug, since the diff is scoped to the AWS side first.
 */
export function absentEntraPort(): EntraPort {
  const refuse = async (): Promise<never> => {
    throw new Error('Entra is not written when the identity source is external');
  };
  return {
    listUsers: async () => [],
    listGroups: async () => [],
    listGroupMembers: async () => [],
    findIdentityCenterApp: async () => null,
    listAppAssignedGroups: async () => [],
    provisioningJobs: async () => [],
    createGroup: refuse,
    deleteGroup: refuse,
    addGroupMember: refuse,
    removeGroupMember: refuse,
    assignGroupToApp: refuse,
    unassignGroupFromApp: refuse,
  };
}
