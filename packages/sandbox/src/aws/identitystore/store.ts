/**
 * Shared pieces of the Identity Store API: the store check, ids, reserved names and the error shapes
 * (ResourceNotFoundException with ResourceType/ResourceId, ConflictException with its Reason).
 */

import type { SsoState } from '../../world/sso-state.js';
import type { World } from '../../world/world.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { requireString } from '../sso-admin/validation.js';

const STORE_ID = /^d-[0-9a-f]{10}$|^[0-9a-f]{8}\b-[0-9a-f]{4}\b-[0-9a-f]{4}\b-[0-9a-f]{4}\b-[0-9a-f]{12}$/;
/** User, group and membership ids: an optional 10-hex prefix and a UUID. */
export const RESOURCE_ID =
  /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
/** Names AWS reserves: "Administrator and AWSAdministrators are reserved names and can't be used for users or groups." */
const RESERVED_NAMES = ['administrator', 'awsadministrators'];

export type ResourceType = 'USER' | 'GROUP' | 'GROUP_MEMBERSHIP' | 'IDENTITY_STORE';

/** ResourceNotFoundException naming what was not found. */
export function notFound(ctx: AwsContext, type: ResourceType, id?: string): AwsError {
  const what = { USER: 'User', GROUP: 'Group', GROUP_MEMBERSHIP: 'GroupMembership', IDENTITY_STORE: 'IdentityStore' }[
    type
  ];
  return new AwsError('ResourceNotFoundException', `${what} not found.`, 400, 'Sender', {
    ResourceType: type,
    ResourceId: id,
    RequestId: ctx.requestId,
  });
}

/** ConflictException with its Reason. */
export function conflict(
  ctx: AwsContext,
  reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' | 'CONCURRENT_MODIFICATION',
  message: string,
): AwsError {
  return new AwsError('ConflictException', message, 400, 'Sender', { Reason: reason, RequestId: ctx.requestId });
}

/** The identity store named by `IdentityStoreId`. */
export function requireStore(ctx: AwsContext, input: Record<string, unknown>): SsoState {
  const id = requireString(input, 'IdentityStoreId', { max: 36, pattern: STORE_ID });
  const sso = ctx.world.sso;
  if (!sso || sso.identityStoreId !== id || sso.ownerAccountId !== ctx.caller.accountId) {
    throw notFound(ctx, 'IDENTITY_STORE', id);
  }
  return sso;
}

/** A resource id in the Identity Store's shape. */
export function newResourceId(world: World): string {
  return `${world.rng.hex(10)}-${world.rng.uuid()}`;
}

/** True for the names AWS reserves for users and groups. */
export function isReservedName(name: string): boolean {
  return RESERVED_NAMES.includes(name.toLowerCase());
}

/** A validated resource id member (UserId, GroupId, MembershipId). */
export function requireResourceId(input: Record<string, unknown>, field: string): string {
  return requireString(input, field, { max: 47, pattern: RESOURCE_ID });
}

/** The `MemberId` union ({ UserId }). */
export function requireMemberId(input: Record<string, unknown>): string {
  const member = input.MemberId;
  if (!member || typeof member !== 'object') {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'memberId' failed to satisfy constraint: Member must not be null",
    );
  }
  return requireResourceId(member as Record<string, unknown>, 'UserId');
}
