import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CreateGroupCommand, IdentitystoreClient, paginateListUsers } from '@aws-sdk/client-identitystore';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { deleteGroup, markChanged } from '@iam2sso/sandbox/entra/directory.js';
import { hasAwsCli, sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { iam2ssoArgv, runIam2sso } from '../helpers/cli.js';
import { expectedMemberships, storeMembershipsByCli, storeMembershipsBySdk, syncEnv } from './sync-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type SyncJson = { users: { delete: number }; conflicts: { name: string; message: string }[] };

describe('sync never claims or deletes what it did not make (sandbox)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let sandbox: RunningSandbox;
  let env: Record<string, string>;
  let dir: string;
  let store: IdentitystoreClient;
  const storeId = () => sandbox.world.sso!.identityStoreId;
  const storeUserCount = async () => {
    let n = 0;
    for await (const page of paginateListUsers({ client: store }, { IdentityStoreId: storeId() }))
      n += page.Users?.length ?? 0;
    return n;
  };
  const sync = (state: string, ...args: string[]) =>
    runIam2sso(['sync', '--state', join(dir, state), '--json', '--no-progress', ...args], env);

  before(async () => {
    sandbox = await startTestSandbox();
    ({ env, dir } = syncEnv(sandbox));
    store = new IdentitystoreClient(sdkConfig(sandbox));
  });
  after(async () => {
    store?.destroy();
    await sandbox?.close();
  });

  it('a sync killed mid-write resumes to exactly the state Entra asks for', async () => {
    sandbox.world.faults = { ...sandbox.world.faults, latencyMs: 40 };
    const child = spawn(
      process.execPath,
      iam2ssoArgv(['sync', '--groups', 'Engineering', '--state', join(dir, 'killed.db')]),
      { env: { ...env, NODE_PATH: `${ROOT}node_modules` }, stdio: 'ignore' },
    );
    const started = Date.now();
    while ((await storeUserCount()) < 3 && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    sandbox.world.faults = { ...sandbox.world.faults, latencyMs: 0 };
    assert.ok((await storeUserCount()) >= 3, 'the kill left work behind');
    const r = await sync('killed.db', '--groups', 'Engineering');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json<SyncJson>().conflicts, []);
    const expected = expectedMemberships(sandbox, ['Engineering']);
    assert.deepEqual(await storeMembershipsByCli(sandbox), expected);
  });

  it('a delta reset followed by an empty full read of Entra deletes nobody', async () => {
    const before = await storeUserCount();
    await fetch(`${sandbox.info.endpoint}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 8 * 86_400_000 }),
    });
    const entra = sandbox.world.entra! as { users: Map<string, unknown> };
    const users = entra.users;
    entra.users = new Map();
    try {
      const r = await sync('killed.db', '--groups', 'Engineering', '--leavers', 'delete');
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /Entra returned no users on a full read/);
    } finally {
      entra.users = users;
    }
    assert.equal(await storeUserCount(), before, 'no user was deleted');
    assert.deepEqual(await storeMembershipsBySdk(sandbox), expectedMemberships(sandbox, ['Engineering']));
  });

  it('a group whose name a hand-made Identity Store group holds is a conflict: never claimed, never deleted', async () => {
    const first = await sync('prefix.db', '--group-filter', 'Zed-');
    assert.equal(first.status, 0, first.stderr);
    const entra = sandbox.world.entra!;
    const now = sandbox.world.clock.now();
    const members = [...entra.users.values()].filter((u) => u.accountEnabled && !u.deletedDateTime).slice(0, 2);
    const group = {
      id: crypto.randomUUID(),
      displayName: 'Zed-Ops',
      description: null,
      mailNickname: 'zed-ops',
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: now,
      members: new Set(members.map((u) => u.id)),
    };
    entra.groups.set(group.id, group as never);
    markChanged(entra, group.id, 'group', now);
    const handMade = await store.send(new CreateGroupCommand({ IdentityStoreId: storeId(), DisplayName: 'Zed-Ops' }));
    const r = await sync('prefix.db', '--group-filter', 'Zed-', '--leavers', 'delete');
    const json = r.json<SyncJson>();
    assert.ok(
      json.conflicts.some((c) => c.name === 'Zed-Ops' && /not managed by iam2sso/.test(c.message)),
      JSON.stringify(json.conflicts),
    );
    deleteGroup(entra, entra.groups.get(group.id)!, sandbox.world.clock.now());
    const after = await sync('prefix.db', '--group-filter', 'Zed-', '--leavers', 'delete');
    assert.equal(after.status, 0, after.stderr);
    const groups = await storeMembershipsByCli(sandbox);
    assert.deepEqual(groups.get('Zed-Ops'), [], 'the hand-made group is still there, untouched');
    assert.ok(handMade.GroupId);
  });
});
