/**
 * Signed requests to services whose SDK clients the workspace does not install (EventBridge, SNS): SigV4 by
 * @smithy/signature-v4 (the signer inside every AWS SDK v3 client), JSON 1.1 or Query bodies, raw answers.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RunningSandbox } from '../../src/index.js';

class Sha256 {
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

/** Sends one signed request to the sandbox and returns the status and body text. */
export async function signedCall(
  sandbox: RunningSandbox,
  service: 'events' | 'sns',
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const url = new URL(sandbox.info.endpoint);
  const signer = new SignatureV4({
    service,
    region: sandbox.info.region,
    credentials: sandbox.info.credentials,
    sha256: Sha256 as never,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, ...headers },
    body,
  });
  const res = await fetch(sandbox.info.endpoint, { method: 'POST', headers: signed.headers, body });
  return { status: res.status, text: await res.text() };
}

/** A REST-JSON call (Roles Anywhere): method, path and JSON body, signed for `service`; the status and parsed body. */
export async function restCall(
  sandbox: RunningSandbox,
  service: string,
  method: string,
  path: string,
  input?: object,
  // biome-ignore lint/suspicious/noExplicitAny: the answers are untyped JSON the tests read field by field
): Promise<any> {
  const url = new URL(sandbox.info.endpoint);
  const body = input ? JSON.stringify(input) : undefined;
  const signer = new SignatureV4({
    service,
    region: sandbox.info.region,
    credentials: sandbox.info.credentials,
    sha256: Sha256 as never,
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    headers: { host: url.host, ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  const res = await fetch(`${sandbox.info.endpoint}${path}`, { method, headers: signed.headers, body });
  const parsed = (await res.json()) as Record<string, unknown>;
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), ...parsed };
}

/** An EventBridge call (JSON 1.1, `AWSEvents.<action>`); the parsed answer. */
// biome-ignore lint/suspicious/noExplicitAny: the answers are untyped JSON the tests read field by field
export async function eventsCall(sandbox: RunningSandbox, action: string, input: object): Promise<any> {
  const out = await signedCall(sandbox, 'events', JSON.stringify(input), {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AWSEvents.${action}`,
  });
  return { status: out.status, ...JSON.parse(out.text) };
}

/** An SNS call (Query); the XML answer. */
export async function snsCall(
  sandbox: RunningSandbox,
  params: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const body = new URLSearchParams({ Version: '2010-03-31', ...params }).toString();
  return signedCall(sandbox, 'sns', body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
}
