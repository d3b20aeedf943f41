/** IAM Identity Center's SSO Admin API over AWS JSON 1.1 (target prefix `SWBExternalService`, signing name `sso`). */
import type { JsonService } from '../context.js';
import * as assignments from './assignments.js';
import { guardHandlers } from './guard.js';
import { createInstance, describeInstance, listInstances } from './instance.js';
import * as sets from './permission-sets.js';
import * as policies from './policies.js';
import * as provisioning from './provisioning.js';

export const ssoAdminService: JsonService = {
  service: 'sso',
  targetPrefix: 'SWBExternalService',
  eventSource: 'sso.amazonaws.com',
  handlers: guardHandlers({
    ListInstances: listInstances,
    DescribeInstance: describeInstance,
    CreateInstance: createInstance,
    CreatePermissionSet: sets.createPermissionSet,
    DescribePermissionSet: sets.describePermissionSet,
    UpdatePermissionSet: sets.updatePermissionSet,
    DeletePermissionSet: sets.deletePermissionSet,
    ListPermissionSets: sets.listPermissionSets,
    ListPermissionSetsProvisionedToAccount: sets.listPermissionSetsProvisionedToAccount,
    TagResource: sets.tagResource,
    UntagResource: sets.untagResource,
    ListTagsForResource: sets.listTagsForResource,
    AttachManagedPolicyToPermissionSet: policies.attachManagedPolicy,
    DetachManagedPolicyFromPermissionSet: policies.detachManagedPolicy,
    ListManagedPoliciesInPermissionSet: policies.listManagedPolicies,
    AttachCustomerManagedPolicyReferenceToPermissionSet: policies.attachCustomerManagedPolicy,
    DetachCustomerManagedPolicyReferenceFromPermissionSet: policies.detachCustomerManagedPolicy,
    ListCustomerManagedPolicyReferencesInPermissionSet: policies.listCustomerManagedPolicies,
    PutInlinePolicyToPermissionSet: policies.putInlinePolicy,
    GetInlinePolicyForPermissionSet: policies.getInlinePolicy,
    DeleteInlinePolicyFromPermissionSet: policies.deleteInlinePolicy,
    PutPermissionsBoundaryToPermissionSet: policies.putPermissionsBoundary,
    GetPermissionsBoundaryForPermissionSet: policies.getPermissionsBoundary,
    DeletePermissionsBoundaryFromPermissionSet: policies.deletePermissionsBoundary,
    CreateAccountAssignment: assignments.createAccountAssignment,
    DeleteAccountAssignment: assignments.deleteAccountAssignment,
    DescribeAccountAssignmentCreationStatus: assignments.describeCreationStatus,
    DescribeAccountAssignmentDeletionStatus: assignments.describeDeletionStatus,
    ListAccountAssignmentCreationStatus: assignments.listCreationStatus,
    ListAccountAssignmentDeletionStatus: assignments.listDeletionStatus,
    ListAccountAssignments: assignments.listAccountAssignments,
    ListAccountAssignmentsForPrincipal: assignments.listAccountAssignmentsForPrincipal,
    ListAccountsForProvisionedPermissionSet: assignments.listAccountsForProvisionedPermissionSet,
    ProvisionPermissionSet: provisioning.provisionPermissionSet,
    DescribePermissionSetProvisioningStatus: provisioning.describeProvisioningStatus,
    ListPermissionSetProvisioningStatus: provisioning.listProvisioningStatus,
  }),
};
