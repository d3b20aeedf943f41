/**
 * How the provisioning engine reaches the SCIM endpoint named by the job's BaseAddress: in process, through
 * the same handler (and so the same token and restriction checks) as HTTP requests to the sandbox.
 */
import { handleScimRequest, SCIM_PATH } from '../../scim/scim-handler.js';
import type { World } from '../../world/world.js';

export type ScimReply = { status: number; body: Record<string, unknown> };

/** A SCIM connection: base address and token as saved in the job's secrets. */
export type ScimConnection = { baseAddress: string; token: string };

/** Why a base address cannot be a SCIM endpoint of this sandbox, or null when it can. */
export function baseAddressProblem(baseAddress: string): string | null {
  let url: URL;
  try {
    url = new URL(baseAddress.trim());
  } catch {
    return `The tenant URL '${baseAddress}' is not a valid URL.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `The tenant URL '${baseAddress}' is not an HTTP URL.`;
  if (!SCIM_PATH.test(url.pathname.replace(/\/$/, ''))) return `No SCIM endpoint answers at '${baseAddress}'.`;
  return null;
}

/** Sends one SCIM request; a base address that is not a SCIM endpoint answers 404. */
export function scimCall(
  world: World,
  connection: ScimConnection,
  method: string,
  resource: string,
  body?: unknown,
): ScimReply {
  if (baseAddressProblem(connection.baseAddress)) return { status: 404, body: { detail: 'Not Found' } };
  const url = new URL(connection.baseAddress.trim());
  const base = url.pathname.replace(/\/$/, '');
  const [path, search] = resource.split('?');
  const response = handleScimRequest(world, {
    method,
    path: `${base}${path}`,
    query: new URLSearchParams(search ?? ''),
    body: body === undefined ? undefined : JSON.stringify(body),
    authorization: `Bearer ${connection.token}`,
  });
  return { status: response.status, body: (response.body ?? {}) as Record<string, unknown> };
}

/** `?filter=attr eq "value"` for a list call. */
export function eqFilter(attribute: string, value: string): string {
  return `?filter=${encodeURIComponent(`${attribute} eq ${JSON.stringify(value)}`)}`;
}
