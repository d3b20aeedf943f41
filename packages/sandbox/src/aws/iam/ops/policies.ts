/** Managed policies: customer managed ones with versions, and a common view over AWS managed ones. */

import { awsManagedPolicyByArn, isAwsManagedPolicyArn } from '@iam2sso/managed-policies';
import { makeAwsId } from '../../../rng.js';
import { iamArn, type ManagedPolicy, type PolicyVersion, type Tag } from '../../../world/iam-state.js';
import { AwsError, noSuchEntity } from '../../errors.js';
import { checkPath, checkPolicyDocument, checkPolicyName, checkTags, policySize } from '../validate.js';
import type { IamScope } from './scope.js';

/** Managed policy size quota, in non-white-space characters. */
export const MANAGED_POLICY_SIZE = 6144;
/** Versions a customer managed policy may keep. */
export const MAX_POLICY_VERSIONS = 5;

/** A managed policy as the Get/List calls describe it, customer or AWS managed. */
export type PolicyView = {
  arn: string;
  policyName: string;
  policyId: string;
  path: string;
  description?: string;
  createDate: Date;
  updateDate: Date;
  defaultVersionId: string;
  awsManaged: boolean;
  /** Present for customer managed policies. */
  customer?: ManagedPolicy;
  /** The default version's document (JSON text). */
  document: string;
};

function defaultVersion(policy: ManagedPolicy): PolicyVersion {
  return policy.versions.find((v) => v.isDefault) ?? policy.versions[0];
}

/** The view of a customer managed policy. */
export function customerPolicyView(policy: ManagedPolicy): PolicyView {
  const def = defaultVersion(policy);
  return {
    arn: policy.arn,
    policyName: policy.policyName,
    policyId: policy.policyId,
    path: policy.path,
    description: policy.description || undefined,
    createDate: policy.createDate,
    updateDate: policy.updateDate,
    defaultVersionId: def.versionId,
    awsManaged: false,
    customer: policy,
    document: def.document,
  };
}

/** Looks a managed policy up by ARN in the account or the AWS catalog. */
export function findManagedPolicy(scope: IamScope, arn: string): PolicyView | undefined {
  if (isAwsManagedPolicyArn(arn)) {
    const aws = awsManagedPolicyByArn(arn);
    return aws ? { ...aws, awsManaged: true } : undefined;
  }
  const own = scope.account.iam.policies.get(arn);
  return own ? customerPolicyView(own) : undefined;
}

/** The policy, or NoSuchEntity worded as the calling context (Get, attach or boundary) words it. */
export function requireManagedPolicy(
  scope: IamScope,
  arn: string,
  use: 'get' | 'attach' | 'boundary' = 'get',
): PolicyView {
  const found = findManagedPolicy(scope, arn);
  if (found) return found;
  if (!/^arn:aws[\w-]*:iam::(\d{12}|aws):policy\//.test(arn))
    throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`, 400);
  if (use === 'attach') throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  if (use === 'boundary') throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  throw noSuchEntity(`Policy ${arn} was not found.`);
}

/** A customer managed policy of this account, or NoSuchEntity (AWS managed ones cannot be changed). */
export function requireCustomerPolicy(scope: IamScope, arn: string): ManagedPolicy {
  const own = scope.account.iam.policies.get(arn);
  if (own) return own;
  if (isAwsManagedPolicyArn(arn) && awsManagedPolicyByArn(arn))
    throw new AwsError('AccessDenied', `Cannot modify AWS managed policy ${arn}.`, 403);
  requireManagedPolicy(scope, arn);
  throw noSuchEntity(`Policy ${arn} was not found.`);
}

function checkManagedDocument(document: string): void {
  checkPolicyDocument(document);
  if (policySize(document) > MANAGED_POLICY_SIZE)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE}`, 409);
}

export type CreatePolicyInput = {
  policyName: string;
  path?: string;
  document: string;
  description?: string;
  tags?: Tag[];
  createDate?: Date;
};

