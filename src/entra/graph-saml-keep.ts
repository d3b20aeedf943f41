/**
 * The Graph calls of direct SAML federation for an account outside Identity Center, beyond those `entra setup` makes
 * on an enterprise app: the app roles on the service principal (the whole `appRoles` list is PATCHed, existing roles
 * included; a role is disabled before it is removed: learn.microsoft.com/entra/identity-platform/
 * enterprise-app-role-management), its group assignments (learn.microsoft.com/graph/api/
 * serviceprincipal-post-approleassignedto, serviceprincipal-delete-approleassignedto) and a group's id by name.
 */
import { randomUUID } from 'node:crypto';
import { odataString } from './directory-reader.js';
import type { GraphApi } from './graph-client.js';
import { GraphCallError } from './graph-errors.js';

/** An app role as Graph holds it on the service principal. */
export type GraphAppRole = {
  id: string;
  displayName: string;
  description: string;
  value: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  origin?: string;
};

/** A group's (or user's) assignment to one app role. */
export type AppRoleAssignment = {
  id: string;
  principalId: string;
  principalType: string;
  principalDisplayName: string;
  appRoleId: string;
};

const sp = (id: string) => `/servicePrincipals/${encodeURIComponent(id)}`;

/** The service principal's app roles, whole. */
export async function readAppRoles(graph: GraphApi, servicePrincipalId: string): Promise<GraphAppRole[]> {
  const out = await graph.get<{ appRoles?: GraphAppRole[] }>(`${sp(servicePrincipalId)}?$select=appRoles`, 'apps.read');
  return out.appRoles ?? [];
}

/** Adds an app role with this value (a no-op when one has it already); returns its id. */
export async function addAppRole(
  graph: GraphApi,
  servicePrincipalId: string,
  role: { displayName: string; value: string },
): Promise<string> {
  const roles = await readAppRoles(graph, servicePrincipalId);
  const there = roles.find((r) => r.value === role.value);
  if (there) return there.id;
  const id = randomUUID();
  const added: GraphAppRole = {
    id,
    displayName: role.displayName,
    description: role.displayName,
    value: role.value,
    allowedMemberTypes: ['User'],
    isEnabled: true,
  };
  await graph.patch(sp(servicePrincipalId), 'apps.write', { appRoles: [...roles, added] });
  return id;
}

/** Removes the app role with this value: disabled first, then taken out of the list (gone already is success). */
export async function removeAppRole(graph: GraphApi, servicePrincipalId: string, value: string): Promise<void> {
  const roles = await readAppRoles(graph, servicePrincipalId);
  const role = roles.find((r) => r.value === value);
  if (!role) return;
  if (role.isEnabled) {
    const disabled = roles.map((r) => (r.id === role.id ? { ...r, isEnabled: false } : r));
    await graph.patch(sp(servicePrincipalId), 'apps.write', { appRoles: disabled });
  }
  await graph.patch(sp(servicePrincipalId), 'apps.write', {
    appRoles: roles.filter((r) => r.id !== role.id).map((r) => r),
  });
}

/** Who is assigned which app role. */
export async function listRoleAssignments(graph: GraphApi, servicePrincipalId: string): Promise<AppRoleAssignment[]> {
  const { items } = await graph.pages<AppRoleAssignment>(
    `${sp(servicePrincipalId)}/appRoleAssignedTo?$select=id,principalId,principalType,principalDisplayName,appRoleId`,
    'apps.read',
  );
  return items;
}

/** Assigns the app role to the group; 'already' when the group holds it. */
export async function assignRole(
  graph: GraphApi,
  servicePrincipalId: string,
  groupId: string,
  appRoleId: string,
): Promise<'done' | 'already'> {
  const held = await listRoleAssignments(graph, servicePrincipalId);
  if (held.some((a) => a.principalId === groupId && a.appRoleId === appRoleId)) return 'already';
  await graph.post(`${sp(servicePrincipalId)}/appRoleAssignedTo`, 'apps.assign', {
    principalId: groupId,
    resourceId: servicePrincipalId,
    appRoleId,
  });
  return 'done';
}

/** Removes the group's assignment to the app role (none is success). */
export async function unassignRole(
  graph: GraphApi,
  servicePrincipalId: string,
  groupId: string,
  appRoleId: string,
): Promise<void> {
  const held = await listRoleAssignments(graph, servicePrincipalId);
  for (const a of held.filter((x) => x.principalId === groupId && x.appRoleId === appRoleId)) {
    try {
      await graph.delete(`${sp(servicePrincipalId)}/appRoleAssignedTo/${encodeURIComponent(a.id)}`, 'apps.assign');
    } catch (error) {
      if (!(error instanceof GraphCallError && error.failure.status === 404)) throw error;
    }
  }
}

/** The id of the one group with this display name, or null (none, or more than one: which is meant is unclear). */
export async function groupIdByName(graph: GraphApi, displayName: string): Promise<string | null> {
  const filter = encodeURIComponent(`displayName eq ${odataString(displayName)}`);
  const { items } = await graph.pages<{ id: string }>(
    `/groups?$filter=${filter}&$select=id,displayName`,
    'groups.read',
  );
  return items.length === 1 ? items[0].id : null;
}
