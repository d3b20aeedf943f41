/**
 * Identity Center's SCIM endpoint as one function: authenticates the bearer token, routes to the resource
 * handlers and turns failures into SCIM error bodies. The HTTP route and the sandbox's provisioning engine
 * both call it, so every request goes through the same checks.
 */
import type { World } from '../world/world.js';
import { resourceTypes, schemas, serviceProviderConfig } from './scim-discovery.js';
import { ScimError, scimErrorBody, validation } from './scim-errors.js';
import { createGroup, deleteGroup, getGroup, listGroups, patchGroup } from './scim-groups.js';
import { acceptScimToken, scimStateOf } from './scim-state.js';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser, type ScimResult } from './scim-users.js';

export type ScimRequest = {
  method: string;
  /** The full path, `/{tenant-id}/scim/v2/...`. */
  path: string;
  query: URLSearchParams;
  /** The raw request body (JSON text), if any. */
  body?: string;
  authorization?: string;
};

export type ScimResponse = { status: number; headers: Record<string, string>; body?: unknown };

/** Matches the SCIM path shape and captures the tenant id and the resource path. */
export const SCIM_PATH = /^\/([0-9a-fA-F-]{36})\/scim\/v2(\/.*)?$/;

/**
 * Endpoints AWS lists as unsupported (/Bulk, /Me, /Search: "Limitations from SCIM specification"); its error
 * tables give 400 ValidationException for unsupported operations.
 */
const UNSUPPORTED_ENDPOINTS = /^\/(Bulk|Me|\.?search)(\/|$)|^\/(Users|Groups)\/\.search$/i;

function parseBody(body: string | undefined): unknown {
  if (body === undefined || body.trim() === '') throw validation();
  try {
    return JSON.parse(body);
  } catch {
    throw validation();
  }
}

function route(world: World, method: string, resource: string, request: ScimRequest): ScimResult {
  if (UNSUPPORTED_ENDPOINTS.test(resource)) throw validation();
  const [, collection, id, extra] = /^\/([^/]+)(?:\/([^/]+))?(\/.*)?$/.exec(resource) ?? [];
  if (!collection || extra) throw new ScimError(404, `No such resource: ${resource}`);
  const key = `${method} ${collection}${id ? '/{id}' : ''}`;
  switch (key) {
    case 'GET ServiceProviderConfig':
      return serviceProviderConfig();
    case 'GET Schemas':
    case 'GET Schemas/{id}':
      return schemas(id && decodeURIComponent(id));
    case 'GET ResourceTypes':
    case 'GET ResourceTypes/{id}':
      return resourceTypes(id && decodeURIComponent(id));
    case 'GET Users':
      return listUsers(world, request.query);
    case 'POST Users':
      return createUser(world, parseBody(request.body));
    case 'GET Users/{id}':
      return getUser(world, id);
    case 'PUT Users/{id}':
      return replaceUser(world, id, parseBody(request.body));
    case 'PATCH Users/{id}':
      return patchUser(world, id, parseBody(request.body));
    case 'DELETE Users/{id}':
      return deleteUser(world, id);
    case 'GET Groups':
      return listGroups(world, request.query);
    case 'POST Groups':
      return createGroup(world, parseBody(request.body));
    case 'GET Groups/{id}':
      return getGroup(world, id);
    case 'PATCH Groups/{id}':
      return patchGroup(world, id, parseBody(request.body));
    case 'DELETE Groups/{id}':
      return deleteGroup(world, id);
    default:
      if (['Users', 'Groups', 'ServiceProviderConfig', 'Schemas', 'ResourceTypes'].includes(collection))
        throw new ScimError(405, `${method} is not supported on ${resource}`);
      throw new ScimError(404, `No such resource: ${resource}`);
  }
}

function authenticated(world: World, request: ScimRequest, tenantId: string): boolean {
  if (!world.sso || tenantId.toLowerCase() !== scimStateOf(world).tenantId) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '');
  return m !== null && acceptScimToken(world, m[1]);
}

/** Answers one SCIM request against the world's Identity Center. */
export function handleScimRequest(world: World, request: ScimRequest): ScimResponse {
  const headers = { 'content-type': 'application/json', 'x-amzn-requestid': world.nextRequestId() };
  try {
    const m = SCIM_PATH.exec(request.path);
    if (!m) throw new ScimError(404, `No such resource: ${request.path}`);
    if (!authenticated(world, request, m[1])) throw new ScimError(401, 'Unauthorized');
    const result = route(world, request.method.toUpperCase(), m[2] ?? '/', request);
    return { status: result.status, headers, body: result.body };
  } catch (e) {
    if (!(e instanceof ScimError)) throw e;
    return { status: e.status, headers, body: scimErrorBody(e, world.clock.now()) };
  }
}
