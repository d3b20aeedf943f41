/** Permission sets: create, describe, update, delete, list, and their tags. */

import type { PermissionSet, SsoState } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { requireInstance } from './instance.js';
import { hasOperationInProgress } from './operations.js';
import { pageOf } from './paging.js';
import { durationSeconds } from './provision-role.js';
import { constraintError, invalid, maxResults, optionalString, requireEnum, requireString } from './validation.js';

export const PERMISSION_SET_ARN =
  /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;
const NAME = /^[\w+=,.@-]+$/;
const DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const ACCOUNT_ID = /^\d{12}$/;
/** AWS: 3,500 permission sets per instance (default quota). */
const MAX_PERMISSION_SETS = 3500;
const MAX_TAGS = 50;

/** The permission set named by `PermissionSetArn` in this instance; ResourceNotFoundException otherwise. */
export function requirePermissionSet(sso: SsoState, input: Record<string, unknown>): PermissionSet {
  const arn = requireString(input, 'PermissionSetArn', { min: 10, max: 1224, pattern: PERMISSION_SET_ARN });
  const ps = sso.permissionSets.get(arn);
  if (!ps) throw new AwsError('ResourceNotFoundException', `Could not find PermissionSet with arn ${arn}.`);
  return ps;
}

/** A 12-digit `AccountId` / `TargetId`. */
export function requireAccountId(input: Record<string, unknown>, field = 'AccountId'): string {
  return requireString(input, field, { min: 12, max: 12, pattern: ACCOUNT_ID });
}

/** Checks an ISO-8601 session duration is between PT1H and PT12H. */
function sessionDuration(input: Record<string, unknown>): string | undefined {
  const value = optionalString(input, 'SessionDuration', { max: 100 });
  if (value === undefined) return undefined;
  const seconds = durationSeconds(value);
  if (Number.isNaN(seconds)) {
    throw constraintError('sessionDuration', value, 'Member must be an ISO-8601 duration such as PT1H');
  }
  if (seconds < 3600 || seconds > 12 * 3600) {
    throw invalid(`Session duration ${value} is not valid: it must be between 1 and 12 hours (PT1H to PT12H).`);
  }
  return value;
}

function tagsOf(input: Record<string, unknown>): { key: string; value: string }[] {
  const raw = input.Tags;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new AwsError('SerializationException', 'Tags must be a list');
  if (raw.length > MAX_TAGS)
    throw constraintError('tags', raw, `Member must have length less than or equal to ${MAX_TAGS}`);
  return raw.map((t: Record<string, unknown>) => ({
    key: requireString(t, 'Key', { max: 128 }),
    value: requireString(t, 'Value', { min: 0, max: 256 }),
  }));
}

function view(ps: PermissionSet) {
  return {
    Name: ps.name,
    PermissionSetArn: ps.permissionSetArn,
    Description: ps.description,
    CreatedDate: ps.createdDate,
    SessionDuration: ps.sessionDuration,
    RelayState: ps.relayState,
  };
}

/** CreatePermissionSet. */
export function createPermissionSet(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const name = requireString(input, 'Name', { max: 32, pattern: NAME });
  const description = optionalString(input, 'Description', { max: 700, pattern: DESCRIPTION });
  const duration = sessionDuration(input) ?? 'PT1H';
  const relayState = optionalString(input, 'RelayState', { max: 240 });
  const tags = tagsOf(input);
  for (const ps of sso.permissionSets.values()) {
    if (ps.name === name) throw new AwsError('ConflictException', `PermissionSet with name ${name} already exists.`);
  }
  if (sso.permissionSets.size >= MAX_PERMISSION_SETS) {
    throw new AwsError('ServiceQuotaExceededException', 'The number of permission sets exceeds the quota.');
  }
  const instanceId = sso.instanceArn.split('/').pop();
  const ps: PermissionSet = {
    permissionSetArn: `arn:aws:sso:::permissionSet/${instanceId}/ps-${ctx.world.rng.hex(16)}`,
    name,
    description,
    sessionDuration: duration,
    relayState,
    createdDate: ctx.world.clock.now(),
    managedPolicies: [],
    customerManagedPolicies: [],
    tags,
    revision: 1,
    provisionedRevision: new Map(),
  };
  sso.permissionSets.set(ps.permissionSetArn, ps);
  return { PermissionSet: view(ps) };
}

/** DescribePermissionSet. */
export function describePermissionSet(ctx: AwsContext, input: Record<string, unknown>) {
  return { PermissionSet: view(requirePermissionSet(requireInstance(ctx, input), input)) };
}

