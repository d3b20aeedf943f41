/**
 * Verification of AWS Signature Version 4 on incoming requests, as AWS does it: the canonical
 * request is rebuilt from what was received and signed with the secret the sandbox holds for the key.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One-shot SHA-256 hex (`crypto.hash` where Node has it, 20.12+: cheaper than a Hash object per call). */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;
function sha256Hex(data: string | Buffer): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

export type SigV4Header = {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
};

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

/** Parses an `Authorization: AWS4-HMAC-SHA256 ...` header; undefined when it is missing or malformed. */
export function parseSigV4Header(authorization: string | undefined): SigV4Header | undefined {
  if (!authorization) return undefined;
  const m = AUTH_RE.exec(authorization.trim());
  if (!m) return undefined;
  return {
    accessKeyId: m[1],
    date: m[2],
    region: m[3],
    service: m[4],
    signedHeaders: m[5].split(';'),
    signature: m[6],
  };
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(search: string): string {
  if (!search || search === '?') return '';
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const i = p.indexOf('=');
      const k = decodeURIComponent((i < 0 ? p : p.slice(0, i)).replace(/\+/g, ' '));
      const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1).replace(/\+/g, ' '));
      return [rfc3986(k), rfc3986(v)] as const;
    });
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalPath(rawPath: string): string {
  const segments = rawPath.split('/').map((s) => rfc3986(decodeURIComponent(s)));
  // Non-S3 services encode each segment twice in the canonical request.
  return segments.map((s) => rfc3986(s)).join('/') || '/';
}

/** Derived signing keys by secret and scope: they change once a day, so most requests reuse one. */
const signingKeys = new Map<string, Buffer>();

function signingKey(secretAccessKey: string, auth: SigV4Header): Buffer {
  const id = `${auth.date}/${auth.region}/${auth.service}/${secretAccessKey}`;
  let key = signingKeys.get(id);
  if (key) return key;
  key = createHmac('sha256', `AWS4${secretAccessKey}`).update(auth.date).digest();
  for (const part of [auth.region, auth.service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  if (signingKeys.size >= 10_000) signingKeys.clear();
  signingKeys.set(id, key);
  return key;
}

export type SignedRequest = {
  method: string;
  /** Path and query exactly as received. */
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

/** True when the request's signature matches the one computed with `secretAccessKey`. */
export function verifySigV4(request: SignedRequest, auth: SigV4Header, secretAccessKey: string): boolean {
  const q = request.rawUrl.indexOf('?');
  const path = q < 0 ? request.rawUrl : request.rawUrl.slice(0, q);
  const search = q < 0 ? '' : request.rawUrl.slice(q);
  const headerLines = auth.signedHeaders.map((name) => {
    const raw = request.headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
    return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  });
  const declared = request.headers['x-amz-content-sha256'];
  const payloadHash = typeof declared === 'string' && declared.length > 0 ? declared : sha256Hex(request.body);
  const canonical = [
    request.method,
    canonicalPath(path),
    canonicalQuery(search),
    headerLines.join(''),
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const expected = createHmac('sha256', signingKey(secretAccessKey, auth)).update(stringToSign).digest();
  const given = Buffer.from(auth.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
