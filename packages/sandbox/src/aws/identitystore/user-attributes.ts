/**
 * Identity Store user attributes: reading them from CreateUser input and UpdateUser operations (with the
 * service's limits, e.g. at most one email), and writing them back in the API's shape.
 */

import type { IdentityStoreAddress, IdentityStoreEmail, IdentityStoreUser } from '../../world/sso-state.js';
import { AwsError } from '../errors.js';
import { constraintError, invalid, optionalString } from '../sso-admin/validation.js';
import { isReservedName } from './store.js';

const USER_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const TEXT = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r  　]+$/u;

type Rec = Record<string, unknown>;

/** Checks a user name: length, characters, reserved names. */
export function checkUserName(value: unknown): string {
  const name = optionalString({ UserName: value }, 'UserName', { max: 128, pattern: USER_NAME });
  if (name === undefined) throw constraintError('userName', null, 'Member must not be null');
  if (isReservedName(name)) throw invalid(`${name} is a reserved name and can't be used for users or groups.`);
  return name;
}

function text(value: unknown, member: string, max = 1024): string | undefined {
  return optionalString({ [member]: value }, member, { max, pattern: TEXT });
}

function oneItemList(value: unknown, member: string): Rec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AwsError('SerializationException', `${member} must be a list`);
  if (value.length > 1) {
    throw constraintError(member, value, 'Member must have length less than or equal to 1');
  }
  return value as Rec[];
}

function emailsOf(value: unknown, member: string): IdentityStoreEmail[] {
  return oneItemList(value, member).map((e) => ({
    value: text(e.Value, 'Value') ?? '',
    type: text(e.Type, 'Type'),
    primary: typeof e.Primary === 'boolean' ? e.Primary : undefined,
  }));
}

function addressesOf(value: unknown): IdentityStoreAddress[] {
  return oneItemList(value, 'addresses').map((a) => ({
    streetAddress: text(a.StreetAddress, 'StreetAddress'),
    locality: text(a.Locality, 'Locality'),
    region: text(a.Region, 'Region'),
    postalCode: text(a.PostalCode, 'PostalCode'),
    country: text(a.Country, 'Country'),
    formatted: text(a.Formatted, 'Formatted'),
    type: text(a.Type, 'Type'),
    primary: typeof a.Primary === 'boolean' ? a.Primary : undefined,
  }));
}

function nameOf(value: unknown): IdentityStoreUser['name'] {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw new AwsError('SerializationException', 'Name must be a structure');
  const n = value as Rec;
  return {
    givenName: text(n.GivenName, 'GivenName'),
    familyName: text(n.FamilyName, 'FamilyName'),
    formatted: text(n.Formatted, 'Formatted'),
    middleName: text(n.MiddleName, 'MiddleName'),
    honorificPrefix: text(n.HonorificPrefix, 'HonorificPrefix'),
    honorificSuffix: text(n.HonorificSuffix, 'HonorificSuffix'),
  };
}

const SIMPLE = ['nickName', 'profileUrl', 'userType', 'title', 'preferredLanguage', 'locale', 'timezone'] as const;
const NAME_PARTS = [
  'givenName',
  'familyName',
  'formatted',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
] as const;

/** Sets one attribute from an UpdateUser operation (null removes it where the attribute is optional). */
export function applyUserOperation(user: IdentityStoreUser, path: string, value: unknown): void {
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  if (path === 'userName') user.userName = checkUserName(value);
  else if (path === 'displayName') {
    const v = text(value, 'displayName');
    if (v === undefined) throw invalid('displayName is required and cannot be removed.');
    user.displayName = v;
  } else if ((SIMPLE as readonly string[]).includes(path)) {
    (user as Record<string, unknown>)[path] = text(value, path);
  } else if (path === 'name') user.name = nameOf(value);
  else if (path.startsWith('name.') && (NAME_PARTS as readonly string[]).includes(path.slice(5))) {
    const part = path.slice(5) as (typeof NAME_PARTS)[number];
    user.name = { ...user.name, [part]: text(value, cap(part)) };
  } else if (path === 'emails') user.emails = emailsOf(value, 'emails');
  else if (path === 'addresses') user.addresses = addressesOf(value);
  else if (path === 'phoneNumbers') user.phoneNumbers = emailsOf(value, 'phoneNumbers');
  else throw invalid(`Invalid attribute path ${path}.`);
}

/** The user attributes of a CreateUser request (DisplayName and Name are required in IAM Identity Center). */
export function userAttributesOf(input: Rec) {
  const displayName = text(input.DisplayName, 'displayName');
  if (displayName === undefined) throw constraintError('displayName', null, 'Member must not be null');
  const name = nameOf(input.Name);
  if (!name.givenName || !name.familyName) {
    throw invalid('Name.GivenName and Name.FamilyName are required when used in IAM Identity Center.');
  }
  return {
    userName: checkUserName(input.UserName),
    displayName,
    name,
    emails: emailsOf(input.Emails, 'emails'),
    addresses: addressesOf(input.Addresses),
    phoneNumbers: emailsOf(input.PhoneNumbers, 'phoneNumbers'),
    nickName: text(input.NickName, 'nickName'),
    profileUrl: text(input.ProfileUrl, 'profileUrl'),
    userType: text(input.UserType, 'userType'),
    title: text(input.Title, 'title'),
    preferredLanguage: text(input.PreferredLanguage, 'preferredLanguage'),
    locale: text(input.Locale, 'locale'),
    timezone: text(input.Timezone, 'timezone'),
  };
}

const listView = (items: IdentityStoreEmail[] | undefined) =>
  items?.length ? items.map((e) => ({ Value: e.value, Type: e.type, Primary: e.primary })) : undefined;

/** A user in the API's shape (DescribeUser, ListUsers). */
export function userView(u: IdentityStoreUser) {
  const n = u.name;
  const hasName = Object.values(n).some((v) => v !== undefined);
  return {
    IdentityStoreId: u.identityStoreId,
    UserId: u.userId,
    UserName: u.userName,
    ExternalIds: u.externalIds.length ? u.externalIds.map((e) => ({ Issuer: e.issuer, Id: e.id })) : undefined,
    Name: hasName
      ? {
          Formatted: n.formatted,
          FamilyName: n.familyName,
          GivenName: n.givenName,
          MiddleName: n.middleName,
          HonorificPrefix: n.honorificPrefix,
          HonorificSuffix: n.honorificSuffix,
        }
      : undefined,
    DisplayName: u.displayName,
    NickName: u.nickName,
    ProfileUrl: u.profileUrl,
    Emails: listView(u.emails),
    Addresses: u.addresses?.length
      ? u.addresses.map((a) => ({
          StreetAddress: a.streetAddress,
          Locality: a.locality,
          Region: a.region,
          PostalCode: a.postalCode,
          Country: a.country,
          Formatted: a.formatted,
          Type: a.type,
          Primary: a.primary,
        }))
      : undefined,
    PhoneNumbers: listView(u.phoneNumbers),
    UserType: u.userType,
    Title: u.title,
    PreferredLanguage: u.preferredLanguage,
    Locale: u.locale,
    Timezone: u.timezone,
    UserStatus: u.active ? 'ENABLED' : 'DISABLED',
    CreatedAt: u.createdAt,
    CreatedBy: u.createdByArn,
    UpdatedAt: u.updatedAt,
    UpdatedBy: u.updatedByArn,
  };
}
