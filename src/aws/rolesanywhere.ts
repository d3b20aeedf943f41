/**
 * IAM Roles Anywhere over its REST-JSON API, sent by hand with fetch and signed by the AWS SDK's own SigV4 signer
 * (`@smithy/signature-v4`, signing name `rolesanywhere`). The SDK's client for this service is not used: on the
 * registry the product installs from it exists only at 3.332.0, years behind the other clients and with vulnerable
 * transitive dependencies. This client does what the SDK's would, as far as `replace` needs: the product's
 * credentials and endpoint settings, the product's retry rule (src/aws/retry.ts), the request counter, and errors
 * shaped like the SDK's (name, `$metadata`, `$fault`, `$operation`) so `toCloudError` explains them.
 *
 * Wire shapes: IAM Roles Anywhere API Reference and its service model (botocore rolesanywhere/2018-05-10,
 * protocol rest-json): CreateTrustAnchor `POST /trustanchors` {name, source:{sourceType, sourceData:
 * {x509CertificateData}}, enabled, tags:[{key,value}]} -> 201 {trustAnchor}; ListTrustAnchors `GET /trustanchors
 * ?nextToken=&pageSize=` -> {trustAnchors, nextToken}; DeleteTrustAnchor `DELETE /trustanchor/{trustAnchorId}` ->
 * {trustAnchor}; CreateProfile `POST /profiles` {name, roleArns, durationSeconds, enabled, tags} -> 201 {profile};
 * ListProfiles `GET /profiles` -> {profiles, nextToken}; DeleteProfile `DELETE /profile/{profileId}` -> {profile}.
 * Errors: HTTP status with the `x-amzn-ErrorType` header (`Name:detail` in some responses) and a `{message}` body
 * (ValidationException 400, AccessDeniedException 403, ResourceNotFoundException 404; throttling 429).
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, SourceData } from '@smithy/types';
import type { ProfileFacts, RolesAnywherePort, TrustAnchorFacts } from '../iam-changes/rolesanywhere-port.js';
import type { ApiCallCounter } from './clients.js';
import { boundedRetryStrategy } from './retry.js';

/** SHA-256 (and its HMAC) for the signer, from node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** What the client needs: where, as whom, and the product's retry budget and counter. */
export type RolesAnywhereOptions = {
  region: string;
  credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** The product's endpoint override (`--endpoint-url`, AWS_ENDPOINT_URL, the profile's endpoint_url). */
  endpoint?: string;
  maxAttempts: number;
  counter?: ApiCallCounter;
  env?: NodeJS.ProcessEnv;
  /** Base of the retry backoff in ms (tests shorten it). */
  backoffMs?: number;
};

/** The endpoint: the override, AWS_ENDPOINT_URL_ROLESANYWHERE, AWS_ENDPOINT_URL, or AWS's for the region. */
export function rolesAnywhereEndpoint(region: string, endpoint?: string, env: NodeJS.ProcessEnv = process.env): string {
  // Endpoint rule set (botocore rolesanywhere endpoint-rule-set-1): rolesanywhere.{region}.{dnsSuffix}.
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return (
    endpoint ??
    env.AWS_ENDPOINT_URL_ROLESANYWHERE ??
    env.AWS_ENDPOINT_URL ??
    `https://rolesanywhere.${region}.${suffix}`
  );
}

/** An error answer (or a failed connection), shaped like the SDK's service exceptions. */
export class RolesAnywhereError extends Error {
  $metadata: { httpStatusCode?: number; requestId?: string; attempts: number };
  $fault: 'client' | 'server';
  $service = 'rolesanywhere';
  $client = 'rolesanywhere';
  $operation: string;
  constructor(name: string, message: string, operation: string, status?: number, requestId?: string, attempts = 1) {
    super(message);
    this.name = name;
    this.$operation = operation;
    this.$fault = status !== undefined && status < 500 ? 'client' : 'server';
    this.$metadata = { httpStatusCode: status, requestId, attempts };
  }
}

type Request = { operation: string; method: 'GET' | 'POST' | 'DELETE'; path: string; query?: Record<string, string> };

/** The error type of an answer: the x-amzn-ErrorType header, else the body's `__type` or `code` (namespace cut). */
function errorTypeOf(headers: Headers, body: Record<string, unknown>, status: number): string {
  const raw =
    headers.get('x-amzn-errortype') ??
    (typeof body.__type === 'string' ? body.__type : typeof body.code === 'string' ? body.code : '');
  const name = raw.split(':')[0].split('#').pop() ?? '';
  return name || (status === 429 ? 'ThrottlingException' : status >= 500 ? 'InternalServerException' : 'Unknown');
}

function retryKind(error: RolesAnywhereError): 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR' {
  const status = error.$metadata.httpStatusCode;
  if (status === 429 || /Throttl|TooManyRequests|RequestLimitExceeded/.test(error.name)) return 'THROTTLING';
  if (status === undefined) return 'TRANSIENT';
  return status >= 500 ? 'SERVER_ERROR' : 'CLIENT_ERROR';
}

