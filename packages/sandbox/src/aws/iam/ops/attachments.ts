/** Managed policy attachments and inline policies of users, groups and roles, with IAM's quotas. */
import { AwsError, noSuchEntity } from '../../errors.js';
import { checkPolicyDocument, checkPolicyName, policySize } from '../validate.js';
import { requireManagedPolicy } from './policies.js';
import { type IamScope, requireGroup, requireRole, requireUser } from './scope.js';

/** The three kinds of IAM identity that policies attach to. */
export type IdentityKind = 'user' | 'group' | 'role';

/** Aggregate inline policy size per identity, in non-white-space characters. */
export const INLINE_POLICY_SIZE: Record<IdentityKind, number> = { user: 2048, group: 5120, role: 10240 };
/** Managed policies attachable to a user or a group (roles read the account's quota). */
export const ATTACHED_POLICIES_QUOTA = 10;

type Identity = { name: string; attachedPolicies: string[]; inlinePolicies: Map<string, string> };

const QUOTA_NAME: Record<IdentityKind, string> = {
  user: 'PoliciesPerUser',
  group: 'PoliciesPerGroup',
  role: 'PoliciesPerRole',
};

/** The user, group or role with its policy fields, or NoSuchEntity. */
export function requireIdentity(scope: IamScope, kind: IdentityKind, name: string): Identity {
  const iam = scope.account.iam;
  if (kind === 'user') {
    const u = requireUser(iam, name);
    return { name: u.userName, attachedPolicies: u.attachedPolicies, inlinePolicies: u.inlinePolicies };
  }
  if (kind === 'group') {
    const g = requireGroup(iam, name);
    return { name: g.groupName, attachedPolicies: g.attachedPolicies, inlinePolicies: g.inlinePolicies };
  }
  const r = requireRole(iam, name);
  return { name: r.roleName, attachedPolicies: r.attachedPolicies, inlinePolicies: r.inlinePolicies };
}

/** Attaches a managed policy (a no-op when already attached); LimitExceeded over the quota. */
export function attachPolicy(scope: IamScope, kind: IdentityKind, name: string, policyArn: string): void {
  const identity = requireIdentity(scope, kind, name);
  const policy = requireManagedPolicy(scope, policyArn, 'attach');
  if (identity.attachedPolicies.includes(policy.arn)) return;
  const quota = kind === 'role' ? scope.account.iam.managedPoliciesPerRole : ATTACHED_POLICIES_QUOTA;
  if (identity.attachedPolicies.length >= quota)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for ${QUOTA_NAME[kind]}: ${quota}`, 409);
  identity.attachedPolicies.push(policy.arn);
}

/** Detaches a managed policy; NoSuchEntity when it is not attached. */
export function detachPolicy(scope: IamScope, kind: IdentityKind, name: string, policyArn: string): void {
  const identity = requireIdentity(scope, kind, name);
  const i = identity.attachedPolicies.indexOf(policyArn);
  if (i < 0) {
    requireManagedPolicy(scope, policyArn);
    throw noSuchEntity(`Policy ${policyArn} was not found.`);
  }
  identity.attachedPolicies.splice(i, 1);
}

/** Adds or replaces an inline policy; the aggregate of an identity's inline policies is size-limited. */
export function putInlinePolicy(
  scope: IamScope,
  kind: IdentityKind,
  name: string,
  policyName: string,
  document: string,
): void {
  const identity = requireIdentity(scope, kind, name);
  checkPolicyName(policyName);
  checkPolicyDocument(document);
  let total = policySize(document);
  for (const [n, doc] of identity.inlinePolicies) if (n !== policyName) total += policySize(doc);
  const limit = INLINE_POLICY_SIZE[kind];
  if (total > limit)
    throw new AwsError(
      'LimitExceeded',
      `Maximum policy size of ${limit} bytes exceeded for ${kind} ${identity.name}`,
      409,
    );
  identity.inlinePolicies.set(policyName, document);
}

/** An inline policy's document, or NoSuchEntity. */
export function getInlinePolicy(scope: IamScope, kind: IdentityKind, name: string, policyName: string): string {
  const identity = requireIdentity(scope, kind, name);
  const doc = identity.inlinePolicies.get(policyName);
  if (doc === undefined) throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
  return doc;
}

/** Deletes an inline policy, or NoSuchEntity. */
export function deleteInlinePolicy(scope: IamScope, kind: IdentityKind, name: string, policyName: string): void {
  const identity = requireIdentity(scope, kind, name);
  if (!identity.inlinePolicies.delete(policyName))
    throw noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);
}
