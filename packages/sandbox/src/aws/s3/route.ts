/**
 * Amazon S3 as far as reading a CloudTrail bucket needs: ListObjectsV2 and GetObject (and HeadObject), REST-XML,
 * path-style addressing (`/<bucket>/<key>`; clients set forcePathStyle), SigV4 with the service name `s3`.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * Only the organization trail's bucket exists; principals of the organization's accounts may read it.
 */
import { header, type Route, type SandboxRequest, type SandboxResponse } from '../../server/http-types.js';
import { parseSigV4Header } from '../../server/sigv4.js';
import type { World } from '../../world/world.js';
import { authenticate } from '../caller.js';
import { type Bucket, orgTrailBucket, sortedKeys } from './org-trail.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}

function s3Error(status: number, code: string, message: string, requestId: string, extra = ''): SandboxResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`;
  return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
}

function listObjects(bucket: Bucket, query: URLSearchParams, requestId: string): SandboxResponse {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = Math.min(1000, Math.max(0, Number(query.get('max-keys') ?? 1000) || 1000));
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after') ?? '';
  let after = startAfter;
  if (token) {
    try {
      after = Buffer.from(token, 'base64url').toString('utf8');
    } catch {
      return s3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', requestId);
    }
  }
  const contents: string[] = [];
  const prefixes: string[] = [];
  let last = '';
  let truncated = false;
  for (const key of sortedKeys(bucket)) {
    if (key <= after || !key.startsWith(prefix)) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter.length);
      if (prefixes.at(-1) !== common) prefixes.push(common);
      // Skip the rest of this common prefix.
      last = `${common}\uffff`;
      after = last;
      continue;
    }
    const o = bucket.objects.get(key)!;
    contents.push(
      `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    );
    last = key;
  }
  const parts = [
    `<Name>${bucket.name}</Name>`,
    `<Prefix>${xmlEscape(prefix)}</Prefix>`,
    `<KeyCount>${contents.length + prefixes.length}</KeyCount>`,
    `<MaxKeys>${maxKeys}</MaxKeys>`,
    delimiter ? `<Delimiter>${xmlEscape(delimiter)}</Delimiter>` : '',
    `<IsTruncated>${truncated}</IsTruncated>`,
    token ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : '',
    truncated ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>` : '',
    startAfter ? `<StartAfter>${xmlEscape(startAfter)}</StartAfter>` : '',
    ...contents,
    ...prefixes.map((p) => `<CommonPrefixes><Prefix>${xmlEscape(p)}</Prefix></CommonPrefixes>`),
  ];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${XMLNS}">${parts.join('')}</ListBucketResult>`;
  return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId }, body };
}

function getObject(bucket: Bucket, key: string, head: boolean, requestId: string): SandboxResponse {
  const o = bucket.objects.get(key);
  if (!o) {
    if (head) return { status: 404, headers: { 'x-amz-request-id': requestId }, body: '' };
    return s3Error(404, 'NoSuchKey', 'The specified key does not exist.', requestId, `<Key>${xmlEscape(key)}</Key>`);
  }
  return {
    status: 200,
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(o.body.length),
      etag: o.etag,
      'last-modified': o.lastModified.toUTCString(),
      'x-amz-request-id': requestId,
    },
    body: head ? '' : o.body,
  };
}

function serve(world: World, request: SandboxRequest): SandboxResponse {
  const requestId = world.nextRequestId().replace(/-/g, '').slice(0, 16).toUpperCase();
  const auth = parseSigV4Header(header(request, 'authorization'));
  if (!auth) return s3Error(403, 'AccessDenied', 'Access Denied', requestId);
  const caller = authenticate(world, request, auth);
  if (caller === 'bad-signature')
    return s3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      requestId,
    );
  if (typeof caller === 'string')
    return s3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      requestId,
    );
  const path = request.url.pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucketName = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
  const key = slash < 0 ? '' : decodeURIComponent(path.slice(slash + 1));
  const bucket = orgTrailBucket(world, bucketName);
  if (!bucket)
    return s3Error(
      404,
      'NoSuchBucket',
      'The specified bucket does not exist',
      requestId,
      `<BucketName>${xmlEscape(bucketName)}</BucketName>`,
    );
  if (
    !world.accounts.has(caller.accountId) ||
    (world.organization && !world.organization.accounts.has(caller.accountId))
  )
    return s3Error(403, 'AccessDenied', 'Access Denied', requestId);
  if (!key) return listObjects(bucket, request.url.searchParams, requestId);
  return getObject(bucket, key, request.method === 'HEAD', requestId);
}

/** The route for S3 requests (GET and HEAD signed for the `s3` service). */
export function createS3Route(world: World): Route {
  return {
    name: 's3',
    matches: (request) =>
      (request.method === 'GET' || request.method === 'HEAD') &&
      /\/s3\/aws4_request/.test(header(request, 'authorization') ?? ''),
    handle: (request) => serve(world, request),
  };
}
