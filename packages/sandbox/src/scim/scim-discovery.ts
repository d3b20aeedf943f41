/** /ServiceProviderConfig, /Schemas and /ResourceTypes as Identity Center describes its SCIM implementation. */
import { ScimError } from './scim-errors.js';
import { GROUP_SCHEMA } from './scim-groups.js';
import { LIST_RESPONSE_SCHEMA } from './scim-paging.js';
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './scim-user-model.js';
import type { ScimResult } from './scim-users.js';

/**
 * GET /ServiceProviderConfig, as AWS's example response shows it
 * (https://docs.aws.amazon.com/singlesignon/latest/developerguide/serviceproviderconfig.html): bulk not
 * supported, filter maxResults 50. The bulk limits after `supported: false` are a guess (GUESSES.md).
 */
export function serviceProviderConfig(): ScimResult {
  return {
    status: 200,
    body: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri:
        'https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-idp.html',
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication scheme using the OAuth Bearer Token Standard',
          specUri: 'https://www.rfc-editor.org/info/rfc6750',
          documentationUri: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/provision-automatically.html',
          primary: true,
        },
      ],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 1, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 50 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
    },
  };
}

function attribute(name: string, type = 'string', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  };
}

const SUB_VALUE = [attribute('value'), attribute('type'), attribute('primary', 'boolean')];

const SCHEMAS: Record<string, Record<string, unknown>> = {
  [USER_SCHEMA]: {
    id: USER_SCHEMA,
    name: 'User',
    description: 'User Account',
    attributes: [
      attribute('userName', 'string', { required: true, uniqueness: 'server' }),
      attribute('name', 'complex', {
        required: true,
        subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map(
          (n) => attribute(n, 'string', { required: n === 'givenName' || n === 'familyName' }),
        ),
      }),
      attribute('displayName', 'string', { required: true }),
      ...['nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'].map((n) =>
        attribute(n),
      ),
      attribute('active', 'boolean'),
      attribute('emails', 'complex', { multiValued: true, subAttributes: SUB_VALUE }),
      attribute('phoneNumbers', 'complex', { multiValued: true, subAttributes: SUB_VALUE }),
      attribute('addresses', 'complex', { multiValued: true }),
      attribute('roles', 'complex', { multiValued: true, subAttributes: SUB_VALUE }),
    ],
    meta: { resourceType: 'Schema', location: `/Schemas/${USER_SCHEMA}` },
  },
  [GROUP_SCHEMA]: {
    id: GROUP_SCHEMA,
    name: 'Group',
    description: 'Group',
    attributes: [
      attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
      attribute('members', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string', { mutability: 'immutable' }), attribute('type')],
      }),
    ],
    meta: { resourceType: 'Schema', location: `/Schemas/${GROUP_SCHEMA}` },
  },
  [ENTERPRISE_SCHEMA]: {
    id: ENTERPRISE_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: ['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => attribute(n)),
    meta: { resourceType: 'Schema', location: `/Schemas/${ENTERPRISE_SCHEMA}` },
  },
};

const RESOURCE_TYPES = [
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
    meta: { resourceType: 'ResourceType', location: '/ResourceTypes/User' },
  },
  {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: GROUP_SCHEMA,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: '/ResourceTypes/Group' },
  },
];

function list(resources: unknown[]): ScimResult {
  return {
    status: 200,
    body: {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: resources.length,
      itemsPerPage: resources.length,
      startIndex: 1,
      Resources: resources,
    },
  };
}

/** GET /Schemas and /Schemas/{id}. */
export function schemas(id?: string): ScimResult {
  if (!id) return list(Object.values(SCHEMAS));
  const schema = SCHEMAS[id];
  if (!schema) throw new ScimError(404, `Schema not found: ${id}`);
  return { status: 200, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], ...schema } };
}

/** GET /ResourceTypes and /ResourceTypes/{id}. */
export function resourceTypes(id?: string): ScimResult {
  if (!id) return list(RESOURCE_TYPES);
  const type = RESOURCE_TYPES.find((t) => t.id === id);
  if (!type) throw new ScimError(404, `Resource type not found: ${id}`);
  return { status: 200, body: type };
}
