import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it, type TestContext } from 'node:test';
import { CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { addMember, deleteUser, markChanged } from '@iam2sso/sandbox/entra/directory.js';
import { sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { requireTool } from '../../packages/sandbox/test/helpers/tools.js';
import { holdWriterLock } from '../../src/reconcile/writer-lock.js';
import { openStateDb } from '../../src/store/db.js';
import { runIam2sso } from '../helpers/cli.js';
import { expectedMemberships, storeMembershipsByCli, storeMembershipsBySdk, syncEnv } from './sync-helpers.js';

const SCOPE = ['Engineering', 'Security'];

type SyncJson = {
  mode: string;
  reason: string | null;
  dryRun: boolean;
  users: { create: number; update: number; deactivate: number; delete: number; unchanged: number };
  groups: { create: number; update: number; delete: number; unchanged: number };
  memberships: { add: number; remove: number; unchanged: number };
  conflicts: { id: string; name: string }[];
  matchedBy: Record<string, number>;
  writes: number;
  failed: unknown[];
};

describe('iam2sso sync against the sandbox', () => {
  let sandbox: RunningSandbox;
  let env: Record<string, string>;
  let state: string;
  const sync = async (...extra: string[]) => {
    const r = await runIam2sso(['sync', '--groups', SCOPE.join(','), '--state', state, '--json', ...extra], env);
    assert.equal(r.status, 0, r.stderr);
    return { json: r.json<SyncJson>(), stderr: r.stderr };
  };
  const userDepartment = (upn: string) =>
    [...sandbox.world.entra!.users.values()].find((u) => u.userPrincipalName === upn)?.department ?? '';
  const inScopeUser = (enabled = true) => {
    const entra = sandbox.world.entra!;
    const expected = expectedMemberships(sandbox, SCOPE);
    const upns = new Set([...expected.values()].flat());
    return [...entra.users.values()].find(
      (u) => !u.deletedDateTime && u.accountEnabled === enabled && upns.has(u.userPrincipalName),
    )!;
  };

  /** An admin's changes in the Entra tenant (through the sandbox's directory operations, which keep delta right). */
  const admin = {
    now: () => sandbox.world.clock.now(),
    addToGroup(groupName: string, userId: string) {
      const entra = sandbox.world.entra!;
      const group = [...entra.groups.values()].find((g) => g.displayName === groupName)!;
      assert.ok(addMember(entra, group, userId, admin.now()));
    },
    updateUser(userId: string, change: { accountEnabled?: boolean; userPrincipalName?: string }) {
      const entra = sandbox.world.entra!;
      Object.assign(entra.users.get(userId)!, change);
      markChanged(entra, userId, 'user', admin.now());
    },
    deleteUser(userId: string) {
      const entra = sandbox.world.entra!;
      deleteUser(entra, entra.users.get(userId)!, admin.now());
    },
  };

  /** The Identity Store holds `expected`, read through the SDK and (where installed) the AWS CLI v2. */
  const assertStoreHolds = async (t: TestContext, expected: Map<string, string[]>) => {
    assert.deepEqual(await storeMembershipsBySdk(sandbox), expected, 'read through the AWS SDK');
    if (requireTool(t, 'aws', 'the read-back through the AWS CLI v2'))
      assert.deepEqual(await storeMembershipsByCli(sandbox), expected, 'read through the AWS CLI v2');
  };

  before(async () => {
    sandbox = await startTestSandbox();
    ({ env, state } = syncEnv(sandbox));
  });
  after(() => sandbox?.close());

  it('creates exactly the users, groups and flattened memberships in scope on the first run', async (t) => {
    const { json, stderr } = await sync();
    const expected = expectedMemberships(sandbox, SCOPE);
    const people = new Set([...expected.values()].flat());
    assert.equal(json.mode, 'initial');
    assert.match(stderr, /Changes \(initial\): users \+\d+/, 'the summary comes before the writes');
    assert.equal(json.users.create, people.size);
    assert.equal(json.groups.create, SCOPE.length);
    assert.equal(json.memberships.add, [...expected.values()].flat().length);
    assert.deepEqual(json.conflicts, []);
    await assertStoreHolds(t, expected);
    const sre = expected.get('Engineering')!.filter((upn) => /SRE/.test(userDepartment(upn)));
    assert.ok(sre.length > 0, 'members of SRE (nested twice under Engineering) are in Engineering');
  });

  it('applies exactly an Entra change: a user added to a nested group, one disabled, one deleted', async (t) => {
    const entra = sandbox.world.entra!;
    const expectedBefore = expectedMemberships(sandbox, SCOPE);
    const inScope = new Set([...expectedBefore.values()].flat());
    const outsider = [...entra.users.values()].find(
      (u) => !u.deletedDateTime && u.accountEnabled && !inScope.has(u.userPrincipalName),
    )!;
    const disabled = inScopeUser();
    const deleted = [...entra.users.values()].find(
      (u) => !u.deletedDateTime && u.accountEnabled && inScope.has(u.userPrincipalName) && u.id !== disabled.id,
    )!;
    admin.addToGroup('SRE', outsider.id);
    admin.updateUser(disabled.id, { accountEnabled: false });
    admin.deleteUser(deleted.id);

    const { json } = await sync();
    const expected = expectedMemberships(sandbox, SCOPE);
    assert.equal(json.mode, 'incremental');
    assert.equal(json.users.create, 1, 'the user added to SRE (under Engineering)');
    assert.equal(json.users.deactivate, 2, 'the disabled and the deleted user');
    const countOf = (m: Map<string, string[]>, upn: string) => [...m.values()].filter((l) => l.includes(upn)).length;
    const removed =
      countOf(expectedBefore, disabled.userPrincipalName) + countOf(expectedBefore, deleted.userPrincipalName);
    assert.equal(json.memberships.add, countOf(expected, outsider.userPrincipalName));
    assert.equal(json.memberships.remove, removed);
    assert.equal(json.writes, 1 + json.memberships.add + removed, 'one write per change, nothing else');
    await assertStoreHolds(t, expected);
  });

  it('does a full resync with the same result when the delta link has expired (8 days later)', async () => {
    await fetch(`${sandbox.info.endpoint}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 8 * 86_400_000 }),
    });
    const before = await storeMembershipsBySdk(sandbox);
    const { json } = await sync();
    assert.equal(json.mode, 'full-resync');
    assert.match(json.reason ?? '', /expired/);
    assert.equal(json.writes, 0);
    assert.equal(json.users.create + json.users.update + json.users.deactivate, 0);
    assert.ok((json.matchedBy.state ?? 0) > 0, 'users found again through the links the state database kept');
    assert.deepEqual(await storeMembershipsBySdk(sandbox), before);
  });

  it('reports a UPN conflict instead of making a duplicate', async () => {
    const person = inScopeUser();
    const taken = `taken.${person.userPrincipalName}`;
    const storeId = sandbox.world.sso!.identityStoreId;
    const store = new IdentitystoreClient(sdkConfig(sandbox));
    await store.send(
      new CreateUserCommand({
        IdentityStoreId: storeId,
        UserName: taken,
        DisplayName: 'Someone Else',
        Name: { GivenName: 'Someone', FamilyName: 'Else' },
      }),
    );
    store.destroy();
    admin.updateUser(person.id, { userPrincipalName: taken });
    const usersBefore = sandbox.world.sso!.users.size;

    const { json } = await sync();
    assert.deepEqual(
      json.conflicts.map((c) => [c.id, c.name]),
      [['user-name-held-by-other', taken]],
    );
    assert.equal(sandbox.world.sso!.users.size, usersBefore, 'no user created');
    const holders = [...sandbox.world.sso!.users.values()].filter((u) => u.userName.toLowerCase() === taken);
    assert.equal(holders.length, 1);

    const full = await sync('--full');
    assert.deepEqual(
      full.json.conflicts.map((c) => c.id),
      ['user-name-held-by-other'],
      'a full read finds it before writing',
    );
    assert.equal(full.json.failed.length, 0);
  });

  it('writes and saves nothing on --dry-run, and the next real run applies the change', async () => {
    // Another writer (an apply in another process) holds the lease: a dry run goes on, a real sync waits its turn.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const otherExited = new Promise((r) => other.on('exit', r));
    const db = await openStateDb(state);
    holdWriterLock(db, 'apply-elsewhere', { command: 'apply', note: () => undefined, pid: other.pid });
    db.close();
    const entra = sandbox.world.entra!;
    const inScope = new Set([...expectedMemberships(sandbox, SCOPE).values()].flat());
    const newcomer = [...entra.users.values()].find(
      (u) => !u.deletedDateTime && u.accountEnabled && !inScope.has(u.userPrincipalName),
    )!;
    admin.addToGroup('Security', newcomer.id);
    const before = await storeMembershipsBySdk(sandbox);
    const dry = await sync('--dry-run');
    assert.equal(dry.json.dryRun, true);
    assert.equal(dry.json.users.create, 1);
    assert.equal(dry.json.memberships.add, 1);
    assert.equal(dry.json.writes, 2, 'the writes the dry run logged');
    assert.match(dry.stderr, /would add/);
    assert.deepEqual(await storeMembershipsBySdk(sandbox), before, 'nothing written');

    const refused = await runIam2sso(['sync', '--groups', SCOPE.join(','), '--state', state, '--json'], env);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`apply run apply-elsewhere \\(pid ${other.pid} on `));
    assert.deepEqual(await storeMembershipsBySdk(sandbox), before, 'the refused sync wrote nothing');
    other.kill('SIGKILL');
    await otherExited;
    const real = await sync();
    assert.match(real.stderr, /took over the writer lease of apply run apply-elsewhere .*no longer running/);
    assert.equal(real.json.users.create, 1, 'the dry run did not advance the delta link');
    assert.equal(real.json.memberships.add, 1);
    assert.ok((await storeMembershipsBySdk(sandbox)).get('Security')!.includes(newcomer.userPrincipalName));
  });
});
