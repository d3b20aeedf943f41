/** IAM's response structures (User, Group, Role, Policy, ...) built from sandbox state, as XML values. */
import type { IamGroup, IamRole, IamUser, PolicyVersion, Tag } from '../../world/iam-state.js';
import { iamArn } from '../../world/iam-state.js';
import type { XmlValue } from '../context.js';
import type { PolicyView } from './ops/policies.js';
import { attachmentCount, boundaryUsageCount, type IamScope } from './ops.js';

/** Policy documents travel URL-encoded in IAM's responses. */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document);
}

/** `Tags` as IAM lists them (undefined when empty, as IAM leaves the element out). */
export function tagsXml(tags: Tag[]): XmlValue {
  return tags.length ? tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined;
}

function boundaryXml(arn: string | undefined): XmlValue {
  return arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;
}

/** The `User` structure; `full` adds what GetUser returns beyond ListUsers (boundary, tags). */
export function userXml(scope: IamScope, user: IamUser, full = false): XmlValue {
  return {
    Path: user.path,
    UserName: user.userName,
    UserId: user.userId,
    Arn: iamArn(scope.account.id, 'user', user.path, user.userName),
    CreateDate: user.createDate,
    PasswordLastUsed: user.passwordLastUsed,
    PermissionsBoundary: full ? boundaryXml(user.permissionsBoundary) : undefined,
    Tags: full ? tagsXml(user.tags) : undefined,
  };
}

/** The `Group` structure. */
export function groupXml(scope: IamScope, group: IamGroup): XmlValue {
  return {
    Path: group.path,
    GroupName: group.groupName,
    GroupId: group.groupId,
    Arn: iamArn(scope.account.id, 'group', group.path, group.groupName),
    CreateDate: group.createDate,
  };
}

/** The `Role` structure; `create` adds boundary and tags, `get` adds last use too (ListRoles has neither). */
export function roleXml(scope: IamScope, role: IamRole, mode: 'list' | 'create' | 'get' = 'list'): XmlValue {
  const full = mode !== 'list';
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: iamArn(scope.account.id, 'role', role.path, role.roleName),
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description || undefined,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: full ? boundaryXml(role.permissionsBoundary) : undefined,
    Tags: full ? tagsXml(role.tags) : undefined,
    RoleLastUsed:
      mode === 'get'
        ? role.roleLastUsed
          ? { LastUsedDate: role.roleLastUsed.date, Region: role.roleLastUsed.region }
          : {}
        : undefined,
  };
}

/** The `Policy` structure of Get/List/CreatePolicy. */
export function policyXml(scope: IamScope, policy: PolicyView, withDescription: boolean): XmlValue {
  return {
    PolicyName: policy.policyName,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: attachmentCount(scope, policy.arn),
    PermissionsBoundaryUsageCount: boundaryUsageCount(scope, policy.arn),
    IsAttachable: true,
    Description: withDescription ? policy.description : undefined,
    CreateDate: policy.createDate,
    UpdateDate: policy.updateDate,
    Tags: withDescription && policy.customer ? tagsXml(policy.customer.tags) : undefined,
  };
}

/** A `PolicyVersion`; the document only where the call returns it. */
export function policyVersionXml(version: PolicyVersion, withDocument: boolean): XmlValue {
  return {
    Document: withDocument ? encodeDocument(version.document) : undefined,
    VersionId: version.versionId,
    IsDefaultVersion: version.isDefault,
    CreateDate: version.createDate,
  };
}

/** All versions of a policy (AWS managed ones expose only their default version here). */
export function policyVersions(policy: PolicyView): PolicyVersion[] {
  if (policy.customer) return policy.customer.versions;
  return [
    { versionId: policy.defaultVersionId, document: policy.document, createDate: policy.updateDate, isDefault: true },
  ];
}

/** `AttachedPolicies` entries for a list of managed policy ARNs. */
export function attachedPoliciesXml(arns: string[]): XmlValue[] {
  return arns.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn }));
}
