import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdentitystoreClient, paginateListUsers } from '@aws-sdk/client-identitystore';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { deleteUser } from '@iam2sso/sandbox/entra/directory.js';
import Database from 'better-sqlite3';
import { sdkConfig, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { runIam2sso } from '../helpers/cli.js';
import { soakPoints } from '../helpers/kill-soak.js';
import { expectedMemberships, storeMembershipsBySdk, syncEnv } from './sync-helpers.js';

// Kills at chosen journal states (after the intent, after the call before its result, between two changes), several
// in one run of the soak, then seeded random ones: IAM2SSO_KILLS (default 1) and IAM2SSO_SOAK_SEED replay a longer soak.
const CHOSEN = ['intent:1', 'result:1', 'done:2', 'intent:3', 'result:2', 'done:3'];
// Every group of the small scenario (nested ones flattened): about 20 people and 60 changes on the first run.
const SCOPE = ['Engineering', 'Platform', 'SRE', 'Data', 'Security', 'IT', 'Finance'];
// Two changes in flight: at each kill another change is between its intent and its result too.

type Row = { step_id: string; kind: string; status: string; run_id: string };

/** The journal and the ownership records, read straight from the state database. */
function stateOf(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const entries = db
      .prepare('SELECT step_id, kind, status, run_id FROM apply_journal ORDER BY entry_id')
      .all() as Row[];
    const owned = db.prepare("SELECT object_key, object_id FROM owned_objects WHERE kind = 'store-user'").all() as {
      object_key: string;
      object_id: string | null;
    }[];
    return { entries, owned };
  } finally {
    db.close();
  }
}

