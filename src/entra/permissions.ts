/**
 * Which Microsoft Graph application permission each call the product makes needs. Graph answers a missing
 * permission with 403 `Authorization_RequestDenied` and does not say which one; this table does, so the
 * error can name the exact permission to grant.
 */

/** The Graph calls the product makes, by what they do. */
export type GraphOperation =
  | 'users.read'
  | 'groups.read'
  | 'groups.create'
  | 'groups.members.write'
  | 'apps.read'
  | 'apps.instantiate'
  | 'apps.write'
  | 'apps.assign'
  | 'sync.read'
  | 'sync.write';

/** The least-privileged application permission for each operation (Microsoft Graph v1.0 reference). */
export const REQUIRED_PERMISSION: Record<GraphOperation, string> = {
  'users.read': 'User.Read.All',
  'groups.read': 'GroupMember.Read.All',
  'groups.create': 'Group.ReadWrite.All',
  'groups.members.write': 'GroupMember.ReadWrite.All',
  'apps.read': 'Application.Read.All',
  'apps.instantiate': 'Application.ReadWrite.All',
  'apps.write': 'Application.ReadWrite.All',
  'apps.assign': 'AppRoleAssignment.ReadWrite.All',
  'sync.read': 'Synchronization.Read.All',
  'sync.write': 'Synchronization.ReadWrite.All',
};

/** What the operation does, for messages ("could not create the enterprise app"). */
const DESCRIPTION: Record<GraphOperation, string> = {
  'users.read': 'read users',
  'groups.read': 'read groups and their members',
  'groups.create': 'create security groups',
  'groups.members.write': 'change group members',
  'apps.read': 'read enterprise apps',
  'apps.instantiate': 'create the enterprise app from the gallery',
  'apps.write': 'configure the enterprise app',
  'apps.assign': 'assign users and groups to the enterprise app',
  'sync.read': 'read provisioning jobs',
  'sync.write': 'configure provisioning',
};

/** The hint shown when Graph refused an operation for lack of a permission. */
export function missingPermissionHint(operation: GraphOperation, clientId: string | null): string {
  const app = clientId ? `app ${clientId}` : 'the app iam2sso signs in as';
  return (
    `grant the Microsoft Graph application permission ${REQUIRED_PERMISSION[operation]} to ${app} and give admin consent ` +
    `(Entra admin center > App registrations > API permissions), then run the command again; it is needed to ${DESCRIPTION[operation]}`
  );
}
