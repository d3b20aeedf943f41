/** Shortcuts for Graph handlers: the tenant, the virtual clock, JSON results and body checks. */
import type { EntraState } from '../../world/entra-state.js';
import { type GraphRequest, type GraphResult, graphError } from '../graph-types.js';
import { ODATA_JSON } from './odata.js';

/** The tenant behind a Graph request. */
export function tenantOf(request: GraphRequest): EntraState {
  const entra = request.sandbox.world.entra;
  if (!entra) throw graphError(503, 'ServiceNotAvailable', 'The sandbox has no Entra tenant.');
  return entra;
}

/** The virtual clock's now. */
export function nowOf(request: GraphRequest): Date {
  return request.sandbox.world.clock.now();
}

/** A JSON result with Graph's OData content type. */
export function ok(status: number, body?: unknown): GraphResult {
  return body === undefined ? { status } : { status, headers: ODATA_JSON, body };
}

/** The request body as an object; Graph's 400 when it is missing or not an object. */
export function bodyObject(request: GraphRequest): Record<string, unknown> {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  return body as Record<string, unknown>;
}

/** Object id at the end of an `@odata.id` / `@odata.bind` URL (`.../directoryObjects/{id}`). */
export function idFromODataUrl(url: unknown): string {
  if (typeof url !== 'string' || !/\/[^/]+$/.test(url)) {
    throw graphError(
      400,
      'Request_BadRequest',
      `Invalid URL format specified in @odata.bind for members: '${String(url)}'.`,
    );
  }
  return decodeURIComponent(
    url
      .replace(/\/\$ref$/, '')
      .split('/')
      .pop()!,
  );
}

/** Graph permissions: reading and writing the directory. */
export const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
export const WRITE_USERS = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
export const READ_GROUPS = [
  'Group.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
export const WRITE_GROUPS = ['Group.Create', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
export const WRITE_MEMBERS = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
export const READ_APPS = [
  'Application.Read.All',
  'Application.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
export const WRITE_APPS = ['Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy', 'Directory.ReadWrite.All'];
export const WRITE_ASSIGNMENTS = ['AppRoleAssignment.ReadWrite.All', 'Directory.ReadWrite.All'];
