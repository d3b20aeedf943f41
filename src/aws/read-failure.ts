/**
 * One failed AWS read, described so a person can act on it: the service, the operation, the account, the HTTP
 * status and the error code, also when the answer was not the protocol's XML or JSON (an HTML page from a proxy
 * or load balancer makes the SDK fail while parsing) or when there was no answer at all.
 */
import type { UnreadItem } from '../core/model.js';

type SdkError = Error & {
  code?: string;
  /** Set by the request counter in clients.ts: the operation and the client that failed. */
  $operation?: string;
  $client?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $response?: { statusCode?: number; headers?: Record<string, string> };
};

/** A failed read: where, what and how. */
export type ReadFailure = {
  service: string;
  operation: string;
  accountId: string;
  /** The HTTP status, or null when no answer came (connection reset, timeout, DNS). */
  httpStatus: number | null;
  /** The AWS error code, or what went wrong below the protocol (NonXmlBody, ECONNRESET, TimeoutError). */
  code: string;
  message: string;
  requestId?: string;
  attempts?: number;
};

const SERVICE_LABEL: Record<string, string> = {
  iam: 'IAM',
  sts: 'STS',
  organizations: 'Organizations',
  cloudtrail: 'CloudTrail',
  sso: 'SSO Admin',
  identitystore: 'Identity Store',
  rolesanywhere: 'IAM Roles Anywhere',
};

/** Codes that mean "not allowed": retrying cannot help, the permission or an SCP must change. */
const DENIALS = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess|Forbidden)$/;

/** True when the error is a permission refusal. */
export function isDenial(failure: Pick<ReadFailure, 'code'>): boolean {
  return DENIALS.test(failure.code);
}

function jsonService(service: string): boolean {
  return service !== 'iam' && service !== 'sts';
}

/**
 * Describes an SDK (or network) error from one call; the service and operation recorded on the error by the
 * clients win over the ones given (which name the read as a whole).
 */
export function readFailureOf(error: unknown, service: string, operation: string, accountId: string): ReadFailure {
  const e = (error instanceof Error ? error : new Error(String(error))) as SdkError;
  service = e.$client ?? service;
  operation = e.$operation ?? operation;
  const httpStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode ?? null;
  const base = { service, operation, accountId, requestId: e.$metadata?.requestId, attempts: e.$metadata?.attempts };
  const network = e.code && /^E[A-Z]+$/.test(e.code) ? e.code : undefined;
  if (network || (httpStatus === null && /Timeout|Abort/.test(e.name))) {
    const code = network ?? e.name;
    const what =
      code === 'ECONNRESET'
        ? 'the connection was reset'
        : code === 'ECONNREFUSED'
          ? 'the connection was refused'
          : code === 'ENOTFOUND'
            ? 'the host name did not resolve'
            : /Timeout|ETIMEDOUT/.test(code)
              ? 'no answer in time'
              : e.message;
    return { ...base, httpStatus: null, code, message: what };
  }
  // The SDK names an unparseable error body `Unknown` (XML protocols) or throws the parser's SyntaxError (JSON).
  const unparsed = e.name === 'SyntaxError' || (e.name === 'Unknown' && !e.$metadata?.requestId);
  if (unparsed && httpStatus !== null) {
    const kind = jsonService(service) ? 'non-JSON' : 'non-XML';
    return { ...base, httpStatus, code: kind === 'non-JSON' ? 'NonJsonBody' : 'NonXmlBody', message: `${kind} body` };
  }
  return { ...base, httpStatus, code: e.name || 'Error', message: e.message };
}

/** One line: `IAM ListServiceSpecificCredentials in 123456789012: HTTP 503 (non-XML body)`. */
export function describeReadFailure(f: ReadFailure): string {
  const where = `${SERVICE_LABEL[f.service] ?? f.service} ${f.operation} in ${f.accountId}`;
  const request = f.requestId ? ` (request ${f.requestId})` : '';
  if (f.code === 'NonXmlBody' || f.code === 'NonJsonBody') return `${where}: HTTP ${f.httpStatus} (${f.message})`;
  if (f.httpStatus === null) return `${where}: ${f.message} (${f.code})`;
  return `${where}: HTTP ${f.httpStatus} ${f.code}: ${f.message}${request}`;
}

/** What a person can do about a failed call (the audit's reads, and the calls of apply and sync). */
export function adviceFor(f: ReadFailure): string {
  if (isDenial(f))
    return `allow ${f.service}:${f.operation} for the role iam2sso uses in ${f.accountId} (check SCPs and permission boundaries too), then run the command again`;
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(f.code))
    return 'AWS kept throttling after the retries: run the command again later (an audit also with a lower --concurrency)';
  if (f.httpStatus === null || (f.httpStatus ?? 0) >= 500)
    return 'the endpoint failed after the retries: check the network, proxy or endpoint URL, then run the command again';
  return 'fix the cause named above and run the command again';
}

/** A failed optional read as the snapshot keeps it. */
export function unreadItem(f: ReadFailure, affects: string): UnreadItem {
  return {
    service: f.service,
    operation: f.operation,
    code: f.code,
    httpStatus: f.httpStatus,
    message: describeReadFailure(f),
    affects,
  };
}

/** A required read failed: the account cannot be audited. Carries the failure for the message. */
export class RequiredReadFailed extends Error {
  readonly failure: ReadFailure;
  constructor(failure: ReadFailure) {
    super(describeReadFailure(failure));
    this.failure = failure;
  }
}
