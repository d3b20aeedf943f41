/**
 * What a permission set grants: AWS managed policies, customer managed policy references, the inline policy
 * and the permissions boundary. Changes bump the permission set's revision; ProvisionPermissionSet applies them.
 */

import { awsManagedPolicyByArn } from '@iam2sso/managed-policies';
import type { PermissionSet } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { requireInstance } from './instance.js';
import { pageOf } from './paging.js';
import { requirePermissionSet } from './permission-sets.js';
import { constraintError, invalid, maxResults, optionalString, requireString } from './validation.js';

/** AWS: at most 20 AWS managed and customer managed policies per permission set (hard limit). */
export const MAX_POLICIES_PER_PERMISSION_SET = 20;
/** AWS: the inline policy is at most 32,768 characters, of which at most 10,240 non-whitespace. */
export const MAX_INLINE_POLICY_CHARS = 32768;
export const MAX_INLINE_POLICY_NON_WHITESPACE = 10240;

const MANAGED_ARN =
  /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::aws:policy\/[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]+$/u;
const POLICY_NAME = /^[\w+=,.@-]+$/;
const POLICY_PATH = /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/;

function target(ctx: AwsContext, input: Record<string, unknown>): PermissionSet {
  return requirePermissionSet(requireInstance(ctx, input), input);
}

function policyCount(ps: PermissionSet): number {
  return ps.managedPolicies.length + ps.customerManagedPolicies.length;
}

function ensureRoomForOneMore(ps: PermissionSet): void {
  if (policyCount(ps) >= MAX_POLICIES_PER_PERMISSION_SET) {
    throw new AwsError(
      'ServiceQuotaExceededException',
      `The permission set already has ${MAX_POLICIES_PER_PERMISSION_SET} managed and customer managed policies, the most it can have.`,
    );
  }
}

function managedArn(input: Record<string, unknown>): string {
  const arn = requireString(input, 'ManagedPolicyArn', { min: 20, max: 2048, pattern: MANAGED_ARN });
  if (!awsManagedPolicyByArn(arn)) throw new AwsError('ResourceNotFoundException', `Policy ${arn} does not exist.`);
  return arn;
}

function customerRef(raw: unknown): { name: string; path: string } {
  if (!raw || typeof raw !== 'object') {
    throw constraintError('customerManagedPolicyReference', null, 'Member must not be null');
  }
  const ref = raw as Record<string, unknown>;
  return {
    name: requireString(ref, 'Name', { max: 128, pattern: POLICY_NAME }),
    path: optionalString(ref, 'Path', { max: 512, pattern: POLICY_PATH }) ?? '/',
  };
}

/** AttachManagedPolicyToPermissionSet. */
export function attachManagedPolicy(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const arn = managedArn(input);
  if (ps.managedPolicies.includes(arn)) {
    throw new AwsError('ConflictException', `Managed policy ${arn} is already attached to the permission set.`);
  }
  ensureRoomForOneMore(ps);
  ps.managedPolicies.push(arn);
  ps.revision++;
  return {};
}

/** DetachManagedPolicyFromPermissionSet. */
export function detachManagedPolicy(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const arn = requireString(input, 'ManagedPolicyArn', { min: 20, max: 2048, pattern: MANAGED_ARN });
  if (!ps.managedPolicies.includes(arn)) {
    throw new AwsError('ResourceNotFoundException', `Managed policy ${arn} is not attached to the permission set.`);
  }
  ps.managedPolicies = ps.managedPolicies.filter((a) => a !== arn);
  ps.revision++;
  return {};
}

/** ListManagedPoliciesInPermissionSet. */
export function listManagedPolicies(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const all = ps.managedPolicies.map((arn) => ({ Arn: arn, Name: arn.split('/').pop() }));
  const page = pageOf(all, input, maxResults(input) ?? 100, `managed-${ps.permissionSetArn}`);
  return { AttachedManagedPolicies: page.items, NextToken: page.nextToken };
}

/** AttachCustomerManagedPolicyReferenceToPermissionSet. */
export function attachCustomerManagedPolicy(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const ref = customerRef(input.CustomerManagedPolicyReference);
  if (ps.customerManagedPolicies.some((r) => r.name === ref.name && r.path === ref.path)) {
    throw new AwsError('ConflictException', `Customer managed policy ${ref.path}${ref.name} is already attached.`);
  }
  ensureRoomForOneMore(ps);
  ps.customerManagedPolicies.push(ref);
  ps.revision++;
  return {};
}

