/** Small HTTP helpers shared by the Entra front ends (OAuth, Graph, SAML): public base URLs and responses. */
import type { SandboxRequest, SandboxResponse } from '../server/http-types.js';
import { header } from '../server/http-types.js';
import type { EntraState } from '../world/entra-state.js';

/** The scheme and host the client used: https when the request came through the TLS front. */
export function publicBase(request: SandboxRequest, entra: EntraState | undefined): string {
  const host = header(request, 'host') ?? request.url.host;
  if (entra?.httpsEndpoint && new URL(entra.httpsEndpoint).host === host) return entra.httpsEndpoint;
  return `http://${host}`;
}

/** A JSON response. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** An XML response. */
export function xmlResponse(status: number, xml: string): SandboxResponse {
  return { status, headers: { 'content-type': 'application/xml; charset=utf-8' }, body: xml };
}
