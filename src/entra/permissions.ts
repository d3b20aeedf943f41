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
  | 'sync.write'
  | 'ca.read'
  | 'ca.write'
  | 'pim.read'
  | 'pim.write'
  | 'pim.activations.read'
  | 'pim.policy.read'
  | 'pim.policy.write';

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
  // Create conditionalAccessPolicy: Policy.Read.All and Policy.ReadWrite.ConditionalAccess (application).
  'ca.read': 'Policy.Read.All',
  'ca.write': 'Policy.ReadWrite.ConditionalAccess',
  // PIM for Groups: privilegedAccessGroup eligibility and assignment schedule requests (application).
  'pim.read': 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'pim.write': 'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'pim.activations.read': 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  // unifiedRoleManagementPolicyRule update, PIM for Groups (application).
  'pim.policy.read': 'RoleManagementPolicy.Read.AzureADGroup',
  'pim.policy.write': 'RoleManagementPolicy.ReadWrite.AzureADGroup',
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
  'ca.read': 'read Conditional Access policies',
  'ca.write': 'create and switch the Conditional Access policy',
  'pim.read': 'read PIM for Groups eligibilities',
  'pim.write': 'make group members eligible through PIM for Groups',
  'pim.activations.read': 'read PIM for Groups activations',
  'pim.policy.read': 'read the activation rules of privileged groups',
  'pim.policy.write': 'set the activation rules (maximum duration, justification) of privileged groups',
};

/** The hint shown when Graph refused an operation for lack of a permission. */
export function missingPermissionHint(operation: GraphOperation, clientId: string | null): string {
  const app = clientId ? `app ${clientId}` : 'the app iam2sso signs in as';
  return (
    `grant the Microsoft Graph application permission ${REQUIRED_PERMISSION[operation]} to ${app} and give admin consent ` +
    `(Entra admin center > App registrations > API permissions), then run the command again; it is needed to ${DESCRIPTION[operation]}`
  );
}
