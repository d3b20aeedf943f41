/** Graph's JSON shapes for users and groups, and the collection specs that list them. */
import type { EntraGroup, EntraState, EntraUser } from '../../world/entra-state.js';
import type { CollectionSpec, GraphRecord } from './odata.js';

const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

const USER_EXTRA = [
  'accountEnabled',
  'department',
  'onPremisesImmutableId',
  'createdDateTime',
  'deletedDateTime',
  'employeeId',
  'mailNickname',
  'usageLocation',
  'userType',
  'otherMails',
  'proxyAddresses',
  'companyName',
];

/** Users: the product filters on UPN, mail, display name, enabled state, id and immutable id. */
export const USER_SPEC: CollectionSpec = {
  type: 'microsoft.graph.user',
  context: 'users',
  defaultSelect: USER_DEFAULT,
  selectable: [...USER_DEFAULT, ...USER_EXTRA],
  filterable: [
    'userPrincipalName',
    'mail',
    'displayName',
    'accountEnabled',
    'id',
    'onPremisesImmutableId',
    'givenName',
    'surname',
    'department',
    'jobTitle',
    'employeeId',
    'mailNickname',
    'userType',
  ],
  // $search and $orderby on users: https://learn.microsoft.com/graph/aad-advanced-queries (user properties table).
  searchable: ['displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'mailNickname', 'jobTitle'],
  orderable: ['displayName', 'userPrincipalName'],
};

const GROUP_FIELDS = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'onPremisesSyncEnabled',
  'securityEnabled',
  'securityIdentifier',
  'visibility',
];

/** Groups. */
export const GROUP_SPEC: CollectionSpec = {
  type: 'microsoft.graph.group',
  context: 'groups',
  defaultSelect: GROUP_FIELDS,
  selectable: GROUP_FIELDS,
  filterable: ['displayName', 'id', 'mailNickname', 'securityEnabled', 'mailEnabled', 'mail', 'description'],
  // $search and $orderby on groups: https://learn.microsoft.com/graph/aad-advanced-queries (group properties table).
  searchable: ['displayName', 'description', 'mail', 'mailNickname'],
  orderable: ['displayName'],
};

/** Members lists mix users and groups: any property of either may be selected. */
export const DIRECTORY_OBJECT_SPEC: CollectionSpec = {
  type: 'microsoft.graph.directoryObject',
  context: 'directoryObjects',
  defaultSelect: ['id'],
  defaultSelectByType: { '#microsoft.graph.user': USER_DEFAULT, '#microsoft.graph.group': GROUP_FIELDS },
  selectable: [...new Set([...USER_DEFAULT, ...USER_EXTRA, ...GROUP_FIELDS])],
  filterable: [...new Set([...USER_SPEC.filterable, ...GROUP_SPEC.filterable])],
};

function iso(date: Date | undefined | null): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/** A user as Graph returns it (every property; `$select` narrows it). */
export function userRecord(user: EntraUser): GraphRecord {
  return {
    id: user.id,
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    department: user.department,
    onPremisesImmutableId: user.onPremisesImmutableId,
    createdDateTime: iso(user.createdDateTime),
    deletedDateTime: iso(user.deletedDateTime),
    employeeId: user.employeeId ?? null,
    mailNickname: user.mailNickname ?? user.userPrincipalName.split('@')[0],
    usageLocation: user.usageLocation ?? null,
    userType: 'Member',
    otherMails: [],
    proxyAddresses: user.mail ? [`SMTP:${user.mail}`] : [],
    companyName: null,
  };
}

/** A group as Graph returns it. */
export function groupRecord(group: EntraGroup): GraphRecord {
  return {
    id: group.id,
    deletedDateTime: iso(group.deletedDateTime),
    classification: null,
    createdDateTime: iso(group.createdDateTime),
    description: group.description,
    displayName: group.displayName,
    groupTypes: group.groupTypes,
    isAssignableToRole: null,
    mail: null,
    mailEnabled: group.mailEnabled,
    mailNickname: group.mailNickname,
    membershipRule: null,
    onPremisesSyncEnabled: null,
    securityEnabled: group.securityEnabled,
    securityIdentifier: `S-1-12-1-${parseInt(group.id.slice(0, 8), 16)}`,
    visibility: null,
  };
}

/** A user or group with its `@odata.type`, for members and memberOf lists; undefined when gone. */
export function directoryObjectRecord(entra: EntraState, id: string): GraphRecord | undefined {
  const user = entra.users.get(id);
  if (user && !user.deletedDateTime) return { '@odata.type': '#microsoft.graph.user', ...userRecord(user) };
  const group = entra.groups.get(id);
  if (group && !group.deletedDateTime) return { '@odata.type': '#microsoft.graph.group', ...groupRecord(group) };
  return undefined;
}

/** Formats a date as Graph does (seconds precision, Z). */
export function graphDate(date: Date | undefined | null): string | null {
  return iso(date);
}
