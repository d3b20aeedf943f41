import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateUserCommand, DescribeUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { RunningSandbox } from '../src/index.js';
import { createSsoInstance } from '../src/world/bootstrap.js';
import { sdkConfig, startTestSandbox } from './helpers/sandbox.js';

type Json = Record<string, unknown>;
type Reply = { status: number; body: Json };

const DAY = 24 * 3600 * 1000;

describe('sandbox Identity Center SCIM endpoint', () => {
  let sandbox: RunningSandbox;
  let endpoint: string;
  let token: string;
  let tokenId: string;

  async function control(method: string, path: string): Promise<Reply> {
    const r = await fetch(`${sandbox.info.endpoint}/_sandbox/identity-center/${path}`, { method });
    return { status: r.status, body: r.status === 204 ? {} : ((await r.json()) as Json) };
  }

  async function scim(method: string, path: string, body?: unknown, bearer = token): Promise<Reply> {
    const r = await fetch(`${endpoint}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  function userBody(userName: string, extra: Json = {}): Json {
    return {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      displayName: `Display ${userName}`,
      name: { givenName: 'Given', familyName: 'Family' },
      emails: [{ value: userName, type: 'work', primary: true }],
      active: true,
      ...extra,
    };
  }

  async function createUser(userName: string): Promise<string> {
    const r = await scim('POST', '/Users', userBody(userName));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id as string;
  }

  function assertScimError(r: Reply, status: number): void {
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    assert.equal(r.body.status, String(status));
    assert.equal(typeof r.body.detail, 'string');
  }

  before(async () => {
    sandbox = await startTestSandbox();
    if (!sandbox.world.sso) createSsoInstance(sandbox.world, sandbox.info.managementAccountId);
    const created = await control('POST', 'scim/tokens');
    assert.equal(created.status, 201);
    token = created.body.token as string;
    tokenId = created.body.tokenId as string;
    endpoint = created.body.endpoint as string;
  });
  after(() => sandbox.close());

  it('serves the endpoint at the /{tenant-id}/scim/v2 path shape and describes itself', async () => {
    assert.match(endpoint, /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/scim\/v2$/);
    const config = await scim('GET', '/ServiceProviderConfig');
    assert.equal(config.status, 200);
    assert.equal((config.body.bulk as Json).supported, false);
    const schemas = await scim('GET', '/Schemas');
    assert.ok((schemas.body.Resources as Json[]).some((s) => s.id === 'urn:ietf:params:scim:schemas:core:2.0:User'));
    const types = await scim('GET', '/ResourceTypes');
    assert.deepEqual((types.body.Resources as Json[]).map((t) => t.id).sort(), ['Group', 'User']);
  });

  // AWS's "Limitations from SCIM specification" lists /Me, /Bulk and /Search as unsupported; its error tables
  // give 400 ValidationException ("Request is unparsable, syntactically incorrect, or violates schema.").
  it('refuses /Bulk, /Me, /Search and /.search with 400 ValidationException', async () => {
    for (const path of ['/Bulk', '/Me', '/Search', '/.search', '/Users/.search']) {
      const r = path === '/Me' ? await scim('GET', path) : await scim('POST', path, {});
      assertScimError(r, 400);
      assert.equal(r.body.detail, 'Request is unparsable, syntactically incorrect, or violates schema.');
    }
  });

  it('creates a user that the Identity Store holds as created by SCIM', async () => {
    const r = await scim('POST', '/Users', userBody('ada@example.com', { externalId: 'entra-ada' }));
    assert.equal(r.status, 201);
    const stored = sandbox.world.sso!.users.get(r.body.id as string);
    assert.ok(stored);
    assert.equal(stored.createdBy, 'scim');
    assert.equal(stored.userName, 'ada@example.com');
    assert.equal(stored.name.givenName, 'Given');
    assert.deepEqual(stored.emails, [{ value: 'ada@example.com', type: 'work', primary: true }]);
    const got = await scim('GET', `/Users/${r.body.id}`);
    assert.equal(got.body.externalId, 'entra-ada');
    assert.equal(got.body.active, true);
  });

  it('shares users with the Identity Store API in both directions', async () => {
    const identityStore = new IdentitystoreClient(sdkConfig(sandbox));
    const IdentityStoreId = sandbox.world.sso!.identityStoreId;
    const body = userBody('grace@example.com', {
      phoneNumbers: [{ value: '+1 555 0199', type: 'work', primary: true }],
    });
    const created = await scim('POST', '/Users', body);
    const described = await identityStore.send(
      new DescribeUserCommand({ IdentityStoreId, UserId: created.body.id as string }),
    );
    assert.equal(described.UserName, 'grace@example.com');
    assert.equal(described.Name?.FamilyName, 'Family');
    assert.equal(described.Emails?.[0].Value, 'grace@example.com');
    assert.equal(described.PhoneNumbers?.[0].Value, '+1 555 0199');
    const { UserId } = await identityStore.send(
      new CreateUserCommand({
        IdentityStoreId,
        UserName: 'viaapi@example.com',
        DisplayName: 'Via Api',
        Name: { GivenName: 'Via', FamilyName: 'Api' },
      }),
    );
    const listed = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "viaapi@example.com"')}`);
    assert.equal((listed.body.Resources as Json[])[0].id, UserId);
    assert.equal(((listed.body.Resources as Json[])[0].name as Json).givenName, 'Via');
  });

  it('answers 409 with a SCIM error on a duplicate userName, whatever its case', async () => {
    await createUser('dup@example.com');
    const r = await scim('POST', '/Users', userBody('DUP@example.com'));
    assertScimError(r, 409);
  });

  it('requires userName, displayName, givenName and familyName', async () => {
    const missingGiven = userBody('nogiven@example.com', { name: { familyName: 'F' } });
    assertScimError(await scim('POST', '/Users', missingGiven), 400);
    const missingFamily = userBody('nofamily@example.com', { name: { givenName: 'G' } });
    assertScimError(await scim('POST', '/Users', missingFamily), 400);
    const { displayName: _d, ...noDisplay } = userBody('nodisplay@example.com');
    assertScimError(await scim('POST', '/Users', noDisplay), 400);
    assert.equal((await scim('POST', '/Users', userBody('complete@example.com'))).status, 201);
  });

  it('rejects multi-valued attributes with AWS message, and accepts one primary value', async () => {
    const two = userBody('twoemails@example.com', {
      emails: [
        { value: 'a@example.com', type: 'work', primary: true },
        { value: 'b@example.com', type: 'home', primary: false },
      ],
    });
    const r = await scim('POST', '/Users', two);
    assertScimError(r, 400);
    assert.equal(r.body.detail, 'List attribute emails exceeds allowed limit of 1');
    const phones = userBody('twophones@example.com', {
      phoneNumbers: [
        { value: '+1 555 0100', type: 'work' },
        { value: '+1 555 0101', type: 'mobile' },
      ],
    });
    assert.equal(
      (await scim('POST', '/Users', phones)).body.detail,
      'List attribute phoneNumbers exceeds allowed limit of 1',
    );
    const one = userBody('onephone@example.com', { phoneNumbers: [{ value: '+1 555 0100', type: 'work' }] });
    assert.equal((await scim('POST', '/Users', one)).status, 201);
  });

  it('filters only with eq joined by and, on the attributes AWS allows', async () => {
    await createUser('filter.me@example.com');
    const byName = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "FILTER.me@example.com"')}`);
    assert.equal(byName.status, 200);
    assert.equal(byName.body.totalResults, 1);
    const id = (byName.body.Resources as Json[])[0].id as string;
    const both = await scim('GET', `/Users?filter=${encodeURIComponent(`id eq "${id}" and manager eq "nobody"`)}`);
    assert.equal(both.status, 200);
    assert.equal(both.body.totalResults, 0);
    for (const bad of [
      'userName co "filter"',
      'userName sw "filter"',
      'userName eq "a" or userName eq "b"',
      'title eq "x"',
    ]) {
      assertScimError(await scim('GET', `/Users?filter=${encodeURIComponent(bad)}`), 400);
    }
  });

  it('pages at most 100 results, ignores startIndex and pages with cursors', async () => {
    const existing = sandbox.world.sso!.users.size;
    for (let i = existing; i < 130; i++) await createUser(`pager${i}@example.com`);
    const total = sandbox.world.sso!.users.size;
    const first = await scim('GET', '/Users');
    assert.equal(first.body.totalResults, total);
    assert.equal((first.body.Resources as Json[]).length, 100);
    const skipped = await scim('GET', '/Users?startIndex=51&count=10');
    assert.equal(skipped.body.startIndex, 1);
    assert.deepEqual(
      (skipped.body.Resources as Json[]).map((u) => u.id),
      (first.body.Resources as Json[]).slice(0, 10).map((u) => u.id),
    );
    assertScimError(await scim('GET', '/Users?count=101'), 400);
    assert.equal((await scim('GET', '/Users?count=100')).status, 200);
    const seen = new Set<string>();
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const r = await scim('GET', `/Users?count=100&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.totalResults, undefined);
      for (const u of r.body.Resources as Json[]) seen.add(u.id as string);
      if (!r.body.nextCursor) break;
      cursor = r.body.nextCursor as string;
    }
    assert.equal(seen.size, total);
  });

  it('patches a user to inactive and back, and replaces it with PUT', async () => {
    const id = await createUser('patch.me@example.com');
    const patch = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' },
      ],
    };
    assert.equal((await scim('PATCH', `/Users/${id}`, patch)).status, 204);
    const got = await scim('GET', `/Users/${id}`);
    assert.equal(got.body.active, false);
    assert.equal((got.body.emails as Json[])[0].value, 'new@example.com');
    const put = await scim('PUT', `/Users/${id}`, userBody('patch.me@example.com', { displayName: 'Renamed' }));
    assert.equal(put.status, 200);
    assert.equal(put.body.displayName, 'Renamed');
    assert.equal(put.body.active, true);
    assert.equal((await scim('DELETE', `/Users/${id}`)).status, 204);
    assertScimError(await scim('GET', `/Users/${id}`), 404);
  });

  it('keeps members out of GetGroup and ListGroups, and answers member filters', async () => {
    const u1 = await createUser('member1@example.com');
    const g = await scim('POST', '/Groups', {
      displayName: 'AWS-Admins',
      externalId: 'entra-g1',
      members: [{ value: u1 }],
    });
    assert.equal(g.status, 201);
    const gid = g.body.id as string;
    assert.deepEqual((await scim('GET', `/Groups/${gid}`)).body.members, []);
    const list = await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "AWS-Admins"')}`);
    assert.equal(list.body.totalResults, 1);
    assert.deepEqual((list.body.Resources as Json[])[0].members, []);
    const byMember = await scim('GET', `/Groups?filter=${encodeURIComponent(`id eq "${gid}" and members eq "${u1}"`)}`);
    assert.equal(byMember.body.totalResults, 1);
    assertScimError(await scim('POST', '/Groups', { displayName: 'AWS-Admins' }), 409);
  });

  it('allows 100 member changes per PATCH and refuses 101, replace-all and remove-all', async () => {
    const users: string[] = [];
    for (let i = 0; i < 101; i++) users.push(await createUser(`bulkmember${i}@example.com`));
    const gid = (await scim('POST', '/Groups', { displayName: 'Big' })).body.id as string;
    const add = (ids: string[]) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    assertScimError(await scim('PATCH', `/Groups/${gid}`, add(users)), 400);
    assert.equal((await scim('PATCH', `/Groups/${gid}`, add(users.slice(0, 100)))).status, 204);
    const members = [...sandbox.world.sso!.memberships.values()].filter((m) => m.groupId === gid);
    assert.equal(members.length, 100);
    const replace = { Operations: [{ op: 'replace', path: 'members', value: [{ value: users[100] }] }] };
    assertScimError(await scim('PATCH', `/Groups/${gid}`, replace), 400);
    assertScimError(await scim('PATCH', `/Groups/${gid}`, { Operations: [{ op: 'remove', path: 'members' }] }), 400);
    const removeOne = { Operations: [{ op: 'remove', path: `members[value eq "${users[0]}"]` }] };
    assert.equal((await scim('PATCH', `/Groups/${gid}`, removeOne)).status, 204);
    assert.equal([...sandbox.world.sso!.memberships.values()].filter((m) => m.groupId === gid).length, 99);
    assertScimError(
      await scim('POST', '/Groups', { displayName: 'TooBig', members: users.map((value) => ({ value })) }),
      400,
    );
  });

  it('refuses a group as a member (no nested groups)', async () => {
    const parent = (await scim('POST', '/Groups', { displayName: 'Parent' })).body.id as string;
    const child = (await scim('POST', '/Groups', { displayName: 'Child' })).body.id as string;
    const nest = { Operations: [{ op: 'add', path: 'members', value: [{ value: child }] }] };
    assertScimError(await scim('PATCH', `/Groups/${parent}`, nest), 400);
    assertScimError(await scim('POST', '/Groups', { displayName: 'Nesting', members: [{ value: child }] }), 400);
  });

  it('allows two tokens, refuses a third, and answers 401 to revoked, expired, unknown or missing tokens', async () => {
    const second = await control('POST', 'scim/tokens');
    assert.equal(second.status, 201);
    assert.equal((await control('POST', 'scim/tokens')).status, 409);
    const listed = await control('GET', 'scim/tokens');
    assert.equal((listed.body.tokens as Json[]).length, 2);
    assert.ok((listed.body.tokens as Json[]).every((t) => t.token === undefined));
    assert.equal((await scim('GET', '/Users?count=1', undefined, second.body.token as string)).status, 200);
    assert.equal((await control('DELETE', `scim/tokens/${second.body.tokenId}`)).status, 204);
    assertScimError(await scim('GET', '/Users?count=1', undefined, second.body.token as string), 401);
    assertScimError(await scim('GET', '/Users?count=1', undefined, 'not-a-token'), 401);
    const wrongTenant = await fetch(`${sandbox.info.endpoint}/00000000-0000-4000-a000-000000000000/scim/v2/Users`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(wrongTenant.status, 401);
    sandbox.world.clock.advance(364 * DAY);
    assert.equal((await scim('GET', '/Users?count=1')).status, 200);
    sandbox.world.clock.advance(2 * DAY);
    assertScimError(await scim('GET', '/Users?count=1'), 401);
    assert.equal((await control('DELETE', `scim/tokens/${tokenId}`)).status, 204);
    const fresh = await control('POST', 'scim/tokens');
    token = fresh.body.token as string;
    assert.equal((await scim('GET', '/Users?count=1')).status, 200);
  });

  it('serves Identity Center SP metadata with the entity ID and ACS URL at AWS shapes', async () => {
    const r = await fetch(`${sandbox.info.endpoint}/_sandbox/identity-center/saml-metadata.xml`);
    assert.equal(r.status, 200);
    const xml = await r.text();
    const storeId = sandbox.world.sso!.identityStoreId;
    const region = sandbox.world.sso!.region;
    assert.match(xml, /<md:EntityDescriptor [^>]*entityID="([^"]+)"/);
    assert.ok(xml.includes(`entityID="https://${region}.signin.aws.amazon.com/platform/saml/${storeId}"`));
    assert.ok(xml.includes(`Location="https://${region}.signin.aws.amazon.com/platform/saml/acs/${storeId}"`));
    assert.ok(xml.includes('<md:SPSSODescriptor'));
  });
});
