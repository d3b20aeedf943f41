/**
 * Contract tests: Identity Center SCIM behaviours the sandbox must share with AWS, each with the page of AWS's
 * "IAM Identity Center SCIM Implementation" developer guide it follows. Remaining guesses: GUESSES.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '../src/index.js';
import { createSsoInstance } from '../src/world/bootstrap.js';
import { startTestSandbox } from './helpers/sandbox.js';

type Json = Record<string, unknown>;
type Reply = { status: number; body: Json };

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UNPARSABLE = 'Request is unparsable, syntactically incorrect, or violates schema.';

describe('sandbox SCIM fidelity (AWS IAM Identity Center)', () => {
  let sandbox: RunningSandbox;
  let endpoint: string;
  let token: string;

  async function scim(method: string, path: string, body?: unknown): Promise<Reply> {
    const r = await fetch(`${endpoint}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  async function createUser(userName: string): Promise<string> {
    const r = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName,
      displayName: userName,
      name: { givenName: 'G', familyName: 'F' },
      active: true,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  }

  before(async () => {
    sandbox = await startTestSandbox();
    if (!sandbox.world.sso) createSsoInstance(sandbox.world, sandbox.info.managementAccountId);
    const created = await fetch(`${sandbox.info.endpoint}/_sandbox/identity-center/scim/tokens`, { method: 'POST' });
    const body = (await created.json()) as Json;
    token = body.token as string;
    endpoint = body.endpoint as string;
  });
  after(() => sandbox.close());

  // Source: CreateUser and CreateGroup pages, Errors tables: 409 ConflictException "Refused to create a new,
  // duplicate resource." (no scimType in AWS's bodies).
  it('answers a duplicate user and a duplicate group with the same 409 text and no scimType', async () => {
    await createUser('dup@example.com');
    const user = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'DUP@example.com',
      displayName: 'x',
      name: { givenName: 'a', familyName: 'b' },
    });
    const group = { schemas: [GROUP_SCHEMA], displayName: 'Dup Group' };
    assert.equal((await scim('POST', '/Groups', group)).status, 201);
    const again = await scim('POST', '/Groups', group);
    for (const r of [user, again]) {
      assert.equal(r.status, 409);
      assert.equal(r.body.detail, 'Refused to create a new, duplicate resource.');
      assert.equal('scimType' in r.body, false);
    }
  });

  // Source: PatchGroup and CreateGroup pages (at most 100 member changes per request) and their Errors tables,
  // which give the generic ValidationException text.
  it('refuses more than 100 member changes in one request with the generic 400 text', async () => {
    const created = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Big Group' });
    const ids = Array.from({ length: 101 }, (_, i) => ({
      value: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    const patch = await scim('PATCH', `/Groups/${created.body.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: ids }],
    });
    const create = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Too Big', members: ids });
    for (const r of [patch, create]) {
      assert.equal(r.status, 400);
      assert.equal(r.body.detail, UNPARSABLE);
    }
  });

  // Source: ServiceProviderConfig page, example response.
  it('describes itself as AWS does: bulk not supported, filter maxResults 50', async () => {
    const r = await scim('GET', '/ServiceProviderConfig');
    assert.equal(r.status, 200);
    assert.equal((r.body.bulk as Json).supported, false);
    assert.deepEqual(r.body.filter, { supported: true, maxResults: 50 });
    assert.equal((r.body.patch as Json).supported, true);
    assert.equal((r.body.authenticationSchemes as Json[])[0].type, 'oauthbearertoken');
  });

  // Source: "Limitations from SCIM specification" (/Me, /Bulk and /Search are not supported) and the Errors
  // tables (400 ValidationException for requests the implementation does not support).
  it('answers /Bulk, /Me and /Search with 400 ValidationException, not 501', async () => {
    for (const [method, path] of [
      ['POST', '/Bulk'],
      ['GET', '/Me'],
      ['POST', '/Search'],
    ] as const) {
      const r = await scim(method, path, method === 'POST' ? {} : undefined);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.detail, UNPARSABLE);
    }
  });

  // Source: PatchUser page, "Not supported": multiple PATCH operations on userName or active.
  it('refuses two PATCH operations on active in one request and accepts one', async () => {
    const id = await createUser('toggle@example.com');
    const two = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'replace', path: 'active', value: false },
        { op: 'replace', path: 'active', value: true },
      ],
    });
    assert.equal(two.status, 400);
    assert.equal(sandbox.world.sso!.users.get(id)?.active ?? true, true, 'nothing applied');
    const one = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    assert.equal(one.status, 204);
    assert.equal((await scim('GET', `/Users/${id}`)).body.active, false);
  });
});
