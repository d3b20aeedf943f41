/**
 * Contract tests: Microsoft Graph behaviours the sandbox must share with the real service, each with the
 * public source it follows. Remaining guesses are listed in packages/sandbox/GUESSES.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, GraphError } from '@microsoft/microsoft-graph-client';
import { liveUsers } from '../src/entra/directory.js';
import type { RunningSandbox } from '../src/index.js';
import { entraControl, sandboxGraphClient } from './entra-helpers.js';
import { startTestSandbox } from './helpers/sandbox.js';

type Page = { value: Record<string, string>[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

function refusedWith(status: number, code: string, message?: RegExp) {
  return (e: GraphError) => {
    assert.equal(e.statusCode, status, e.message);
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    return true;
  };
}

describe('sandbox Graph fidelity (advanced queries, $orderby, paging and delta)', () => {
  let sandbox: RunningSandbox;
  let graph: Client;
  const eventual = (path: string) => graph.api(path).header('ConsistencyLevel', 'eventual');

  before(async () => {
    sandbox = await startTestSandbox({ seed: 11 });
    graph = sandboxGraphClient(sandbox);
  });
  after(() => sandbox.close());

  // Source: https://learn.microsoft.com/graph/search-query-parameter (directory objects: $search only in
  // advanced queries; the error body is quoted there).
  it('refuses $search without ConsistencyLevel: eventual and tokenizes it with the header', async () => {
    const someone = liveUsers(sandbox.world.entra!)[0];
    const word = someone.displayName.split(' ')[0];
    await assert.rejects(
      graph
        .api('/users')
        .query({ $search: `"displayName:${word}"` })
        .get(),
      refusedWith(400, 'Request_UnsupportedQuery', /only works through MSGraph with a special request header/),
    );
    const found = (await eventual('/users')
      .query({ $search: `"displayName:${word}"` })
      .get()) as Page;
    assert.ok(found.value.some((u) => u.id === someone.id));
    assert.ok(found.value.every((u) => u.displayName.toLowerCase().includes(word.toLowerCase())));
  });

  // Source: https://learn.microsoft.com/graph/aad-advanced-queries ("ne", "not" and "endsWith" need
  // ConsistencyLevel: eventual and $count=true); error texts as quoted by public Graph client code.
  it('refuses ne, not and endsWith without the advanced query parameters', async () => {
    for (const filter of ['accountEnabled ne false', 'not(accountEnabled eq false)', "endswith(mail,'.com')"]) {
      await assert.rejects(
        graph.api('/users').filter(filter).get(),
        refusedWith(400, 'Request_UnsupportedQuery', /is not supported because/),
      );
      await assert.rejects(
        eventual('/users').filter(filter).get(),
        refusedWith(400, 'Request_UnsupportedQuery', /Try adding \$count=true/),
      );
    }
  });

  it('answers endswith(mail,...) and ne with ConsistencyLevel: eventual and $count=true', async () => {
    const domain = sandbox.world.entra!.domain;
    const page = (await eventual('/users')
      .filter(`endswith(mail,'@${domain}')`)
      .query({ $count: 'true' })
      .top(999)
      .get()) as Page & { '@odata.count': number };
    const expected = liveUsers(sandbox.world.entra!).filter((u) => u.mail?.toLowerCase().endsWith(`@${domain}`));
    assert.ok(expected.length > 0);
    assert.equal(page['@odata.count'], expected.length);
    const enabled = (await eventual('/users').filter('accountEnabled ne false').query({ $count: 'true' }).get()) as {
      '@odata.count': number;
    };
    assert.equal(enabled['@odata.count'], liveUsers(sandbox.world.entra!).filter((u) => u.accountEnabled).length);
  });

  // Source: https://learn.microsoft.com/graph/aad-advanced-queries (user and group property tables: $orderby
  // by default on displayName and userPrincipalName; with $filter only as an advanced query).
  it('orders users and groups by displayName or userPrincipalName and refuses other sorts', async () => {
    const users = (await graph.api('/users').orderby('displayName desc').top(999).get()) as Page;
    const names = users.value.map((u) => u.displayName.toLowerCase());
    assert.deepEqual(names, [...names].sort().reverse());
    const byUpn = (await graph.api('/users').orderby('userPrincipalName').top(5).get()) as Page;
    const upns = byUpn.value.map((u) => u.userPrincipalName.toLowerCase());
    assert.deepEqual(upns, [...upns].sort());
    const groups = (await graph.api('/groups').orderby('displayName').get()) as Page;
    const groupNames = groups.value.map((g) => g.displayName.toLowerCase());
    assert.deepEqual(groupNames, [...groupNames].sort());
    const sorting = refusedWith(400, 'Request_UnsupportedQuery', /^Sorting not supported for current query\.$/);
    await assert.rejects(graph.api('/users').orderby('jobTitle').get(), sorting);
    await assert.rejects(graph.api('/groups').orderby('mail').get(), sorting);
    await assert.rejects(graph.api('/users').filter('accountEnabled eq true').orderby('displayName').get(), sorting);
  });

  it('pages an ordered list in order across nextLinks', async () => {
    const seen: string[] = [];
    let page = (await graph.api('/users').orderby('displayName').top(3).get()) as Page;
    seen.push(...page.value.map((u) => u.displayName.toLowerCase()));
    while (page['@odata.nextLink']) {
      page = (await graph.api(page['@odata.nextLink']).get()) as Page;
      seen.push(...page.value.map((u) => u.displayName.toLowerCase()));
    }
    assert.equal(seen.length, liveUsers(sandbox.world.entra!).length);
    assert.deepEqual(seen, [...seen].sort());
  });

  it('refuses a $skiptoken it did not issue instead of starting again at page one', async () => {
    await assert.rejects(
      graph.api('/users').query({ $skiptoken: 'not-a-token' }).get(),
      refusedWith(400, 'Request_BadRequest'),
    );
  });

  // Source: https://learn.microsoft.com/graph/api/user-delta ($filter=id eq '{value}' tracks chosen users).
  it("tracks only the users named by delta's $filter=id eq", async () => {
    const [a, b] = liveUsers(sandbox.world.entra!);
    const round = (await graph.api('/users/delta').filter(`id eq '${a.id}' or id eq '${b.id}'`).get()) as Page;
    assert.deepEqual(round.value.map((u) => u.id).sort(), [a.id, b.id].sort());
    assert.ok(round['@odata.deltaLink']?.includes('filter'));
    await assert.rejects(
      graph.api('/users/delta').filter("displayName eq 'x'").get(),
      refusedWith(400, 'Request_UnsupportedQuery'),
    );
  });

  // Source: https://learn.microsoft.com/graph/delta-query-overview ("Synchronization reset": 410 Gone).
  it('answers 410 Gone on a delta link after a synchronization reset, and a new round works', async () => {
    let page = (await graph.api('/users/delta').get()) as Page;
    while (page['@odata.nextLink']) page = (await graph.api(page['@odata.nextLink']).get()) as Page;
    const link = page['@odata.deltaLink']!;
    assert.ok(((await graph.api(link).get()) as Page)['@odata.deltaLink']);
    await entraControl(sandbox, 'delta-reset', {});
    await assert.rejects(graph.api(link).get(), (e: GraphError) => e.statusCode === 410);
    const fresh = (await graph.api('/users/delta').get()) as Page;
    assert.ok(fresh.value.length > 0);
  });
});
