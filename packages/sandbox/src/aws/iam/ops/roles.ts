/** IAM roles: trust policy, session duration, permissions boundary, guarded delete. */
import { makeAwsId } from '../../../rng.js';
import { type IamRole, iamArn, type Tag } from '../../../world/iam-state.js';
import { AwsError } from '../../errors.js';
import { checkPath, checkPolicyDocument, checkRoleName, checkTags, policySize } from '../validate.js';
import { instanceProfilesForRole } from './instance-profiles.js';
import { requireManagedPolicy } from './policies.js';
import { type IamScope, nameTaken, requireRole } from './scope.js';

/** Trust policy size quota (AssumeRolePolicySizeQuota), in non-white-space characters. */
export const TRUST_POLICY_SIZE = 2048;
/** Path of the roles that Identity Center provisions, which only AWS may change. */
export const SSO_RESERVED_PATH = '/aws-reserved/sso.amazonaws.com/';

export type CreateRoleInput = {
  roleName: string;
  path?: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundary?: string;
  tags?: Tag[];
  createDate?: Date;
};

function checkTrustPolicy(document: string): void {
  checkPolicyDocument(document, 'trust');
  if (policySize(document) > TRUST_POLICY_SIZE)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_SIZE}`, 409);
}

function checkSessionDuration(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 43200)
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200`,
    );
  return seconds;
}

/** Creates a role with its trust policy; EntityAlreadyExists when the name is taken. */
export function createRole(scope: IamScope, input: CreateRoleInput): IamRole {
  const iam = scope.account.iam;
  const roleName = checkRoleName(input.roleName);
  const path = checkPath(input.path);
  checkTrustPolicy(input.assumeRolePolicyDocument);
  const tags = input.tags ?? [];
  checkTags(tags);
  if ((input.description ?? '').length > 1000)
    throw new AwsError('ValidationError', 'Description must be at most 1000 characters.');
  if (nameTaken(iam.roles, roleName))
    throw new AwsError('EntityAlreadyExists', `Role with name ${roleName} already exists.`, 409);
  if (input.permissionsBoundary) requireManagedPolicy(scope, input.permissionsBoundary, 'boundary');
  const role: IamRole = {
    roleName,
    roleId: makeAwsId(scope.world.rng, 'AROA'),
    path,
    createDate: input.createDate ?? scope.world.clock.now(),
    assumeRolePolicyDocument: input.assumeRolePolicyDocument,
    description: input.description ?? '',
    maxSessionDuration: checkSessionDuration(input.maxSessionDuration ?? 3600),
    attachedPolicies: [],
    inlinePolicies: new Map(),
    permissionsBoundary: input.permissionsBoundary,
    tags: tags.map((t) => ({ ...t })),
  };
  iam.roles.set(roleName, role);
  return role;
}

/** The role's ARN. */
export function roleArn(scope: IamScope, role: IamRole): string {
  return iamArn(scope.account.id, 'role', role.path, role.roleName);
}

/** Changes description and/or maximum session duration. */
export function updateRole(
  scope: IamScope,
  roleName: string,
  change: { description?: string; maxSessionDuration?: number },
): void {
  const role = requireRole(scope.account.iam, roleName);
  if (change.description !== undefined) role.description = change.description;
  if (change.maxSessionDuration !== undefined)
    role.maxSessionDuration = checkSessionDuration(change.maxSessionDuration);
}

/** Replaces the trust policy. */
export function updateAssumeRolePolicy(scope: IamScope, roleName: string, document: string): void {
  const role = requireRole(scope.account.iam, roleName);
  checkTrustPolicy(document);
  role.assumeRolePolicyDocument = document;
}

/** Sets a role's permissions boundary. */
export function putRolePermissionsBoundary(scope: IamScope, roleName: string, policyArn: string): void {
  const role = requireRole(scope.account.iam, roleName);
  requireManagedPolicy(scope, policyArn, 'boundary');
  role.permissionsBoundary = policyArn;
}

/** Deletes a role once no managed or inline policies remain. */
export function deleteRole(scope: IamScope, roleName: string): void {
  const iam = scope.account.iam;
  const role = requireRole(iam, roleName);
  if (role.attachedPolicies.length > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
  if (role.inlinePolicies.size > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
  if (instanceProfilesForRole(iam, role.roleName).length > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
  iam.roles.delete(role.roleName);
}

/** UnmodifiableEntity for roles only AWS may change (Identity Center's reserved roles). */
export function guardModifiableRole(role: IamRole): void {
  if (role.path.startsWith('/aws-reserved/') || role.path.startsWith('/aws-service-role/'))
    throw new AwsError(
      'UnmodifiableEntity',
      `Cannot perform the operation on the protected role '${role.roleName}' - this role is only modifiable by AWS`,
      400,
    );
}