/** UpdatePermissionSet: description, session duration, relay state (provision again to apply). */
export function updatePermissionSet(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = requirePermissionSet(requireInstance(ctx, input), input);
  const description = optionalString(input, 'Description', { max: 700, pattern: DESCRIPTION });
  const duration = sessionDuration(input);
  const relayState = optionalString(input, 'RelayState', { max: 240 });
  if (description !== undefined) ps.description = description;
  if (duration !== undefined) ps.sessionDuration = duration;
  if (relayState !== undefined) ps.relayState = relayState;
  ps.revision++;
  return {};
}

/** DeletePermissionSet: refused while it is assigned, provisioned or being worked on. */
export function deletePermissionSet(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const ps = requirePermissionSet(sso, input);
  if (hasOperationInProgress(sso, ps.permissionSetArn)) {
    throw new AwsError('ConflictException', 'An operation on this permission set is in progress. Try again later.');
  }
  if (ps.provisionedRevision.size > 0 || sso.assignments.some((a) => a.permissionSetArn === ps.permissionSetArn)) {
    throw new AwsError(
      'ConflictException',
      'The permission set is provisioned to one or more accounts. Remove its account assignments first.',
    );
  }
  sso.permissionSets.delete(ps.permissionSetArn);
  return {};
}

/** ListPermissionSets. */
export function listPermissionSets(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const page = pageOf([...sso.permissionSets.keys()], input, maxResults(input) ?? 100, 'permission-sets');
  return { PermissionSets: page.items, NextToken: page.nextToken };
}

const PROVISIONING_STATUS = ['LATEST_PERMISSION_SET_PROVISIONED', 'LATEST_PERMISSION_SET_NOT_PROVISIONED'] as const;

/** Whether a permission set's provisioned state in an account matches the optional ProvisioningStatus filter. */
export function matchesProvisioningStatus(
  ps: PermissionSet,
  accountId: string,
  input: Record<string, unknown>,
): boolean {
  if (!ps.provisionedRevision.has(accountId)) return false;
  if (input.ProvisioningStatus === undefined || input.ProvisioningStatus === null) return true;
  const wanted = requireEnum(input, 'ProvisioningStatus', PROVISIONING_STATUS);
  const latest = ps.provisionedRevision.get(accountId) === ps.revision;
  return wanted === 'LATEST_PERMISSION_SET_PROVISIONED' ? latest : !latest;
}

/** ListPermissionSetsProvisionedToAccount. */
export function listPermissionSetsProvisionedToAccount(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const accountId = requireAccountId(input);
  const arns = [...sso.permissionSets.values()]
    .filter((ps) => matchesProvisioningStatus(ps, accountId, input))
    .map((ps) => ps.permissionSetArn);
  const page = pageOf(arns, input, maxResults(input) ?? 100, `provisioned-to-${accountId}`);
  return { PermissionSets: page.items, NextToken: page.nextToken };
}

function taggedResource(ctx: AwsContext, input: Record<string, unknown>): PermissionSet {
  const sso = requireInstance(ctx, input);
  const arn = requireString(input, 'ResourceArn', { min: 10, max: 2048 });
  return requirePermissionSet(sso, { PermissionSetArn: arn });
}

/** TagResource (permission sets). */
export function tagResource(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = taggedResource(ctx, input);
  const tags = tagsOf(input);
  if (tags.length === 0) throw constraintError('tags', [], 'Member must have length greater than or equal to 1');
  const merged = new Map(ps.tags.map((t) => [t.key, t.value]));
  for (const t of tags) merged.set(t.key, t.value);
  if (merged.size > MAX_TAGS) throw new AwsError('ServiceQuotaExceededException', 'Too many tags on the resource.');
  ps.tags = [...merged].map(([key, value]) => ({ key, value }));
  return {};
}

/** UntagResource. */
export function untagResource(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = taggedResource(ctx, input);
  const keys = input.TagKeys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw constraintError('tagKeys', keys ?? null, 'Member must not be null');
  ps.tags = ps.tags.filter((t) => !keys.includes(t.key));
  return {};
}

/** ListTagsForResource. */
export function listTagsForResource(ctx: AwsContext, input: Record<string, unknown>) {
  const ps = taggedResource(ctx, input);
  const page = pageOf(ps.tags, input, 50, `tags-${ps.permissionSetArn}`);
  return { Tags: page.items.map((t) => ({ Key: t.key, Value: t.value })), NextToken: page.nextToken };
}
