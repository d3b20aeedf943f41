/** Identity Store users: CreateUser, DescribeUser, UpdateUser, DeleteUser, ListUsers, GetUserId. */

import type { IdentityStoreUser, SsoState } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { removePrincipalAssignments } from '../sso-admin/operations.js';
import { pageOf } from '../sso-admin/paging.js';
import { constraintError, invalid, maxResults } from '../sso-admin/validation.js';
import { alternateIdentifier, listFilter } from './lookup.js';
import { conflict, newResourceId, notFound, requireResourceId, requireStore } from './store.js';
import { applyUserOperation, userAttributesOf, userView } from './user-attributes.js';

type Rec = Record<string, unknown>;

function requireUser(ctx: AwsContext, sso: SsoState, input: Rec): IdentityStoreUser {
  const id = requireResourceId(input, 'UserId');
  const user = sso.users.get(id);
  if (!user) throw notFound(ctx, 'USER', id);
  return user;
}

function userNameTaken(sso: SsoState, userName: string, exceptId?: string): boolean {
  const wanted = userName.toLowerCase();
  for (const u of sso.users.values()) if (u.userId !== exceptId && u.userName.toLowerCase() === wanted) return true;
  return false;
}

/** CreateUser. */
export function createUser(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const attrs = userAttributesOf(input);
  if (userNameTaken(sso, attrs.userName)) {
    throw conflict(ctx, 'UNIQUENESS_CONSTRAINT_VIOLATION', 'Duplicate UserName');
  }
  const now = ctx.world.clock.now();
  const user: IdentityStoreUser = {
    ...attrs,
    userId: newResourceId(ctx.world),
    identityStoreId: sso.identityStoreId,
    externalIds: [],
    active: true,
    createdBy: 'identitystore',
    createdAt: now,
    updatedAt: now,
    createdByArn: ctx.caller.arn,
    updatedByArn: ctx.caller.arn,
  };
  sso.users.set(user.userId, user);
  return { IdentityStoreId: sso.identityStoreId, UserId: user.userId };
}

/** DescribeUser. */
export function describeUser(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  return userView(requireUser(ctx, sso, input));
}

/** UpdateUser: 1-100 operations, applied together or not at all. */
export function updateUser(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const user = requireUser(ctx, sso, input);
  const ops = input.Operations;
  if (!Array.isArray(ops) || ops.length === 0) {
    throw constraintError('operations', ops ?? null, 'Member must have length greater than or equal to 1');
  }
  if (ops.length > 100) throw constraintError('operations', ops, 'Member must have length less than or equal to 100');
  const draft: IdentityStoreUser = structuredClone(user);
  for (const op of ops as Rec[]) {
    if (typeof op?.AttributePath !== 'string' || !op.AttributePath) throw invalid('AttributePath is required.');
    applyUserOperation(draft, op.AttributePath, op.AttributeValue);
  }
  if (draft.userName !== user.userName && userNameTaken(sso, draft.userName, user.userId)) {
    throw conflict(ctx, 'UNIQUENESS_CONSTRAINT_VIOLATION', 'Duplicate UserName');
  }
  Object.assign(user, draft, { updatedAt: ctx.world.clock.now(), updatedByArn: ctx.caller.arn });
  return {};
}

/** DeleteUser: also removes the user's group memberships and account assignments. */
export function deleteUser(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const user = requireUser(ctx, sso, input);
  for (const [id, m] of sso.memberships) if (m.userId === user.userId) sso.memberships.delete(id);
  removePrincipalAssignments(ctx.world, user.userId);
  sso.users.delete(user.userId);
  return {};
}

/** ListUsers, with the deprecated single `Filters` entry on `UserName`. */
export function listUsers(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const filter = listFilter(input, 'UserName');
  const size = maxResults(input) ?? 100;
  const users = [...sso.users.values()].filter((u) => !filter || u.userName.toLowerCase() === filter.toLowerCase());
  const page = pageOf(users, input, size, `users-${filter ?? ''}`);
  return { Users: page.items.map(userView), NextToken: page.nextToken };
}

/** GetUserId by ExternalId or by the unique attributes `userName` / `emails.value`. */
export function getUserId(ctx: AwsContext, input: Rec) {
  const sso = requireStore(ctx, input);
  const id = alternateIdentifier(input, ['userName', 'emails.value']);
  let found: IdentityStoreUser | undefined;
  for (const u of sso.users.values()) {
    const match =
      id.kind === 'external'
        ? u.externalIds.some((e) => e.issuer === id.issuer && e.id === id.id)
        : id.path === 'userName'
          ? u.userName.toLowerCase() === id.value.toLowerCase()
          : u.emails.some((e) => e.value.toLowerCase() === id.value.toLowerCase());
    if (match) {
      found = u;
      break;
    }
  }
  if (!found) throw notFound(ctx, 'USER');
  return { IdentityStoreId: sso.identityStoreId, UserId: found.userId };
}
