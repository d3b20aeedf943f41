/**
 * The /Groups resource of Identity Center's SCIM endpoint: no members in GET or list responses, members only
 * users (no nested groups), at most 100 member changes per request, no replace or remove-all of members.
 */
import type { IdentityStoreGroup } from '../world/sso-state.js';
import type { World } from '../world/world.js';
import { DUPLICATE_RESOURCE, notFound, ScimError, validation } from './scim-errors.js';
import { type FilterClause, parseFilter, requireCombination } from './scim-filter.js';
import { pageOf } from './scim-paging.js';
import { type PatchOperation, readPatchOperations } from './scim-patch.js';
import { scimStateOf } from './scim-state.js';
import { externalIdOf, SCIM_EXTERNAL_ID_ISSUER } from './scim-user-model.js';
import { newIdentityStoreObjectId, type ScimResult } from './scim-users.js';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** The most membership changes one CreateGroup or PatchGroup may carry. */
export const MAX_MEMBER_CHANGES = 100;

const GROUP_FILTERS = [['displayName'], ['externalId'], ['id'], ['id', 'members'], ['members']];

type Json = Record<string, unknown>;

/** A group as GetGroup and ListGroups return it: Identity Center always sends an empty member list. */
export function toScimGroup(group: IdentityStoreGroup): Json {
  const out: Json = {
    id: group.groupId,
    meta: {
      resourceType: 'Group',
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
    },
    schemas: [GROUP_SCHEMA],
    displayName: group.displayName,
    members: [],
  };
  const externalId = externalIdOf(group.externalIds);
  if (externalId !== undefined) out.externalId = externalId;
  return out;
}

function findGroup(world: World, id: string): IdentityStoreGroup {
  const group = world.sso!.groups.get(id);
  if (!group) throw notFound('Group', id);
  return group;
}

function assertUniqueDisplayName(world: World, displayName: string, exceptId?: string): void {
  for (const g of world.sso!.groups.values())
    if (g.groupId !== exceptId && g.displayName === displayName) throw new ScimError(409, DUPLICATE_RESOURCE);
}

function memberIds(value: unknown): string[] {
  if (!Array.isArray(value)) throw validation();
  return value.map((m) => {
    const id = m && typeof m === 'object' ? (m as Json).value : undefined;
    if (typeof id !== 'string' || !id) throw validation();
    return id;
  });
}

/** Members must be existing users: a group as a member (nesting) is refused. */
function assertUserMember(world: World, id: string): void {
  if (world.sso!.groups.has(id)) throw validation(`Nested groups are not supported: member ${id} is a group.`);
  if (!world.sso!.users.has(id)) throw validation(`Member ${id} is not a user in this identity store.`);
}

function addMember(world: World, groupId: string, userId: string): void {
  const sso = world.sso!;
  for (const m of sso.memberships.values()) if (m.groupId === groupId && m.userId === userId) return;
  const membershipId = world.rng.uuid();
  sso.memberships.set(membershipId, { membershipId, groupId, userId });
}

function removeMember(world: World, groupId: string, userId: string): void {
  const sso = world.sso!;
  for (const [key, m] of sso.memberships) if (m.groupId === groupId && m.userId === userId) sso.memberships.delete(key);
}

function setExternalId(group: IdentityStoreGroup, externalId: unknown): void {
  if (externalId === undefined) return;
  if (externalId !== null && typeof externalId !== 'string') throw validation();
  const others = group.externalIds.filter((e) => e.issuer !== SCIM_EXTERNAL_ID_ISSUER);
  group.externalIds = externalId ? [...others, { issuer: SCIM_EXTERNAL_ID_ISSUER, id: externalId }] : others;
}

/** POST /Groups. */
export function createGroup(world: World, body: unknown): ScimResult {
  if (!body || typeof body !== 'object') throw validation();
  const b = body as Json;
  if (typeof b.displayName !== 'string' || !b.displayName.trim()) throw validation('displayName is required.');
  const members = b.members === undefined || b.members === null ? [] : memberIds(b.members);
  // AWS answers the generic ValidationException text past 100 member changes (its error tables name no other).
  if (members.length > MAX_MEMBER_CHANGES) throw validation();
  for (const id of members) assertUserMember(world, id);
  assertUniqueDisplayName(world, b.displayName);
  const now = world.clock.now();
  const group: IdentityStoreGroup = {
    groupId: newIdentityStoreObjectId(world),
    identityStoreId: world.sso!.identityStoreId,
    displayName: b.displayName,
    externalIds: [],
    createdBy: 'scim',
    createdAt: now,
    updatedAt: now,
  };
  setExternalId(group, b.externalId);
  world.sso!.groups.set(group.groupId, group);
  for (const id of members) addMember(world, group.groupId, id);
  return { status: 201, body: toScimGroup(group) };
}

