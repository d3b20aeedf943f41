/**
 * The REST-JSON protocol of the portal (`sso`) and OIDC (`sso-oidc`) APIs: JSON bodies, the error's shape name in
 * `x-amzn-ErrorType` (botocore and the SDKs read it from there), OIDC errors as `{error, error_description}` and
 * portal errors as `{message}`. Source: the `sso` and `sso-oidc` 2019-06-10 service models in botocore
 * (`botocore/data/sso/2019-06-10/service-2.json`, `sso-oidc/2019-06-10/service-2.json`): protocol rest-json.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxResponse } from '../server/http-types.js';

/** A JSON success. */
export function restJson(status: number, value: unknown): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
    body: value === undefined ? '' : JSON.stringify(value),
  };
}

/** An error of the portal API (`message`). */
export function portalError(status: number, type: string, message: string): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ message }),
  };
}

/** An error of the OIDC API (`error` code and `error_description`, the OAuth names). */
export function oidcError(status: number, type: string, error: string, description: string): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ error, error_description: description }),
  };
}

/** An HTML page. */
export function htmlPage(
  status: number,
  title: string,
  body: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
    body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`,
  };
}

/** A redirect to a path of this server (relative, so http and the TLS front both keep their scheme). */
export function redirect(location: string, headers: Record<string, string> = {}): SandboxResponse {
  return { status: 302, headers: { location, ...headers }, body: '' };
}