/** DetachCustomerManagedPolicyReferenceFromPermissionSet. */
export function detachCustomerManagedPolicy(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const ref = customerRef(input.CustomerManagedPolicyReference);
  const before = ps.customerManagedPolicies.length;
  ps.customerManagedPolicies = ps.customerManagedPolicies.filter((r) => !(r.name === ref.name && r.path === ref.path));
  if (ps.customerManagedPolicies.length === before) {
    throw new AwsError('ResourceNotFoundException', `Customer managed policy ${ref.path}${ref.name} is not attached.`);
  }
  ps.revision++;
  return {};
}

/** ListCustomerManagedPolicyReferencesInPermissionSet. */
export function listCustomerManagedPolicies(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const all = ps.customerManagedPolicies.map((r) => ({ Name: r.name, Path: r.path }));
  const page = pageOf(all, input, maxResults(input) ?? 100, `cmp-${ps.permissionSetArn}`);
  return { CustomerManagedPolicyReferences: page.items, NextToken: page.nextToken };
}

/** PutInlinePolicyToPermissionSet: size limits and JSON syntax checked. */
export function putInlinePolicy(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const policy = requireString(input, 'InlinePolicy');
  if (policy.length > MAX_INLINE_POLICY_CHARS) {
    throw invalid(`The inline policy has ${policy.length} characters; the maximum is ${MAX_INLINE_POLICY_CHARS}.`);
  }
  const nonWhitespace = policy.replace(/\s/g, '').length;
  if (nonWhitespace > MAX_INLINE_POLICY_NON_WHITESPACE) {
    throw invalid(
      `The inline policy has ${nonWhitespace} non-whitespace characters; the maximum is ${MAX_INLINE_POLICY_NON_WHITESPACE}.`,
    );
  }
  try {
    const doc = JSON.parse(policy) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
  } catch {
    throw invalid('The inline policy is not a valid JSON policy document.');
  }
  ps.inlinePolicy = policy;
  ps.revision++;
  return {};
}

/** GetInlinePolicyForPermissionSet (an empty string when there is none). */
export function getInlinePolicy(ctx: AwsContext, input: Record<string, unknown>) {
  return { InlinePolicy: target(ctx, input).inlinePolicy ?? '' };
}

/** DeleteInlinePolicyFromPermissionSet. */
export function deleteInlinePolicy(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  if (ps.inlinePolicy !== undefined) {
    ps.inlinePolicy = undefined;
    ps.revision++;
  }
  return {};
}

/** PutPermissionsBoundaryToPermissionSet: an AWS managed ARN or a customer managed reference. */
export function putPermissionsBoundary(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  const raw = input.PermissionsBoundary as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object') throw constraintError('permissionsBoundary', null, 'Member must not be null');
  const hasArn = raw.ManagedPolicyArn !== undefined && raw.ManagedPolicyArn !== null;
  const hasRef = raw.CustomerManagedPolicyReference !== undefined && raw.CustomerManagedPolicyReference !== null;
  if (hasArn === hasRef) {
    throw invalid('Specify exactly one of ManagedPolicyArn and CustomerManagedPolicyReference.');
  }
  ps.permissionsBoundary = hasArn
    ? { managedPolicyArn: managedArn(raw) }
    : { customerManagedPolicyReference: customerRef(raw.CustomerManagedPolicyReference) };
  ps.revision++;
  return {};
}

/** GetPermissionsBoundaryForPermissionSet. */
export function getPermissionsBoundary(ctx: AwsContext, input: Record<string, unknown>) {
  const b = target(ctx, input).permissionsBoundary;
  if (!b) throw new AwsError('ResourceNotFoundException', 'The permission set has no permissions boundary.');
  const ref = b.customerManagedPolicyReference;
  return {
    PermissionsBoundary: {
      ManagedPolicyArn: b.managedPolicyArn,
      CustomerManagedPolicyReference: ref ? { Name: ref.name, Path: ref.path } : undefined,
    },
  };
}

/** DeletePermissionsBoundaryFromPermissionSet. */
export function deletePermissionsBoundary(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = target(ctx, input);
  if (!ps.permissionsBoundary) {
    throw new AwsError('ResourceNotFoundException', 'The permission set has no permissions boundary.');
  }
  ps.permissionsBoundary = undefined;
  ps.revision++;
  return {};
}
