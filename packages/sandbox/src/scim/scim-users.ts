/** The /Users resource of Identity Center's SCIM endpoint. */
import type { IdentityStoreUser } from '../world/sso-state.js';
import type { World } from '../world/world.js';
import { notFound, validation } from './scim-errors.js';
import { parseFilter, requireCombination } from './scim-filter.js';
import { pageOf } from './scim-paging.js';
import { applyPatch, type PatchOperation, readPatchOperations } from './scim-patch.js';
import { scimStateOf } from './scim-state.js';
import { assertUniqueUserName, externalIdOf, readUserInput, toScimUser, writeUser } from './scim-user-model.js';

/** What a SCIM resource handler returns. */
export type ScimResult = { status: number; body?: unknown };

const USER_FILTERS = [['userName'], ['externalId'], ['id'], ['groups.value'], ['id', 'manager']];

/** A new Identity Store id in AWS's shape: the store's 10 hex characters, a dash, a UUID. */
export function newIdentityStoreObjectId(world: World): string {
  return `${world.sso!.identityStoreId.slice(2)}-${world.rng.uuid()}`;
}

function findUser(world: World, id: string): IdentityStoreUser {
  const user = world.sso!.users.get(id);
  if (!user) throw notFound('User', id);
  return user;
}

/** POST /Users. */
export function createUser(world: World, body: unknown): ScimResult {
  const input = readUserInput(body);
  assertUniqueUserName(world, input.userName);
  const now = world.clock.now();
  const user: IdentityStoreUser = {
    userId: newIdentityStoreObjectId(world),
    identityStoreId: world.sso!.identityStoreId,
    userName: input.userName,
    displayName: input.displayName,
    name: {},
    emails: [],
    externalIds: [],
    active: input.active,
    createdBy: 'scim',
    createdAt: now,
    updatedAt: now,
  };
  writeUser(world, user, input);
  world.sso!.users.set(user.userId, user);
  return { status: 201, body: toScimUser(world, user) };
}

/** GET /Users/{id}. */
export function getUser(world: World, id: string): ScimResult {
  return { status: 200, body: toScimUser(world, findUser(world, id)) };
}

/** PUT /Users/{id}: replaces every attribute. */
export function replaceUser(world: World, id: string, body: unknown): ScimResult {
  const user = findUser(world, id);
  const input = readUserInput(body, user.active);
  assertUniqueUserName(world, input.userName, user.userId);
  writeUser(world, user, input);
  return { status: 200, body: toScimUser(world, user) };
}

/** How many operations of a PATCH touch `attribute` (by path, or as a key of a path-less value). */
function operationsOn(ops: PatchOperation[], attribute: string): number {
  return ops.filter((op) =>
    op.path
      ? op.path.trim().toLowerCase() === attribute
      : Object.keys((op.value ?? {}) as object).some((k) => k.toLowerCase() === attribute),
  ).length;
}

/**
 * PATCH /Users/{id}: the patched user must still satisfy every CreateUser rule. AWS answers 204. AWS's PatchUser
 * page lists "Multiple PATCH operations on userName or active attribute" as not supported: refused with 400.
 */
export function patchUser(world: World, id: string, body: unknown): ScimResult {
  const user = findUser(world, id);
  const ops = readPatchOperations(body);
  if (operationsOn(ops, 'active') > 1 || operationsOn(ops, 'username') > 1) throw validation();
  const patched = applyPatch(toScimUser(world, user), ops);
  const input = readUserInput(patched, user.active);
  assertUniqueUserName(world, input.userName, user.userId);
  writeUser(world, user, input);
  return { status: 204 };
}

/** DELETE /Users/{id}: the user and its group memberships. */
export function deleteUser(world: World, id: string): ScimResult {
  const sso = world.sso!;
  findUser(world, id);
  sso.users.delete(id);
  for (const [key, m] of sso.memberships) if (m.userId === id) sso.memberships.delete(key);
  scimStateOf(world).userExtras.delete(id);
  return { status: 204 };
}

/** GET /Users with AWS's filter combinations and paging. */
export function listUsers(world: World, query: URLSearchParams): ScimResult {
  const sso = world.sso!;
  let users = [...sso.users.values()];
  const filter = query.get('filter');
  if (filter !== null) {
    const f = requireCombination(parseFilter(filter), USER_FILTERS);
    const userName = f.get('username');
    const externalId = f.get('externalid');
    const id = f.get('id');
    const groupId = f.get('groups.value');
    const manager = f.get('manager');
    users = users.filter((u) => {
      if (userName !== undefined && u.userName.toLowerCase() !== userName.toLowerCase()) return false;
      if (externalId !== undefined && externalIdOf(u.externalIds) !== externalId) return false;
      if (id !== undefined && u.userId !== id) return false;
      if (manager !== undefined) {
        const enterprise = scimStateOf(world).userExtras.get(u.userId)?.enterprise;
        const value = (enterprise?.manager as { value?: string } | undefined)?.value;
        if (value !== manager) return false;
      }
      if (groupId !== undefined)
        return [...sso.memberships.values()].some((m) => m.groupId === groupId && m.userId === u.userId);
      return true;
    });
  }
  return {
    status: 200,
    body: pageOf(
      scimStateOf(world),
      users.map((u) => toScimUser(world, u)),
      query,
    ),
  };
}
