/**
 * Graph `/groups`: security groups (list, get, create, update, soft delete), their direct and transitive
 * members (with `microsoft.graph.user` / `group` casts), `$ref` membership changes and `members@odata.bind`.
 */
import type { EntraGroup } from '../../world/entra-state.js';
import {
  addMember,
  deleteGroup,
  findGroup,
  liveGroups,
  markChanged,
  memberOfIds,
  removeMember,
  transitiveMemberIds,
  transitiveMemberOfIds,
} from '../directory.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import {
  bodyObject,
  idFromODataUrl,
  nowOf,
  ok,
  READ_GROUPS,
  tenantOf,
  WRITE_GROUPS,
  WRITE_MEMBERS,
} from './context.js';
import { DIRECTORY_OBJECT_SPEC, directoryObjectRecord, GROUP_SPEC, groupRecord } from './directory-records.js';
import { countResult, entityResult, type GraphRecord, listCollection, notFound } from './odata.js';

const ID = '([^/]+)';
/** Graph adds at most 20 members through `members@odata.bind` in one request. */
const MAX_BIND = 20;

function groupOr404(request: GraphRequest, id: string): EntraGroup {
  const group = findGroup(tenantOf(request), id);
  if (!group) throw notFound(id);
  return group;
}

/** Adds the members named by `members@odata.bind` (each must exist; at most 20). */
function bindMembers(request: GraphRequest, group: EntraGroup, binds: unknown): void {
  if (binds === undefined) return;
  if (!Array.isArray(binds)) throw graphError(400, 'Request_BadRequest', "Invalid value for 'members@odata.bind'.");
  if (binds.length > MAX_BIND) {
    throw graphError(
      400,
      'Request_BadRequest',
      `The request exceeds the limit of ${MAX_BIND} members that can be added in one request.`,
    );
  }
  const entra = tenantOf(request);
  const ids = binds.map(idFromODataUrl);
  for (const id of ids) if (!directoryObjectRecord(entra, id)) throw notFound(id);
  for (const id of ids) addMember(entra, group, id, nowOf(request));
}

function applyGroupProps(group: EntraGroup, body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key.includes('@odata')) continue;
    if (key === 'displayName' || key === 'mailNickname') {
      if (typeof value !== 'string' || !value) {
        throw graphError(
          400,
          'Request_BadRequest',
          `Invalid value specified for property '${key}' of resource 'Group'.`,
        );
      }
      group[key] = value;
    } else if (key === 'description') {
      group.description = value === null ? null : String(value);
    } else if (key === 'securityEnabled' || key === 'mailEnabled') {
      group[key] = Boolean(value);
    } else if (key === 'groupTypes') {
      group.groupTypes = Array.isArray(value) ? value.map(String) : [];
    } else {
      throw graphError(
        400,
        'Request_BadRequest',
        `Property '${key}' does not exist on type 'microsoft.graph.group' or is read-only.`,
      );
    }
  }
}

function createGroup(request: GraphRequest) {
  const entra = tenantOf(request);
  const body = bodyObject(request);
  for (const required of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']) {
    if (body[required] === undefined || body[required] === null) {
      throw graphError(
        400,
        'Request_BadRequest',
        `Invalid value specified for property '${required}' of resource 'Group'.`,
      );
    }
  }
  if (body.mailEnabled === true && !(Array.isArray(body.groupTypes) && body.groupTypes.includes('Unified'))) {
    throw graphError(
      400,
      'Request_BadRequest',
      'Creating mail-enabled security groups is not supported through Microsoft Graph.',
    );
  }
  const now = nowOf(request);
  const group: EntraGroup = {
    id: crypto.randomUUID(),
    displayName: '',
    description: null,
    mailNickname: '',
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    createdDateTime: now,
    members: new Set(),
  };
  applyGroupProps(group, body);
  entra.groups.set(group.id, group);
  markChanged(entra, group.id, 'group', now);
  bindMembers(request, group, body['members@odata.bind']);
  return ok(201, { '@odata.context': `${request.baseUrl}/$metadata#groups/$entity`, ...groupRecord(group) });
}

