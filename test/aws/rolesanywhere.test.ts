import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiCallCounter } from '../../src/aws/clients.js';
import { toCloudError } from '../../src/aws/errors.js';
import { rolesAnywhereClient, rolesAnywhereEndpoint } from '../../src/aws/rolesanywhere.js';
import { CloudError } from '../../src/errors.js';

type Answer = { status: number; headers?: Record<string, string>; body: unknown };
type Seen = { method: string; url: string; authorization: string; body: string };

/** A stand-in endpoint that answers from a queue and records each request. */
describe('the signed IAM Roles Anywhere client', () => {
  const answers: Answer[] = [];
  const seen: Seen[] = [];
  let endpoint = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '', body });
      const a = answers.shift() ?? { status: 500, body: {} };
      res.writeHead(a.status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1', ...a.headers });
      res.end(JSON.stringify(a.body));
    });
  });
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  const client = (counter = new ApiCallCounter()) =>
    rolesAnywhereClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      endpoint,
      maxAttempts: 4,
      counter,
      backoffMs: 1,
    });

  it('signs for the rolesanywhere service and follows nextToken through every page', async () => {
    seen.length = 0;
    answers.push(
      { status: 200, body: { trustAnchors: [{ trustAnchorId: 'a', name: 'x', enabled: true }], nextToken: 'p2' } },
      { status: 200, body: { trustAnchors: [{ trustAnchorId: 'b', name: 'y' }] } },
    );
    const anchors = await client().listTrustAnchors();
    assert.deepEqual(
      anchors.map((a) => a.id),
      ['a', 'b'],
    );
    assert.match(seen[0].authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/rolesanywhere\//);
    assert.deepEqual(
      seen.map((s) => s.url),
      ['/trustanchors?pageSize=100', '/trustanchors?pageSize=100&nextToken=p2'],
    );
  });

  it('retries a throttled create and sends the body the API reference gives', async () => {
    seen.length = 0;
    const counter = new ApiCallCounter();
    answers.push(
      { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { message: 'slow down' } },
      { status: 201, body: { profile: { profileId: 'p', profileArn: 'arn:aws:rolesanywhere:eu-west-1:1:profile/p' } } },
    );
    const made = await client(counter).createProfile({
      name: 'n',
      roleArns: ['arn:aws:iam::1:role/r'],
      durationSeconds: 3600,
      tags: { 'managed-by': 'iam2sso' },
    });
    assert.equal(made.arn, 'arn:aws:rolesanywhere:eu-west-1:1:profile/p');
    assert.deepEqual(JSON.parse(seen[1].body), {
      name: 'n',
      enabled: true,
      roleArns: ['arn:aws:iam::1:role/r'],
      durationSeconds: 3600,
      tags: [{ key: 'managed-by', value: 'iam2sso' }],
    });
    assert.deepEqual([counter.total, counter.retries], [2, 1]);
  });

  it('turns an error answer into an SDK-shaped error that toCloudError explains, without retrying it', async () => {
    seen.length = 0;
    answers.push({
      status: 400,
      headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/' },
      body: { message: 'bad name' },
    });
    const error = await client()
      .createTrustAnchor({ name: '!', certificateBundle: 'x', tags: {} })
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'ValidationException');
    const cloud = toCloudError(error, 'rolesanywhere', '111111111111');
    assert.ok(cloud instanceof CloudError);
    assert.match(
      cloud.message,
      /CreateTrustAnchor in 111111111111: HTTP 400 ValidationException: bad name \(request req-1\)/,
    );
    assert.equal(seen.length, 1);
  });

  it('treats deleting what is already gone as done', async () => {
    answers.push({ status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException' }, body: { message: 'x' } });
    await client().deleteProfile('gone');
  });

  it('reaches AWS at rolesanywhere.REGION unless an endpoint is given', () => {
    assert.equal(rolesAnywhereEndpoint('eu-west-1', undefined, {}), 'https://rolesanywhere.eu-west-1.amazonaws.com');
    assert.equal(
      rolesAnywhereEndpoint('cn-north-1', undefined, {}),
      'https://rolesanywhere.cn-north-1.amazonaws.com.cn',
    );
    assert.equal(
      rolesAnywhereEndpoint('eu-west-1', undefined, { AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://x' }),
      'http://x',
    );
  });
});
