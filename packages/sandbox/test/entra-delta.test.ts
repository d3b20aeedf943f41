import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { deleteUser, liveUsers, markChanged } from '../src/entra/directory.js';
import type { RunningSandbox } from '../src/index.js';
import { sandboxFetch, sandboxGraphClient } from './entra-helpers.js';
import { startTestSandbox } from './helpers/sandbox.js';

type DeltaItem = {
  id: string;
  userPrincipalName?: string;
  displayName?: string;
  '@removed'?: { reason: string };
  'members@delta'?: { id: string; '@removed'?: { reason: string } }[];
};
type DeltaPage = { value: DeltaItem[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

/** Follows nextLinks to the end of a delta round; returns every item and the deltaLink. */
async function deltaRound(
  graph: Client,
  start: string,
): Promise<{ items: DeltaItem[]; deltaLink: string; pages: number }> {
  const items: DeltaItem[] = [];
  let page = (await graph.api(start).header('Prefer', 'odata.maxpagesize=5').get()) as DeltaPage;
  let pages = 1;
  items.push(...page.value);
  while (page['@odata.nextLink']) {
    page = (await graph.api(page['@odata.nextLink']).header('Prefer', 'odata.maxpagesize=5').get()) as DeltaPage;
    items.push(...page.value);
    pages++;
  }
  assert.ok(page['@odata.deltaLink'], 'the last page carries a deltaLink');
  return { items, deltaLink: page['@odata.deltaLink']!, pages };
}

describe('sandbox Entra: delta queries for users and groups', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox({ seed: 7 });
  });
  after(() => sandbox.close());

  it('returns every user in the initial round and only changes afterwards, deletions as @removed', async () => {
    const graph = sandboxGraphClient(sandbox);
    const entra = sandbox.world.entra!;
    const initial = await deltaRound(graph, '/users/delta?$select=id,userPrincipalName,displayName');
    assert.ok(initial.pages > 1, 'paged');
    assert.deepEqual(new Set(initial.items.map((u) => u.id)), new Set(liveUsers(entra).map((u) => u.id)));

    // An admin renames one person and deletes another in the directory.
    const [renamed, removed] = liveUsers(entra);
    const now = sandbox.world.clock.now();
    renamed.displayName = `${renamed.displayName} (Contractor)`;
    markChanged(entra, renamed.id, 'user', now);
    deleteUser(entra, removed, now);

    const next = await deltaRound(graph, initial.deltaLink);
    const byId = new Map(next.items.map((i) => [i.id, i]));
    assert.equal(next.items.length, 2);
    assert.equal(byId.get(renamed.id)?.displayName, renamed.displayName);
    assert.deepEqual(byId.get(removed.id)?.['@removed'], { reason: 'changed' });

    const quiet = await deltaRound(graph, next.deltaLink);
    assert.deepEqual(quiet.items, []);
  });

  it('reports group membership changes in members@delta', async () => {
    const graph = sandboxGraphClient(sandbox);
    const initial = await deltaRound(graph, '/groups/delta?$select=id,displayName');
    const security = initial.items.find((g) => g.displayName === 'Security')!;
    const platform = initial.items.find((g) => g.displayName === 'Platform')!;
    assert.ok(Array.isArray(security['members@delta']));
    assert.ok(platform['members@delta']!.some((m) => m.id === initial.items.find((g) => g.displayName === 'SRE')!.id));

    const securityMembers = new Set(security['members@delta']!.map((m) => m.id));
    const newcomer = liveUsers(sandbox.world.entra!).find((u) => !securityMembers.has(u.id))!;
    await graph.api(`/groups/${security.id}/members/$ref`).post({
      '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newcomer.id}`,
    });
    const leaver = security['members@delta']![0];
    if (leaver) await graph.api(`/groups/${security.id}/members/${leaver.id}/$ref`).delete();

    const next = await deltaRound(graph, initial.deltaLink);
    assert.deepEqual(
      next.items.map((g) => g.id),
      [security.id],
    );
    const changes = next.items[0]['members@delta']!;
    assert.ok(changes.some((m) => m.id === newcomer.id && !m['@removed']));
    if (leaver) assert.ok(changes.some((m) => m.id === leaver.id && m['@removed']?.reason === 'deleted'));
  });

  it('expires a delta link after 7 days of virtual time with syncStateNotFound', async () => {
    const graph = sandboxGraphClient(sandbox);
    const round = await deltaRound(graph, '/users/delta?$select=id');
    await sandboxFetch(sandbox, '/_sandbox/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 6 * 86_400_000 }),
    });
    const stillValid = await deltaRound(graph, round.deltaLink);
    assert.deepEqual(stillValid.items, []);
    await sandboxFetch(sandbox, '/_sandbox/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 2 * 86_400_000 }),
    });
    await assert.rejects(graph.api(round.deltaLink).get(), (e: GraphError) => {
      assert.equal(e.code, 'syncStateNotFound');
      assert.match(e.message, /delta token is expired/);
      return true;
    });
    // A full resync works again.
    const resync = await deltaRound(graph, '/users/delta?$select=id');
    assert.equal(resync.items.length, liveUsers(sandbox.world.entra!).length);
  });
});
