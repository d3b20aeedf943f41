/** Identity Store users in their SCIM form, and SCIM bodies checked against Identity Center's rules. */
import type { IdentityStoreUser } from '../world/sso-state.js';
import type { World } from '../world/world.js';
import { DUPLICATE_RESOURCE, ScimError, validation } from './scim-errors.js';
import { type ScimUserExtras, scimStateOf } from './scim-state.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The issuer recorded in the Identity Store's ExternalIds for a SCIM externalId. */
export const SCIM_EXTERNAL_ID_ISSUER = 'scim';

type Json = Record<string, unknown>;

const MULTI_VALUED = ['emails', 'addresses', 'phoneNumbers', 'roles'] as const;
const SIMPLE_STRINGS = [
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'nickName',
  'profileUrl',
] as const;

/** The SCIM externalId of an Identity Store object: the SCIM-issued one, else the first. */
export function externalIdOf(externalIds: { issuer: string; id: string }[]): string | undefined {
  return (externalIds.find((e) => e.issuer === SCIM_EXTERNAL_ID_ISSUER) ?? externalIds[0])?.id;
}

/** A user as GET /Users/{id} returns it. */
export function toScimUser(world: World, user: IdentityStoreUser): Json {
  const extras = scimStateOf(world).userExtras.get(user.userId) ?? {};
  const out: Json = {
    id: user.userId,
    meta: { resourceType: 'User', created: user.createdAt.toISOString(), lastModified: user.updatedAt.toISOString() },
    schemas: extras.enterprise ? [USER_SCHEMA, ENTERPRISE_SCHEMA] : [USER_SCHEMA],
    userName: user.userName,
    name: dropEmpty(user.name),
    displayName: user.displayName,
    active: user.active,
    emails: user.emails.map((e) => ({ value: e.value, type: e.type, primary: e.primary ?? false })),
  };
  const externalId = externalIdOf(user.externalIds);
  if (externalId !== undefined) out.externalId = externalId;
  for (const key of SIMPLE_STRINGS) if (user[key] !== undefined) out[key] = user[key];
  if (user.addresses?.length) out.addresses = user.addresses.map((a) => ({ ...a, primary: a.primary ?? true }));
  if (user.phoneNumbers?.length)
    out.phoneNumbers = user.phoneNumbers.map((p) => ({ ...p, primary: p.primary ?? true }));
  if (extras.roles?.length) out.roles = extras.roles;
  if (extras.enterprise) out[ENTERPRISE_SCHEMA] = extras.enterprise;
  return out;
}

function dropEmpty<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as Partial<T>;
}

function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw validation(`${name} is required.`);
  return value;
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation();
  return value;
}

function readBoolean(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw validation();
}

/** The checked content of a CreateUser/PutUser body (or a patched user). */
export type UserInput = {
  userName: string;
  displayName: string;
  name: IdentityStoreUser['name'];
  emails: IdentityStoreUser['emails'];
  addresses: NonNullable<IdentityStoreUser['addresses']>;
  phoneNumbers: NonNullable<IdentityStoreUser['phoneNumbers']>;
  externalId?: string;
  active: boolean;
  strings: Partial<Record<(typeof SIMPLE_STRINGS)[number], string>>;
  extras: ScimUserExtras;
};

/** Checks a SCIM user body against Identity Center's restrictions; throws the 400 AWS sends. */
export function readUserInput(body: unknown, currentActive = true): UserInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw validation();
  const b = body as Json;
  if (b.groups !== undefined) throw validation('The groups attribute cannot be specified in a user request.');
  for (const attr of MULTI_VALUED) {
    const v = b[attr];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) throw validation();
    if (v.length > 1) throw validation(`List attribute ${attr} exceeds allowed limit of 1`);
    if (v.some((e) => !e || typeof e !== 'object' || 'display' in e)) throw validation();
  }
  const name = (b.name ?? {}) as Json;
  if (typeof name !== 'object') throw validation();
  const emails = ((b.emails as Json[] | undefined) ?? []).map((e) => {
    const primary = readBoolean(e.primary, false);
    if (!primary) throw validation('The emails attribute value must be marked as primary.');
    return { value: requiredString(e.value, 'emails.value'), type: optionalString(e.type), primary };
  });
  const userName = requiredString(b.userName, 'userName');
  if (userName.length > 128) throw validation();
  const strings: UserInput['strings'] = {};
  for (const key of SIMPLE_STRINGS) {
    const v = optionalString(b[key]);
    if (v !== undefined) strings[key] = v;
  }
  const enterprise = b[ENTERPRISE_SCHEMA];
  if (enterprise !== undefined && (typeof enterprise !== 'object' || Array.isArray(enterprise))) throw validation();
  return {
    userName,
    displayName: requiredString(b.displayName, 'displayName'),
    name: {
      givenName: requiredString(name.givenName, 'name.givenName'),
      familyName: requiredString(name.familyName, 'name.familyName'),
      formatted: optionalString(name.formatted),
      middleName: optionalString(name.middleName),
      honorificPrefix: optionalString(name.honorificPrefix),
      honorificSuffix: optionalString(name.honorificSuffix),
    },
    emails,
    addresses: readAddresses(b.addresses),
    phoneNumbers: ((b.phoneNumbers as Json[] | undefined) ?? []).map((p) => ({
      value: requiredString(p.value, 'phoneNumbers.value'),
      type: optionalString(p.type),
      primary: readBoolean(p.primary, true),
    })),
    externalId: optionalString(b.externalId),
    active: readBoolean(b.active, currentActive),
    strings,
    extras: { roles: b.roles as Json[] | undefined, enterprise: enterprise as Json | undefined },
  };
}

const ADDRESS_FIELDS = ['streetAddress', 'locality', 'region', 'postalCode', 'country', 'formatted', 'type'] as const;

function readAddresses(value: unknown): NonNullable<IdentityStoreUser['addresses']> {
  return ((value as Json[] | undefined) ?? []).map((a) => {
    const address: NonNullable<IdentityStoreUser['addresses']>[number] = { primary: readBoolean(a.primary, true) };
    for (const f of ADDRESS_FIELDS) address[f] = optionalString(a[f]);
    return dropEmpty(address);
  });
}

/** Throws a 409 when another user already has this userName (compared without case). */
export function assertUniqueUserName(world: World, userName: string, exceptUserId?: string): void {
  const lower = userName.toLowerCase();
  for (const u of world.sso!.users.values()) {
    if (u.userId !== exceptUserId && u.userName.toLowerCase() === lower) throw new ScimError(409, DUPLICATE_RESOURCE);
  }
}

/** Writes a checked input onto a user (new or existing). */
export function writeUser(world: World, user: IdentityStoreUser, input: UserInput): void {
  user.userName = input.userName;
  user.displayName = input.displayName;
  user.name = dropEmpty(input.name);
  user.emails = input.emails;
  user.addresses = input.addresses.length ? input.addresses : undefined;
  user.phoneNumbers = input.phoneNumbers.length ? input.phoneNumbers : undefined;
  user.active = input.active;
  const others = user.externalIds.filter((e) => e.issuer !== SCIM_EXTERNAL_ID_ISSUER);
  user.externalIds =
    input.externalId !== undefined ? [...others, { issuer: SCIM_EXTERNAL_ID_ISSUER, id: input.externalId }] : others;
  for (const key of SIMPLE_STRINGS) user[key] = input.strings[key];
  user.updatedAt = world.clock.now();
  scimStateOf(world).userExtras.set(user.userId, input.extras);
}
