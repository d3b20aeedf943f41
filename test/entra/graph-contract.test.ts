/**
 * The product's Entra adapter (real @azure/identity credential, real Microsoft Graph client) against the
 * sandbox tenant: paging, delta rounds and expiry, nested groups, $batch, throttling, idempotent writes and
 * missing permissions.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { deleteUser, liveUsers, markChanged } from '@iam2sso/sandbox/entra/directory.js';
import type { EntraGroup, EntraUser } from '@iam2sso/sandbox/world/entra-state.js';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { EntraAdapter } from '../../src/entra/adapter.js';
import { type IntendedWrite, recordingDirectoryWriter } from '../../src/entra/dry-run.js';
import { entraCloudError, GraphCallError, toCloudError } from '../../src/entra/graph-errors.js';
import { applyGroups } from '../../src/entra/groups.js';
import { AWS_GALLERY_TEMPLATE_ID } from '../../src/entra/setup-plan.js';
import { CloudError } from '../../src/errors.js';
import { control, sandboxAdapter } from './adapter-kit.js';

const DAY = 86_400_000;

describe('Entra adapter against the sandbox tenant (Graph client and @azure/identity)', () => {
  let sandbox: RunningSandbox;
  let adapter: EntraAdapter;

  function seedUser(name: string): EntraUser {
    const entra = sandbox.world.entra!;
    const user: EntraUser = {
      id: randomUUID(),
      userPrincipalName: `${name}@${entra.domain}`,
      mail: `${name}@${entra.domain}`,
      givenName: name,
      surname: 'Seeded',
      displayName: `${name} Seeded`,
      accountEnabled: true,
      onPremisesImmutableId: null,
      jobTitle: null,
      department: null,
      createdDateTime: sandbox.world.clock.now(),
    };
    entra.users.set(user.id, user);
    markChanged(entra, user.id, 'user', sandbox.world.clock.now());
    return user;
  }

  function seedGroup(name: string, members: string[]): EntraGroup {
    const entra = sandbox.world.entra!;
    const group: EntraGroup = {
      id: randomUUID(),
      displayName: name,
      description: null,
      mailNickname: name,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: sandbox.world.clock.now(),
      members: new Set(members),
    };
    entra.groups.set(group.id, group);
    markChanged(entra, group.id, 'group', sandbox.world.clock.now());
    return group;
  }

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 21 });
    sandbox.world.entra!.instantiateDelayMs = 300;
    adapter = sandboxAdapter(sandbox);
  });
  after(() => sandbox.close());

  it('pages through more users than one page holds, with $select', async () => {
    for (let i = 0; i < 2100; i++) seedUser(`bulk${String(i).padStart(4, '0')}`);
    const pages: number[] = [];
    const before = adapter.graph.stats.requests;
    const users = await adapter.reader.listUsers((count) => pages.push(count));
    const expected = liveUsers(sandbox.world.entra!)
      .map((u) => u.userPrincipalName)
      .sort();
    assert.deepEqual(users.map((u) => u.userPrincipalName).sort(), expected);
    assert.equal(pages.length, Math.ceil(expected.length / 999));
    assert.equal(adapter.graph.stats.requests - before, pages.length);
    assert.deepEqual(Object.keys(users[0]).sort(), [
      'accountEnabled',
      'displayName',
      'givenName',
      'id',
      'mail',
      'onPremisesImmutableId',
      'surname',
      'userPrincipalName',
    ]);
  });

  it('returns users in delta rounds: everyone first, then only changes and deletions', async () => {
    const first = await adapter.reader.usersDelta();
    assert.equal(first.fullResync, true);
    assert.equal(first.changed.length, liveUsers(sandbox.world.entra!).length);
    const entra = sandbox.world.entra!;
    const [renamed, leaver] = liveUsers(entra).slice(0, 2);
    renamed.displayName = 'Renamed Person';
    markChanged(entra, renamed.id, 'user', sandbox.world.clock.now());
    deleteUser(entra, leaver, sandbox.world.clock.now());
    const next = await adapter.reader.usersDelta(first.deltaLink);
    assert.equal(next.fullResync, false);
    assert.deepEqual(
      next.changed.map((u) => [u.id, u.displayName]),
      [[renamed.id, 'Renamed Person']],
    );
    assert.deepEqual(next.removed, [leaver.id]);
    const quiet = await adapter.reader.usersDelta(next.deltaLink);
    assert.deepEqual([quiet.changed, quiet.removed], [[], []]);
  });

  it('returns group member changes in group delta rounds', async () => {
    const first = await adapter.reader.groupsDelta();
    const group = first.changed[0];
    assert.ok(group);
    const newcomer = seedUser(`newcomer-${Date.now()}`);
    assert.equal(await adapter.writer.addMember(group.id, newcomer.id), 'done');
    const next = await adapter.reader.groupsDelta(first.deltaLink);
    const changed = next.changed.find((g) => g.id === group.id);
    assert.deepEqual(changed?.membersAdded, [{ id: newcomer.id, type: 'user' }]);
    assert.deepEqual(changed?.membersRemoved, []);
  });

  it('starts over with a full round when the stored delta link has expired (7 days)', async () => {
    const round = await adapter.reader.usersDelta();
    sandbox.world.clock.advance(8 * DAY);
    const resync = await adapter.reader.usersDelta(round.deltaLink);
    assert.equal(resync.fullResync, true);
    assert.equal(resync.changed.length, liveUsers(sandbox.world.entra!).length);
    assert.notEqual(resync.deltaLink, round.deltaLink);
  });

  it('reads transitive user members of nested groups, and direct members with their types', async () => {
    const [a, b, c] = [seedUser('nest-a'), seedUser('nest-b'), seedUser('nest-c')];
    const inner = seedGroup('Nest-Inner', [b.id]);
    const middle = seedGroup('Nest-Middle', [c.id, inner.id]);
    const outer = seedGroup('Nest-Outer', [a.id, middle.id]);
    const transitive = await adapter.reader.transitiveUserMembers(outer.id);
    assert.deepEqual(transitive.map((u) => u.id).sort(), [a.id, b.id, c.id].sort());
    const direct = await adapter.reader.directMembersOf([outer.id]);
    assert.deepEqual(
      direct.get(outer.id)?.sort((x, y) => x.type.localeCompare(y.type)),
      [
        { id: middle.id, type: 'group' },
        { id: a.id, type: 'user' },
      ],
    );
  });

  it('fetches members of many groups with $batch, 20 requests per call, retrying throttled ones', async () => {
    const groups = Array.from({ length: 45 }, (_, i) => seedGroup(`Batch-${i}`, [seedUser(`batch-${i}`).id]));
    const before = { ...adapter.graph.stats };
    const members = await adapter.reader.directMembersOf(groups.map((g) => g.id));
    assert.equal(adapter.graph.stats.requests - before.requests, 3);
    for (const g of groups) assert.deepEqual(members.get(g.id), [{ id: [...g.members][0], type: 'user' }]);
    await control(sandbox, '/_sandbox/entra/throttle', { failNext: 3, retryAfterSeconds: 1 });
    const again = await adapter.reader.directMembersOf(groups.map((g) => g.id));
    assert.deepEqual(again, members);
    assert.equal(adapter.graph.stats.retries - before.retries, 3);
  });

  it('waits out 429 Retry-After through the Graph client retry handler', async () => {
    await control(sandbox, '/_sandbox/entra/throttle', { failNext: 2, retryAfterSeconds: 1 });
    const before = adapter.graph.stats.retries;
    const started = Date.now();
    const groups = await adapter.reader.listGroups();
    assert.ok(groups.length > 0);
    assert.equal(adapter.graph.stats.retries - before, 2);
    assert.ok(Date.now() - started >= 1900, 'waited Retry-After twice');
  });

  it('makes group writes idempotent: members, removals, app assignments and whole group sets', async () => {
    const app = await adapter.appWriter.instantiate(AWS_GALLERY_TEMPLATE_ID, `Idempotency ${Date.now()}`);
    const [x, y] = [seedUser('idem-x'), seedUser('idem-y')];
    const specs = [
      {
        displayName: 'AWS-Idem-Admins',
        description: 'test',
        memberUpns: [x.userPrincipalName, 'nobody@nowhere.example'],
      },
      { displayName: 'AWS-Idem-Readers', description: null, memberUpns: [x.userPrincipalName, y.userPrincipalName] },
    ];
    const log: IntendedWrite[] = [];
    const dry = await applyGroups(specs, adapter.reader, recordingDirectoryWriter(log), app);
    assert.equal(log.length, 2 + 3 + 2);
    assert.deepEqual(await adapter.reader.findGroupsByName('AWS-Idem-Admins'), []);
    assert.ok(dry.every((g) => g.created));

    const first = await applyGroups(specs, adapter.reader, adapter.writer, app);
    assert.deepEqual(
      first.map((g) => [g.created, g.added.length, g.assignment]),
      [
        [true, 1, 'done'],
        [true, 2, 'done'],
      ],
    );
    assert.deepEqual(first[0].unknownUpns, ['nobody@nowhere.example']);
    const second = await applyGroups(specs, adapter.reader, adapter.writer, app);
    assert.deepEqual(
      second.map((g) => [g.created, g.added.length, g.removed.length, g.assignment]),
      [
        [false, 0, 0, 'already'],
        [false, 0, 0, 'already'],
      ],
    );
    const narrowed = await applyGroups(
      [{ ...specs[1], memberUpns: [y.userPrincipalName] }],
      adapter.reader,
      adapter.writer,
      app,
    );
    assert.deepEqual(narrowed[0].removed, [x.id]);
    const readers = first[1].groupId;
    assert.equal(await adapter.writer.addMember(readers, y.id), 'already');
    assert.equal(await adapter.writer.removeMember(readers, x.id), 'already');
    const assignments = await adapter.apps.listAssignments(app.servicePrincipalId);
    assert.equal(assignments.length, 2);
  });

  it('names the missing Graph permission when the app lacks it', async () => {
    const entra = sandbox.world.entra!;
    const product = [...entra.applications.values()].find((a) => a.appId === entra.clientId)!;
    const granted = product.grantedPermissions;
    product.grantedPermissions = granted.filter((p) => p !== 'Application.ReadWrite.All');
    try {
      const limited = sandboxAdapter(sandbox);
      const error = await limited.appWriter.instantiate(AWS_GALLERY_TEMPLATE_ID, 'Denied').catch((e) => e);
      assert.ok(error instanceof GraphCallError);
      assert.equal(error.failure.status, 403);
      const cloud = toCloudError(error, entra.clientId);
      assert.equal(cloud.errorName, 'Authorization_RequestDenied');
      assert.match(cloud.hint ?? '', /Application\.ReadWrite\.All/);
      assert.ok(cloud.requestId);
    } finally {
      product.grantedPermissions = granted;
    }
  });

  it('reports a wrong client secret as a sign-in failure with what to check', async () => {
    const wrong = sandboxAdapter(sandbox, { secret: 'not-the-secret' });
    const error = await wrong.reader.listUsers().catch((e) => entraCloudError(e, 'c'));
    assert.ok(error instanceof CloudError);
    assert.match(error.message, /AADSTS7000215/);
    assert.match(error.hint ?? '', /AZURE_CLIENT_SECRET/);
  });
});
