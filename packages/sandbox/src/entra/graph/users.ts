/** Graph `/users`: list, get by id or UPN, create, update, soft delete, memberOf and transitiveMemberOf. */
import type { EntraUser } from '../../world/entra-state.js';
import { deleteUser, findUser, liveUsers, markChanged, memberOfIds, transitiveMemberOfIds } from '../directory.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { bodyObject, nowOf, ok, READ_GROUPS, READ_USERS, tenantOf, WRITE_USERS } from './context.js';
import { DIRECTORY_OBJECT_SPEC, directoryObjectRecord, USER_SPEC, userRecord } from './directory-records.js';
import { countResult, entityResult, type GraphRecord, listCollection, notFound } from './odata.js';

const ID = '([^/]+)';

function userOr404(request: GraphRequest, id: string): EntraUser {
  const user = findUser(tenantOf(request), id);
  if (!user) throw notFound(id);
  return user;
}

const STRING_PROPS = [
  'displayName',
  'givenName',
  'surname',
  'mail',
  'jobTitle',
  'department',
  'onPremisesImmutableId',
  'employeeId',
  'usageLocation',
  'mailNickname',
  'userPrincipalName',
] as const;

function applyUserProps(request: GraphRequest, user: EntraUser, body: Record<string, unknown>): void {
  const entra = tenantOf(request);
  for (const [key, value] of Object.entries(body)) {
    if (key === 'passwordProfile' || key.startsWith('@odata')) continue;
    if (key === 'accountEnabled') {
      if (typeof value !== 'boolean')
        throw graphError(
          400,
          'Request_BadRequest',
          "Invalid value specified for property 'accountEnabled' of resource 'User'.",
        );
      user.accountEnabled = value;
    } else if ((STRING_PROPS as readonly string[]).includes(key)) {
      if (value !== null && typeof value !== 'string') {
        throw graphError(
          400,
          'Request_BadRequest',
          `Invalid value specified for property '${key}' of resource 'User'.`,
        );
      }
      if (key === 'userPrincipalName') {
        const upn = String(value ?? '');
        const clash = findUser(entra, upn);
        if (!upn.includes('@'))
          throw graphError(
            400,
            'Request_BadRequest',
            "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
          );
        if (clash && clash.id !== user.id) {
          throw graphError(
            400,
            'Request_BadRequest',
            'Another object with the same value for property userPrincipalName already exists.',
          );
        }
      }
      (user as Record<string, unknown>)[key] = value;
    } else {
      throw graphError(
        400,
        'Request_BadRequest',
        `Property '${key}' does not exist on type 'microsoft.graph.user' or is read-only.`,
      );
    }
  }
}

function createUser(request: GraphRequest) {
  const entra = tenantOf(request);
  const body = bodyObject(request);
  for (const required of ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile', 'userPrincipalName']) {
    if (body[required] === undefined || body[required] === null) {
      throw graphError(
        400,
        'Request_BadRequest',
        `Invalid value specified for property '${required}' of resource 'User'.`,
      );
    }
  }
  const now = nowOf(request);
  const user: EntraUser = {
    id: crypto.randomUUID(),
    userPrincipalName: '',
    mail: null,
    givenName: null,
    surname: null,
    displayName: '',
    accountEnabled: true,
    onPremisesImmutableId: null,
    jobTitle: null,
    department: null,
    createdDateTime: now,
  };
  applyUserProps(request, user, body);
  entra.users.set(user.id, user);
  markChanged(entra, user.id, 'user', now);
  return ok(201, { '@odata.context': `${request.baseUrl}/$metadata#users/$entity`, ...userRecord(user) });
}

function groupsOf(request: GraphRequest, ids: string[]): GraphRecord[] {
  const entra = tenantOf(request);
  return ids.map((id) => directoryObjectRecord(entra, id)).filter((r): r is GraphRecord => r !== undefined);
}

/** Handlers for `/users`. */
export const userHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/users$/,
    permissions: READ_USERS,
    handle: (request) => listCollection(request, liveUsers(tenantOf(request)).map(userRecord), USER_SPEC),
  },
  {
    method: 'GET',
    pattern: /^\/users\/\$count$/,
    permissions: READ_USERS,
    handle: (request) => countResult(request, liveUsers(tenantOf(request)).map(userRecord), USER_SPEC),
  },
  { method: 'POST', pattern: /^\/users$/, permissions: WRITE_USERS, handle: createUser },
  {
    method: 'GET',
    pattern: new RegExp(`^/users/${ID}$`),
    permissions: READ_USERS,
    handle: (request, m) => entityResult(request, userRecord(userOr404(request, m[1])), USER_SPEC),
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/users/${ID}$`),
    permissions: WRITE_USERS,
    handle: (request, m) => {
      const user = userOr404(request, m[1]);
      applyUserProps(request, user, bodyObject(request));
      markChanged(tenantOf(request), user.id, 'user', nowOf(request));
      return ok(204);
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/users/${ID}$`),
    permissions: WRITE_USERS,
    handle: (request, m) => {
      deleteUser(tenantOf(request), userOr404(request, m[1]), nowOf(request));
      return ok(204);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/users/${ID}/(memberOf|transitiveMemberOf)$`),
    permissions: READ_GROUPS.concat(READ_USERS),
    handle: (request, m) => {
      const user = userOr404(request, m[1]);
      const entra = tenantOf(request);
      const ids = m[2] === 'memberOf' ? memberOfIds(entra, user.id) : transitiveMemberOfIds(entra, user.id);
      return listCollection(request, groupsOf(request, ids), DIRECTORY_OBJECT_SPEC);
    },
  },
];
