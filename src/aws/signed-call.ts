/**
 * Signed calls to the two services iam2sso reaches without an SDK client (EventBridge over JSON 1.1, SNS over the
 * Query protocol): SigV4 by @smithy/signature-v4 (the signer inside every AWS SDK v3 client, installed with them),
 * the product's credentials and endpoint settings (`--endpoint-url`, AWS_ENDPOINT_URL_EVENTS / _SNS,
 * AWS_ENDPOINT_URL), bounded retries on throttling and server errors, and errors shaped like the SDK's (`name` is
 * the AWS error code, `$metadata` carries the request id) so the executor and `toCloudError` read them the same way.
 * When @aws-sdk/client-eventbridge and @aws-sdk/client-sns are added, `alarm-client.ts` can move to them unchanged
 * behind its port.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { XMLParser } from 'fast-xml-parser';

/** Where and as whom a signed call goes. */
export type SignedTarget = {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
};

/** Node's SHA-256 in the shape the signer takes (a Checksum constructor, HMAC when given a secret). */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

/** An AWS error answer, with the fields the SDK's errors carry. */
export class AwsCallError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  readonly $fault: 'client' | 'server';
  constructor(code: string, message: string, status: number, requestId?: string) {
    super(message);
    this.name = code;
    this.$metadata = { httpStatusCode: status, requestId };
    this.$fault = status >= 500 ? 'server' : 'client';
  }
}

const RETRYABLE = /Throttl|TooManyRequests|RequestLimitExceeded|ServiceUnavailable|InternalError|InternalFailure/;

/** The endpoint of a service: the override, its AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, or the public one. */
export function endpointOf(target: SignedTarget, service: 'events' | 'sns', env = process.env): string {
  return (
    target.endpoint ??
    env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ??
    env.AWS_ENDPOINT_URL ??
    `https://${service}.${target.region}.amazonaws.com`
  );
}

async function send(
  target: SignedTarget,
  service: 'events' | 'sns',
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; requestId?: string }> {
  const url = new URL(endpointOf(target, service));
  const signer = new SignatureV4({
    service,
    region: target.region,
    credentials: target.credentials,
    sha256: NodeSha256 as never,
  });
  for (let attempt = 1; ; attempt++) {
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname || '/',
      headers: { host: url.host, 'user-agent': 'iam2sso app/iam2sso', ...headers },
      body,
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    const requestId = res.headers.get('x-amzn-requestid') ?? undefined;
    const retry = (res.status >= 500 || RETRYABLE.test(text.slice(0, 300))) && res.status !== 200 && attempt < 4;
    if (!retry) return { status: res.status, text, requestId };
    await new Promise((r) => setTimeout(r, 200 * 2 ** attempt * Math.random()));
  }
}

/** An EventBridge call (JSON 1.1, `X-Amz-Target: AWSEvents.<action>`); throws AwsCallError on an error answer. */
export async function eventsCall<T>(target: SignedTarget, action: string, input: object): Promise<T> {
  const out = await send(target, 'events', JSON.stringify(input), {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AWSEvents.${action}`,
  });
  const parsed = out.text ? (JSON.parse(out.text) as Record<string, unknown>) : {};
  if (out.status !== 200) {
    const code =
      String(parsed.__type ?? 'UnknownError')
        .split('#')
        .pop() ?? 'UnknownError';
    throw new AwsCallError(code, String(parsed.message ?? parsed.Message ?? out.text), out.status, out.requestId);
  }
  return parsed as T;
}

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'member' || name === 'entry',
});

/** An SNS call (Query protocol); returns the `<ActionResult>` element parsed. */
export async function snsCall(
  target: SignedTarget,
  action: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ Action: action, Version: '2010-03-31', ...params }).toString();
  const out = await send(target, 'sns', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
  const doc = xml.parse(out.text) as Record<string, Record<string, unknown>>;
  if (out.status !== 200) {
    const error = (doc.ErrorResponse?.Error ?? {}) as { Code?: string; Message?: string };
    throw new AwsCallError(error.Code ?? 'UnknownError', error.Message ?? out.text, out.status, out.requestId);
  }
  return (doc[`${action}Response`]?.[`${action}Result`] ?? {}) as Record<string, unknown>;
}