describe('sync killed with SIGKILL at chosen journal states resumes exactly (sandbox)', () => {
  let sandbox: RunningSandbox;
  let env: Record<string, string>;
  let state: string;
  let store: IdentitystoreClient;
  const storeUsers = async () => {
    const out = new Map<string, string>();
    for await (const page of paginateListUsers(
      { client: store },
      { IdentityStoreId: sandbox.world.sso!.identityStoreId },
    ))
      for (const u of page.Users ?? []) out.set(u.UserName!.toLowerCase(), u.UserId!);
    return out;
  };
  const sync = (extra: string[] = [], killAt?: string) =>
    runIam2sso(
      [
        'sync',
        '--groups',
        SCOPE.join(','),
        '--state',
        state,
        '--json',
        '--no-progress',
        '--concurrency',
        '2',
        ...extra,
      ],
      killAt ? { ...env, IAM2SSO_KILL_AT: killAt } : env,
    );
  let preexisting: Map<string, string>;

  before(async () => {
    sandbox = await startTestSandbox();
    ({ env, state } = syncEnv(sandbox));
    store = new IdentitystoreClient(sdkConfig(sandbox));
    preexisting = await storeUsers();
  });
  after(async () => {
    store?.destroy();
    await sandbox?.close();
  });

  it('ends, after every kill, as an uninterrupted run would: no orphan, nothing made twice', async (t) => {
    const points = soakPoints(CHOSEN, { states: ['intent', 'result', 'done'], upTo: 4, randomKills: 1 });
    let killed = 0;
    let leftOpen = 0;
    const outcomes: string[] = [];
    for (const point of points) {
      const r = await sync([], point);
      const wasKilled = r.status === -1;
      if (wasKilled) killed++;
      const openEntries = stateOf(state).entries.filter((e) => e.status === 'intent');
      const open = openEntries.length;
      if (process.env.IAM2SSO_SOAK_DEBUG) t.diagnostic(`${point}: ${JSON.stringify(openEntries)}`);
      if (wasKilled && open > 0) leftOpen++;
      outcomes.push(`${point}=${wasKilled ? `killed(${open} open)` : r.status}`);
    }
    t.diagnostic(`kills: ${outcomes.join(' ')}`);
    assert.equal(killed, points.length, `every kill landed in real work: ${outcomes.join(' ')}`);
    assert.ok(leftOpen >= 4, `the kills after an intent or a call left journal entries open: ${outcomes.join(' ')}`);

    const r = await sync();
    assert.equal(r.status, 0, r.stderr);
    const json = r.json<{ failed: unknown[]; conflicts: unknown[] }>();
    assert.deepEqual([json.failed, json.conflicts], [[], []]);
    const expected = expectedMemberships(sandbox, SCOPE);
    assert.deepEqual(await storeMembershipsBySdk(sandbox), expected, 'exactly the memberships Entra asks for');
    const people = new Set([...expected.values()].flat().map((u) => u.toLowerCase()));
    const users = await storeUsers();
    const made = [...users.keys()].filter((u) => !preexisting.has(u)).sort();
    assert.deepEqual(
      made,
      [...people].filter((u) => !preexisting.has(u)).sort(),
      'no orphan user: only the people in scope',
    );

    const { entries, owned } = stateOf(state);
    assert.equal(
      entries.filter((e) => e.status === 'intent' || e.status === 'submitted').length,
      0,
      'nothing left open',
    );
    const doneTwice = new Map<string, number>();
    for (const e of entries.filter((e) => e.status === 'done'))
      doneTwice.set(e.step_id, (doneTwice.get(e.step_id) ?? 0) + 1);
    assert.deepEqual(
      [...doneTwice].filter(([, n]) => n > 1),
      [],
      'no change was made twice',
    );
    assert.ok(entries.some((e) => e.kind === 'store.user.create' && e.status === 'done'));
    // Every user the sync made is recorded as its own, with the id the store gave it (so a leaver is cleaned up).
    assert.deepEqual(owned.map((o) => [o.object_key, o.object_id]).sort(), made.map((u) => [u, users.get(u)]).sort());
    const again = await sync();
    assert.equal(again.json<{ writes: number }>().writes, 0, 'a further run has nothing to do');
  });

  it('rolls back a sync that deleted a user: the user comes back (new id) with its memberships, even when killed', async () => {
    const expectedBefore = expectedMemberships(sandbox, SCOPE);
    const upn = [...expectedBefore.values()].flat()[0];
    const groupsOf = (m: Map<string, string[]>, who: string) =>
      [...m]
        .filter(([, l]) => l.includes(who))
        .map(([g]) => g)
        .sort();
    const idBefore = (await storeUsers()).get(upn.toLowerCase());
    assert.ok(idBefore);
    const entra = sandbox.world.entra!;
    const person = [...entra.users.values()].find((u) => u.userPrincipalName === upn)!;
    deleteUser(entra, person, sandbox.world.clock.now());
    const deleted = await sync(['--leavers', 'delete']);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(deleted.json<{ users: { delete: number } }>().users.delete, 1);
    assert.equal((await storeUsers()).has(upn.toLowerCase()), false, 'the sync deleted the user it had made');

    const runs = (await runIam2sso(['runs', '--json', '--state', state], env)).json<
      { runId: string; command: string }[]
    >();
    const run = runs.filter((x) => x.command === 'sync').at(-1)!.runId;
    const args = ['rollback', run, '--auto-approve', '--json', '--state', state];
    const killedRollback = await runIam2sso(args, { ...env, IAM2SSO_KILL_AT: 'result:1' });
    assert.equal(killedRollback.status, -1, 'the rollback was killed after the create, before its result');
    const resumed = await runIam2sso(args, env);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /resumed .*done/);
    const users = await storeUsers();
    const idAfter = users.get(upn.toLowerCase());
    assert.ok(idAfter, 'the user is back');
    assert.notEqual(idAfter, idBefore, 'with a new user id');
    const memberships = await storeMembershipsBySdk(sandbox);
    assert.deepEqual(groupsOf(memberships, upn), groupsOf(expectedBefore, upn), 'and in the groups it was in');
    const creates = stateOf(state).entries.filter(
      (e) => e.kind === 'store.user.create' && e.step_id.endsWith(upn.toLowerCase()),
    );
    assert.equal(
      creates.filter((e) => e.status === 'done').length,
      2,
      'created once by the sync, once by the rollback',
    );
  });
});