/** Sends signed requests, retried by the product's rule. */
function sender(options: RolesAnywhereOptions) {
  const base = new URL(rolesAnywhereEndpoint(options.region, options.endpoint, options.env));
  const signer = new SignatureV4({
    service: 'rolesanywhere',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  const bump = (map: Map<string, number> | undefined, key: string) => map?.set(key, (map.get(key) ?? 0) + 1);
  const once = async (req: Request, body: string | undefined, attempt: number) => {
    const path = `${base.pathname.replace(/\/$/, '')}${req.path}`;
    const signed = await signer.sign({
      method: req.method,
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port ? Number(base.port) : undefined,
      path,
      query: req.query ?? {},
      headers: {
        host: base.host,
        'user-agent': 'iam2sso app/iam2sso',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body,
    });
    const url = new URL(`${base.origin}${path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
    let response: Response;
    try {
      response = await fetch(url, { method: req.method, headers, body, signal: AbortSignal.timeout(60_000) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      const error = new RolesAnywhereError(
        (e as Error).name === 'TimeoutError' ? 'TimeoutError' : 'NetworkingError',
        (e as Error).message,
        req.operation,
        undefined,
        undefined,
        attempt,
      );
      if (cause?.code) Object.assign(error, { code: cause.code });
      throw error;
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      if (response.ok) throw new RolesAnywhereError('SyntaxError', 'non-JSON body', req.operation, response.status);
    }
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    if (!response.ok) {
      const message = String(parsed.message ?? parsed.Message ?? `HTTP ${response.status}`);
      const name = errorTypeOf(response.headers, parsed, response.status);
      throw new RolesAnywhereError(name, message, req.operation, response.status, requestId, attempt);
    }
    return parsed;
  };
  return async (req: Request, payload?: unknown): Promise<Record<string, unknown>> => {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const retry = boundedRetryStrategy(options.maxAttempts, options.backoffMs);
    let token = await retry.acquireInitialRetryToken('rolesanywhere');
    bump(options.counter?.calls, `rolesanywhere:${req.operation}`);
    for (let attempt = 1; ; attempt++) {
      bump(options.counter?.attempts, `rolesanywhere:${req.operation}`);
      try {
        return await once(req, body, attempt);
      } catch (e) {
        if (!(e instanceof RolesAnywhereError)) throw e;
        try {
          token = await retry.refreshRetryTokenForRetry(token, { errorType: retryKind(e) });
        } catch {
          throw e;
        }
        await new Promise((r) => setTimeout(r, token.getRetryDelay()));
      }
    }
  };
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

function anchorOf(raw: Record<string, unknown>): TrustAnchorFacts {
  const source = raw.source as { sourceType?: string } | undefined;
  return {
    id: String(raw.trustAnchorId ?? ''),
    arn: String(raw.trustAnchorArn ?? ''),
    name: String(raw.name ?? ''),
    enabled: raw.enabled === true,
    sourceType: source?.sourceType ?? '',
  };
}

function profileOf(raw: Record<string, unknown>): ProfileFacts {
  return {
    id: String(raw.profileId ?? ''),
    arn: String(raw.profileArn ?? ''),
    name: String(raw.name ?? ''),
    enabled: raw.enabled === true,
    roleArns: Array.isArray(raw.roleArns) ? raw.roleArns.map(String) : [],
    durationSeconds: typeof raw.durationSeconds === 'number' ? raw.durationSeconds : null,
  };
}

const gone = (e: unknown) => e instanceof RolesAnywhereError && e.name === 'ResourceNotFoundException';

/** The Roles Anywhere port over signed REST calls. */
export function rolesAnywhereClient(options: RolesAnywhereOptions): RolesAnywherePort {
  const send = sender(options);
  const list = async (req: Request, field: string) => {
    const out: Record<string, unknown>[] = [];
    let nextToken: string | undefined;
    do {
      const query: Record<string, string> = { pageSize: '100', ...(nextToken ? { nextToken } : {}) };
      const page = await send({ ...req, query });
      out.push(...((page[field] as Record<string, unknown>[] | undefined) ?? []));
      nextToken = typeof page.nextToken === 'string' && page.nextToken ? page.nextToken : undefined;
    } while (nextToken);
    return out;
  };
  const remove = async (req: Request) => {
    try {
      await send(req);
    } catch (e) {
      if (!gone(e)) throw e;
    }
  };
  return {
    listTrustAnchors: async () =>
      (await list({ operation: 'ListTrustAnchors', method: 'GET', path: '/trustanchors' }, 'trustAnchors')).map(
        anchorOf,
      ),
    async createTrustAnchor(input) {
      const out = await send(
        { operation: 'CreateTrustAnchor', method: 'POST', path: '/trustanchors' },
        {
          name: input.name,
          enabled: true,
          source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: input.certificateBundle } },
          tags: tagList(input.tags),
        },
      );
      return anchorOf(out.trustAnchor as Record<string, unknown>);
    },
    deleteTrustAnchor: (id) =>
      remove({ operation: 'DeleteTrustAnchor', method: 'DELETE', path: `/trustanchor/${encodeURIComponent(id)}` }),
    listProfiles: async () =>
      (await list({ operation: 'ListProfiles', method: 'GET', path: '/profiles' }, 'profiles')).map(profileOf),
    async createProfile(input) {
      const out = await send(
        { operation: 'CreateProfile', method: 'POST', path: '/profiles' },
        {
          name: input.name,
          enabled: true,
          roleArns: input.roleArns,
          durationSeconds: input.durationSeconds,
          tags: tagList(input.tags),
        },
      );
      return profileOf(out.profile as Record<string, unknown>);
    },
    deleteProfile: (id) =>
      remove({ operation: 'DeleteProfile', method: 'DELETE', path: `/profile/${encodeURIComponent(id)}` }),
  };
}
