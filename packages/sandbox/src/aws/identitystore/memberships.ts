/**
 * Identity Store group memberships: create, delete, describe, list (per group and per member),
 * GetGroupMembershipId and IsMemberInGroups.
 */

import type { GroupMembership, SsoState } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { pageOf } from '../sso-admin/paging.js';
import { constraintError, maxResults } from '../sso-admin/validation.js';
import { conflict, newResourceId, notFound, requireMemberId, requireResourceId, requireStore } from './store.js';

type Rec = Record<string, unknown>;
/** AWS: a user can be in at most 1,000 groups. */
const MAX_GROUPS_PER_USER = 1000;

function view(sso: SsoState, m: GroupMembership) {
  return {
    IdentityStoreId: sso.identityStoreId,
    MembershipId: m.membershipId,
    GroupId: m.groupId,
    MemberId: { UserId: m.userId },
    CreatedAt: m.createdAt,
    CreatedBy: m.createdByArn,
  };
}

function findMembership(sso: SsoState, groupId: string, userId: string): GroupMembership | undefined {
  for (const m of sso.memberships.values()) if (m.groupId === groupId && m.userId === userId) return m;
  return undefined;
}

function requireMembership(ctx: AwsContext, sso: SsoState, input: Rec): GroupMembership {
  const id = requireResourceId(input, 'MembershipId');
  const m = sso.memberships.get(id);
  if (!m) throw notFound(ctx, 'GROUP_MEMBERSHIP', id);
  return m;
}

/** CreateGroupMembership. */
export function createGroupMembership(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const groupId = requireResourceId(input, 'GroupId');
  const userId = requireMemberId(input);
  if (!sso.groups.has(groupId)) throw notFound(ctx, 'GROUP', groupId);
  if (!sso.users.has(userId)) throw notFound(ctx, 'USER', userId);
  if (findMembership(sso, groupId, userId)) {
    throw conflict(ctx, 'UNIQUENESS_CONSTRAINT_VIOLATION', 'Member and Group relationship already exists');
  }
  let count = 0;
  for (const m of sso.memberships.values()) if (m.userId === userId) count++;
  if (count >= MAX_GROUPS_PER_USER) {
    throw new AwsError(
      'ServiceQuotaExceededException',
      `A user can be a member of at most ${MAX_GROUPS_PER_USER} groups.`,
    );
  }
  const m: GroupMembership = {
    membershipId: newResourceId(ctx.world),
    groupId,
    userId,
    createdAt: ctx.world.clock.now(),
    createdByArn: ctx.caller.arn,
  };
  sso.memberships.set(m.membershipId, m);
  return { MembershipId: m.membershipId, IdentityStoreId: sso.identityStoreId };
}

/** DeleteGroupMembership. */
export function deleteGroupMembership(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  sso.memberships.delete(requireMembership(ctx, sso, input).membershipId);
  return {};
}

/** DescribeGroupMembership. */
export function describeGroupMembership(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  return view(sso, requireMembership(ctx, sso, input));
}

/** ListGroupMemberships of one group. */
export function listGroupMemberships(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const groupId = requireResourceId(input, 'GroupId');
  if (!sso.groups.has(groupId)) throw notFound(ctx, 'GROUP', groupId);
  const size = maxResults(input) ?? 100;
  const all = [...sso.memberships.values()].filter((m) => m.groupId === groupId);
  const page = pageOf(all, input, size, `members-${groupId}`);
  return { GroupMemberships: page.items.map((m) => view(sso, m)), NextToken: page.nextToken };
}

/** ListGroupMembershipsForMember: the groups a user is in. */
export function listGroupMembershipsForMember(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const userId = requireMemberId(input);
  if (!sso.users.has(userId)) throw notFound(ctx, 'USER', userId);
  const size = maxResults(input) ?? 100;
  const all = [...sso.memberships.values()].filter((m) => m.userId === userId);
  const page = pageOf(all, input, size, `groups-of-${userId}`);
  return { GroupMemberships: page.items.map((m) => view(sso, m)), NextToken: page.nextToken };
}

/** GetGroupMembershipId. */
export function getGroupMembershipId(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const groupId = requireResourceId(input, 'GroupId');
  const userId = requireMemberId(input);
  const m = findMembership(sso, groupId, userId);
  if (!m) throw notFound(ctx, 'GROUP_MEMBERSHIP');
  return { MembershipId: m.membershipId, IdentityStoreId: sso.identityStoreId };
}

/** IsMemberInGroups for 1-100 group ids. */
export function isMemberInGroups(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const userId = requireMemberId(input);
  const ids = input.GroupIds;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw constraintError('groupIds', ids ?? null, 'Member must have length greater than or equal to 1');
  }
  if (ids.length > 100) throw constraintError('groupIds', ids, 'Member must have length less than or equal to 100');
  const groupIds = ids.map((id) => requireResourceId({ GroupId: id }, 'GroupId'));
  return {
    Results: groupIds.map((groupId) => ({
      GroupId: groupId,
      MemberId: { UserId: userId },
      MembershipExists: findMembership(sso, groupId, userId) !== undefined,
    })),
  };
}