/** Creates a customer managed policy with version v1 as default. */
export function createPolicy(scope: IamScope, input: CreatePolicyInput): ManagedPolicy {
  const iam = scope.account.iam;
  const policyName = checkPolicyName(input.policyName);
  const path = checkPath(input.path);
  checkManagedDocument(input.document);
  const tags = input.tags ?? [];
  checkTags(tags);
  if ((input.description ?? '').length > 1000)
    throw new AwsError('ValidationError', 'Description must be at most 1000 characters.');
  const lower = policyName.toLowerCase();
  for (const p of iam.policies.values())
    if (p.policyName.toLowerCase() === lower)
      throw new AwsError(
        'EntityAlreadyExists',
        `A policy called ${policyName} already exists. Duplicate names are not allowed.`,
        409,
      );
  const now = input.createDate ?? scope.world.clock.now();
  const policy: ManagedPolicy = {
    arn: iamArn(scope.account.id, 'policy', path, policyName),
    policyName,
    policyId: makeAwsId(scope.world.rng, 'ANPA'),
    path,
    description: input.description ?? '',
    createDate: now,
    updateDate: now,
    versions: [{ versionId: 'v1', document: input.document, createDate: now, isDefault: true }],
    tags: tags.map((t) => ({ ...t })),
    nextVersion: 2,
  };
  iam.policies.set(policy.arn, policy);
  return policy;
}

/** Adds a version (at most five are kept); optionally makes it the default. */
export function createPolicyVersion(
  scope: IamScope,
  arn: string,
  document: string,
  setAsDefault: boolean,
): PolicyVersion {
  const policy = requireCustomerPolicy(scope, arn);
  checkManagedDocument(document);
  if (policy.versions.length >= MAX_POLICY_VERSIONS)
    throw new AwsError(
      'LimitExceeded',
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      409,
    );
  const n = policy.nextVersion ?? Math.max(...policy.versions.map((v) => Number(v.versionId.slice(1)))) + 1;
  policy.nextVersion = n + 1;
  const now = scope.world.clock.now();
  const version: PolicyVersion = { versionId: `v${n}`, document, createDate: now, isDefault: false };
  policy.versions.push(version);
  if (setAsDefault) setDefaultPolicyVersion(scope, arn, version.versionId);
  return version;
}

/** A version of a customer policy, or NoSuchEntity. */
export function requirePolicyVersion(policy: ManagedPolicy, versionId: string): PolicyVersion {
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not deletable.`);
  return version;
}

/** Makes one version the default. */
export function setDefaultPolicyVersion(scope: IamScope, arn: string, versionId: string): void {
  const policy = requireCustomerPolicy(scope, arn);
  const version = requirePolicyVersion(policy, versionId);
  for (const v of policy.versions) v.isDefault = v === version;
  policy.updateDate = scope.world.clock.now();
}

/** Deletes a non-default version. */
export function deletePolicyVersion(scope: IamScope, arn: string, versionId: string): void {
  const policy = requireCustomerPolicy(scope, arn);
  const version = requirePolicyVersion(policy, versionId);
  if (version.isDefault) throw new AwsError('DeleteConflict', 'Cannot delete the default version of the policy.', 409);
  policy.versions = policy.versions.filter((v) => v !== version);
}

/** Users, groups and roles of the account that have the policy attached. */
export function policyAttachments(
  scope: IamScope,
  arn: string,
): { users: string[]; groups: string[]; roles: string[] } {
  const iam = scope.account.iam;
  const users = [...iam.users.values()].filter((u) => u.attachedPolicies.includes(arn)).map((u) => u.userName);
  const groups = [...iam.groups.values()].filter((g) => g.attachedPolicies.includes(arn)).map((g) => g.groupName);
  const roles = [...iam.roles.values()].filter((r) => r.attachedPolicies.includes(arn)).map((r) => r.roleName);
  return { users, groups, roles };
}

/** Number of entities in the account the policy is attached to. */
export function attachmentCount(scope: IamScope, arn: string): number {
  const a = policyAttachments(scope, arn);
  return a.users.length + a.groups.length + a.roles.length;
}

/** Number of users and roles that use the policy as their permissions boundary. */
export function boundaryUsageCount(scope: IamScope, arn: string): number {
  const iam = scope.account.iam;
  let n = 0;
  for (const u of iam.users.values()) if (u.permissionsBoundary === arn) n++;
  for (const r of iam.roles.values()) if (r.permissionsBoundary === arn) n++;
  return n;
}

/** Deletes a customer policy once it is detached everywhere and only its default version is left. */
export function deletePolicy(scope: IamScope, arn: string): void {
  const policy = requireCustomerPolicy(scope, arn);
  if (attachmentCount(scope, arn) > 0 || boundaryUsageCount(scope, arn) > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
  if (policy.versions.length > 1)
    throw new AwsError(
      'DeleteConflict',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      409,
    );
  scope.account.iam.policies.delete(arn);
}
