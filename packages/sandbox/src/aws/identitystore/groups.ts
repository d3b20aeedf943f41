/** Identity Store groups: CreateGroup, DescribeGroup, UpdateGroup, DeleteGroup, ListGroups, GetGroupId. */

import type { IdentityStoreGroup, SsoState } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { removePrincipalAssignments } from '../sso-admin/operations.js';
import { pageOf } from '../sso-admin/paging.js';
import { constraintError, invalid, maxResults, optionalString } from '../sso-admin/validation.js';
import { alternateIdentifier, listFilter } from './lookup.js';
import { conflict, isReservedName, newResourceId, notFound, requireResourceId, requireStore } from './store.js';

type Rec = Record<string, unknown>;
const TEXT = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r  　]+$/u;

function displayNameOf(value: unknown): string {
  const name = optionalString({ DisplayName: value }, 'DisplayName', { max: 1024, pattern: TEXT });
  if (name === undefined) throw constraintError('displayName', null, 'Member must not be null');
  if (isReservedName(name)) throw invalid(`${name} is a reserved name and can't be used for users or groups.`);
  return name;
}

function nameTaken(sso: SsoState, name: string, exceptId?: string): boolean {
  const wanted = name.toLowerCase();
  for (const g of sso.groups.values())
    if (g.groupId !== exceptId && g.displayName.toLowerCase() === wanted) return true;
  return false;
}

function requireGroup(ctx: AwsContext, sso: SsoState, input: Rec): IdentityStoreGroup {
  const id = requireResourceId(input, 'GroupId');
  const group = sso.groups.get(id);
  if (!group) throw notFound(ctx, 'GROUP', id);
  return group;
}

/** A group in the API's shape. */
export function groupView(g: IdentityStoreGroup) {
  return {
    GroupId: g.groupId,
    DisplayName: g.displayName,
    ExternalIds: g.externalIds.length ? g.externalIds.map((e) => ({ Issuer: e.issuer, Id: e.id })) : undefined,
    Description: g.description,
    CreatedAt: g.createdAt,
    UpdatedAt: g.updatedAt,
    CreatedBy: g.createdByArn,
    UpdatedBy: g.updatedByArn,
    IdentityStoreId: g.identityStoreId,
  };
}

/** CreateGroup. */
export function createGroup(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const displayName = displayNameOf(input.DisplayName);
  const description = optionalString(input, 'Description', { max: 1024, pattern: TEXT });
  if (nameTaken(sso, displayName)) throw conflict(ctx, 'UNIQUENESS_CONSTRAINT_VIOLATION', 'Duplicate GroupDisplayName');
  const now = ctx.world.clock.now();
  const group: IdentityStoreGroup = {
    groupId: newResourceId(ctx.world),
    identityStoreId: sso.identityStoreId,
    displayName,
    description,
    externalIds: [],
    createdBy: 'identitystore',
    createdAt: now,
    updatedAt: now,
    createdByArn: ctx.caller.arn,
    updatedByArn: ctx.caller.arn,
  };
  sso.groups.set(group.groupId, group);
  return { GroupId: group.groupId, IdentityStoreId: sso.identityStoreId };
}

/** DescribeGroup. */
export function describeGroup(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  return groupView(requireGroup(ctx, sso, input));
}

/** UpdateGroup: operations on `displayName` and `description`. */
export function updateGroup(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const group = requireGroup(ctx, sso, input);
  const ops = input.Operations;
  if (!Array.isArray(ops) || ops.length === 0) {
    throw constraintError('operations', ops ?? null, 'Member must have length greater than or equal to 1');
  }
  if (ops.length > 100) throw constraintError('operations', ops, 'Member must have length less than or equal to 100');
  let { displayName, description } = group;
  for (const op of ops as Rec[]) {
    if (op?.AttributePath === 'displayName') displayName = displayNameOf(op.AttributeValue);
    else if (op?.AttributePath === 'description') {
      description = optionalString({ Description: op.AttributeValue }, 'Description', { max: 1024, pattern: TEXT });
    } else throw invalid(`Invalid attribute path ${String(op?.AttributePath)}.`);
  }
  if (displayName !== group.displayName && nameTaken(sso, displayName, group.groupId)) {
    throw conflict(ctx, 'UNIQUENESS_CONSTRAINT_VIOLATION', 'Duplicate GroupDisplayName');
  }
  Object.assign(group, { displayName, description, updatedAt: ctx.world.clock.now(), updatedByArn: ctx.caller.arn });
  return {};
}

/** DeleteGroup: also removes its memberships and account assignments. */
export function deleteGroup(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const group = requireGroup(ctx, sso, input);
  for (const [id, m] of sso.memberships) if (m.groupId === group.groupId) sso.memberships.delete(id);
  removePrincipalAssignments(ctx.world, group.groupId);
  sso.groups.delete(group.groupId);
  return {};
}

/** ListGroups, with the deprecated single `Filters` entry on `DisplayName`. */
export function listGroups(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const filter = listFilter(input, 'DisplayName');
  const size = maxResults(input) ?? 100;
  const groups = [...sso.groups.values()].filter(
    (g) => filter === undefined || g.displayName.toLowerCase() === filter.toLowerCase(),
  );
  const page = pageOf(groups, input, size, `groups-${filter ?? ''}`);
  return { Groups: page.items.map(groupView), NextToken: page.nextToken };
}

/** GetGroupId by ExternalId or by the unique attribute `displayName`. */
export function getGroupId(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const id = alternateIdentifier(input, ['displayName']);
  for (const g of sso.groups.values()) {
    const match =
      id.kind === 'external'
        ? g.externalIds.some((e) => e.issuer === id.issuer && e.id === id.id)
        : g.displayName.toLowerCase() === id.value.toLowerCase();
    if (match) return { GroupId: g.groupId, IdentityStoreId: sso.identityStoreId };
  }
  throw notFound(ctx, 'GROUP');
}