function memberRecords(request: GraphRequest, ids: string[], cast: string | undefined): GraphRecord[] {
  const entra = tenantOf(request);
  const type = cast ? `#microsoft.graph.${cast}` : null;
  return ids
    .map((id) => directoryObjectRecord(entra, id))
    .filter((r): r is GraphRecord => r !== undefined && (!type || r['@odata.type'] === type));
}

function membersOf(request: GraphRequest, m: RegExpExecArray): GraphRecord[] {
  const group = groupOr404(request, m[1]);
  const ids = m[2] === 'members' ? [...group.members] : transitiveMemberIds(tenantOf(request), group);
  return memberRecords(request, ids, m[3]);
}

const MEMBERS = `^/groups/${ID}/(members|transitiveMembers)(?:/microsoft\\.graph\\.(user|group))?`;

/** Handlers for `/groups`. */
export const groupHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/groups$/,
    permissions: READ_GROUPS,
    handle: (request) => listCollection(request, liveGroups(tenantOf(request)).map(groupRecord), GROUP_SPEC),
  },
  {
    method: 'GET',
    pattern: /^\/groups\/\$count$/,
    permissions: READ_GROUPS,
    handle: (request) => countResult(request, liveGroups(tenantOf(request)).map(groupRecord), GROUP_SPEC),
  },
  { method: 'POST', pattern: /^\/groups$/, permissions: WRITE_GROUPS, handle: createGroup },
  {
    method: 'GET',
    pattern: new RegExp(`^/groups/${ID}$`),
    permissions: READ_GROUPS,
    handle: (request, m) => entityResult(request, groupRecord(groupOr404(request, m[1])), GROUP_SPEC),
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/groups/${ID}$`),
    permissions: WRITE_GROUPS,
    handle: (request, m) => {
      const group = groupOr404(request, m[1]);
      const body = bodyObject(request);
      applyGroupProps(group, body);
      markChanged(tenantOf(request), group.id, 'group', nowOf(request));
      bindMembers(request, group, body['members@odata.bind']);
      return ok(204);
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/groups/${ID}$`),
    permissions: WRITE_GROUPS,
    handle: (request, m) => {
      deleteGroup(tenantOf(request), groupOr404(request, m[1]), nowOf(request));
      return ok(204);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`${MEMBERS}$`),
    permissions: READ_GROUPS,
    handle: (request, m) => listCollection(request, membersOf(request, m), DIRECTORY_OBJECT_SPEC),
  },
  {
    method: 'GET',
    pattern: new RegExp(`${MEMBERS}/\\$count$`),
    permissions: READ_GROUPS,
    handle: (request, m) => countResult(request, membersOf(request, m), DIRECTORY_OBJECT_SPEC),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/groups/${ID}/members/\\$ref$`),
    permissions: WRITE_MEMBERS,
    handle: (request, m) => {
      const group = groupOr404(request, m[1]);
      const entra = tenantOf(request);
      const memberId = idFromODataUrl(bodyObject(request)['@odata.id']);
      if (!directoryObjectRecord(entra, memberId)) throw notFound(memberId);
      if (!addMember(entra, group, memberId, nowOf(request))) {
        throw graphError(
          400,
          'Request_BadRequest',
          "One or more added object references already exist for the following modified properties: 'members'.",
        );
      }
      return ok(204);
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/groups/${ID}/members/${ID}/\\$ref$`),
    permissions: WRITE_MEMBERS,
    handle: (request, m) => {
      const group = groupOr404(request, m[1]);
      if (!removeMember(tenantOf(request), group, m[2], nowOf(request))) throw notFound(m[2]);
      return ok(204);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/groups/${ID}/(memberOf|transitiveMemberOf)$`),
    permissions: READ_GROUPS,
    handle: (request, m) => {
      const group = groupOr404(request, m[1]);
      const entra = tenantOf(request);
      const ids = m[2] === 'memberOf' ? memberOfIds(entra, group.id) : transitiveMemberOfIds(entra, group.id);
      return listCollection(request, memberRecords(request, ids, undefined), DIRECTORY_OBJECT_SPEC);
    },
  },
];
