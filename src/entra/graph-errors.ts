/**
 * Graph failures as data: the status, Graph's error code and message, the request id and Retry-After, from
 * either a thrown GraphError or one response of a `$batch`. Also the conversion to the CLI's CloudError,
 * naming the missing permission on 403.
 */
import { CloudError } from '../errors.js';
import { type GraphOperation, missingPermissionHint } from './permissions.js';

/** One refused Graph call. */
export type GraphFailure = {
  status: number;
  code: string;
  message: string;
  requestId: string | null;
  retryAfterSeconds: number | null;
};

/** Thrown by the adapter for a refused Graph call; carries the operation so the right permission is named. */
export class GraphCallError extends Error {
  readonly failure: GraphFailure;
  readonly operation: GraphOperation;
  constructor(failure: GraphFailure, operation: GraphOperation) {
    super(`${failure.code}: ${failure.message}`);
    this.failure = failure;
    this.operation = operation;
  }
}

type ErrorBody = { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } };

function parseRetryAfter(value: string | null | undefined): number | null {
  if (!value) return null;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** A failure from the body of one `$batch` response (`{ id, status, headers, body }`). */
export function failureFromBatchResponse(response: {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}): GraphFailure {
  const error = (response.body as ErrorBody | undefined)?.error;
  const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status: response.status,
    code: typeof error?.code === 'string' ? error.code : `Http${response.status}`,
    message: typeof error?.message === 'string' ? error.message : `Graph answered ${response.status}`,
    requestId: (error?.innerError?.['request-id'] as string | undefined) ?? headers['request-id'] ?? null,
    retryAfterSeconds: parseRetryAfter(headers['retry-after']),
  };
}

/** A failure from anything the Graph client threw; null when it is not a Graph answer (a bug, a network error). */
export function failureOf(error: unknown): GraphFailure | null {
  if (error instanceof GraphCallError) return error.failure;
  const e = error as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    requestId?: unknown;
    headers?: { get?(name: string): string | null };
  };
  if (typeof e?.statusCode !== 'number' || e.statusCode < 100) return null;
  return {
    status: e.statusCode,
    code: typeof e.code === 'string' && e.code ? e.code : `Http${e.statusCode}`,
    message: typeof e.message === 'string' ? e.message : '',
    requestId: typeof e.requestId === 'string' ? e.requestId : null,
    retryAfterSeconds: parseRetryAfter(e.headers?.get?.('retry-after')),
  };
}

/** True when Graph says the resource does not exist. */
export function isNotFound(failure: GraphFailure): boolean {
  return failure.status === 404;
}

/** True when Graph refused a write because the object or reference already exists. */
export function isAlreadyExists(failure: GraphFailure): boolean {
  if (failure.status === 409) return true;
  return failure.status === 400 && /already exist/i.test(failure.message);
}

/** True when a delta link can no longer be used and the caller must start again with a full round. */
export function isExpiredDelta(failure: GraphFailure): boolean {
  return failure.status === 410 || /^(syncStateNotFound|resyncRequired|syncStateInvalid)$/i.test(failure.code);
}

/** The CloudError the CLI prints for a refused Graph call, with what to do about it. */
export function toCloudError(error: GraphCallError, clientId: string | null): CloudError {
  const { failure, operation } = error;
  let hint: string | undefined;
  if (failure.status === 403) hint = missingPermissionHint(operation, clientId);
  else if (failure.status === 401) hint = 'the access token was refused: check the tenant, client id and credential';
  else if (failure.status === 429) hint = 'Graph kept throttling after the retries; run the command again later';
  return new CloudError('graph', failure.code, failure.message, failure.requestId ?? undefined, hint);
}

const SIGN_IN_ERRORS = ['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError'];

/** Any error from the Entra side as the CLI should show it: Graph refusals and sign-in failures become CloudErrors. */
export function entraCloudError(error: unknown, clientId: string | null): unknown {
  if (error instanceof GraphCallError) return toCloudError(error, clientId);
  // The Graph client wraps a credential's failure in a GraphError whose code is the credential error's name.
  const e = error as { name?: unknown; code?: unknown };
  const name = SIGN_IN_ERRORS.includes(String(e?.code)) ? e.code : e?.name;
  if (SIGN_IN_ERRORS.includes(String(name))) {
    return new CloudError(
      'entra',
      String(name),
      (error as Error).message.split('\n')[0],
      undefined,
      'check the tenant (AZURE_TENANT_ID), the client id (AZURE_CLIENT_ID) and the credential (AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or az login)',
    );
  }
  return error;
}