/** GET /Groups/{id}. */
export function getGroup(world: World, id: string): ScimResult {
  return { status: 200, body: toScimGroup(findGroup(world, id)) };
}

type MemberChange = { add: boolean; userId: string };

function memberChangesOf(op: PatchOperation): MemberChange[] | undefined {
  const path = op.path?.trim();
  const filtered = path ? /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i.exec(path) : null;
  if (filtered) {
    if (op.op !== 'remove') throw validation();
    return [{ add: false, userId: filtered[1] }];
  }
  if (path && path.toLowerCase() === 'members') {
    if (op.op === 'replace') throw validation('Replacing all group members is not supported.');
    if (op.op === 'remove' && (op.value === undefined || op.value === null))
      throw validation('Removing all group members is not supported.');
    return memberIds(op.value).map((userId) => ({ add: op.op === 'add', userId }));
  }
  return undefined;
}

/** PATCH /Groups/{id}: displayName, externalId and member adds/removes only. AWS answers 204. */
export function patchGroup(world: World, id: string, body: unknown): ScimResult {
  const group = findGroup(world, id);
  const ops = readPatchOperations(body);
  const changes: MemberChange[] = [];
  const attributes: Json = {};
  for (const op of ops) {
    const memberChanges = memberChangesOf(op);
    if (memberChanges) {
      changes.push(...memberChanges);
      continue;
    }
    if (op.op === 'remove') throw validation();
    const values: Json = op.path ? { [op.path]: op.value } : ((op.value ?? {}) as Json);
    for (const [key, value] of Object.entries(values)) {
      const k = key.toLowerCase();
      if (k === 'members') {
        if (op.op === 'replace') throw validation('Replacing all group members is not supported.');
        changes.push(...memberIds(value).map((userId) => ({ add: true, userId })));
      } else if (k === 'displayname' || k === 'externalid') attributes[k] = value;
      else if (k !== 'id') throw validation(`Only displayName, members and externalId can be patched, not ${key}.`);
    }
  }
  if (changes.length > MAX_MEMBER_CHANGES) throw validation();
  for (const c of changes) if (c.add) assertUserMember(world, c.userId);
  if (attributes.displayname !== undefined) {
    if (typeof attributes.displayname !== 'string' || !attributes.displayname.trim()) throw validation();
    assertUniqueDisplayName(world, attributes.displayname, group.groupId);
    group.displayName = attributes.displayname;
  }
  setExternalId(group, attributes.externalid);
  for (const c of changes) (c.add ? addMember : removeMember)(world, group.groupId, c.userId);
  group.updatedAt = world.clock.now();
  return { status: 204 };
}

/** DELETE /Groups/{id}: the group and its memberships. */
export function deleteGroup(world: World, id: string): ScimResult {
  findGroup(world, id);
  const sso = world.sso!;
  sso.groups.delete(id);
  for (const [key, m] of sso.memberships) if (m.groupId === id) sso.memberships.delete(key);
  return { status: 204 };
}

function normalize(clauses: FilterClause[]): FilterClause[] {
  return clauses.map((c) =>
    /^(member|members|members\.value)$/i.test(c.attribute) ? { ...c, attribute: 'members' } : c,
  );
}

/** GET /Groups with AWS's filter combinations and paging. */
export function listGroups(world: World, query: URLSearchParams): ScimResult {
  const sso = world.sso!;
  let groups = [...sso.groups.values()];
  const filter = query.get('filter');
  if (filter !== null) {
    const f = requireCombination(normalize(parseFilter(filter)), GROUP_FILTERS);
    const displayName = f.get('displayname');
    const externalId = f.get('externalid');
    const id = f.get('id');
    const member = f.get('members');
    groups = groups.filter((g) => {
      if (displayName !== undefined && g.displayName !== displayName) return false;
      if (externalId !== undefined && externalIdOf(g.externalIds) !== externalId) return false;
      if (id !== undefined && g.groupId !== id) return false;
      if (member !== undefined)
        return [...sso.memberships.values()].some((m) => m.groupId === g.groupId && m.userId === member);
      return true;
    });
  }
  return { status: 200, body: pageOf(scimStateOf(world), groups.map(toScimGroup), query) };
}
