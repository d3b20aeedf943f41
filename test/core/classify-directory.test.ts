import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DirectoryLookup, DirectoryUser } from '../../src/core/identity-map.js';
import { renderPlanCsv } from '../../src/report/plan-export-rows.js';
import { planOf } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const people: DirectoryUser[] = [
  { id: '1', userPrincipalName: 'jane.doe@example.com', mail: 'jane.doe@example.com', displayName: 'Jane Doe' },
  { id: '2', userPrincipalName: 'jsmith@example.com', mail: 'jsmith@example.com', displayName: 'John Smith' },
  { id: '3', userPrincipalName: 'build.agent@example.com', mail: null, displayName: 'Build Agent' },
];
const directory: DirectoryLookup = {
  findByUpn: async (upn) => people.find((p) => p.userPrincipalName === upn) ?? null,
  findByMail: async (mail) => people.filter((p) => p.mail === mail),
  search: async (text) => people.filter((p) => p.userPrincipalName.startsWith(text)),
};

/** Users with access keys only, classified by the audit with the given rule. */
function estate(rules: Record<string, string>) {
  const b = new SnapshotBuilder();
  const a = b.account('111111111111', 'prod', 'prod');
  a.user('jane.doe', { category: 'service', managed: ['ReadOnlyAccess'], tags: { email: 'jane.doe@example.com' } });
  a.user('jsmith', { category: 'service', managed: ['ReadOnlyAccess'] });
  a.user('etl-runner', { category: 'service', managed: ['ReadOnlyAccess'] });
  a.user('x7', { category: 'service', managed: ['ReadOnlyAccess'] });
  a.user('build.agent', { category: 'service', managed: ['ReadOnlyAccess'] });
  const built = b.build();
  for (const c of built.classifications) {
    c.decidedBy = rules[c.userName] ?? 'undecided';
    c.confidence = c.decidedBy === 'undecided' ? 'low' : 'high';
  }
  return built;
}

describe('classification weighed against the Entra directory', () => {
  test('a name or email tag matching a directory person makes an undecided user a human who migrates', async () => {
    const { plan } = await planOf(estate({ 'etl-runner': 'service-name' }), { directory });
    const user = (name: string) => plan.users.find((u) => u.userName === name)!;
    for (const name of ['jane.doe', 'jsmith']) {
      assert.equal(user(name).category, 'human-programmatic', name);
      assert.equal(user(name).action, 'migrate', name);
      assert.ok(
        user(name).notes.some((n) => n.startsWith('classified as a person')),
        name,
      );
      assert.equal(user(name).review, undefined);
    }
    assert.match(user('jane.doe').notes.join(' '), /jane\.doe@example\.com/);
    assert.equal(user('etl-runner').category, 'service');
    assert.equal(user('etl-runner').review, undefined, 'a service name with no person behind it is not questioned');
  });

  test('an undecided user with no directory person is marked for review in the plan and the spreadsheet', async () => {
    const built = estate({ 'etl-runner': 'service-name' });
    const { plan } = await planOf(built, { directory });
    const x7 = plan.users.find((u) => u.userName === 'x7')!;
    assert.match(x7.review ?? '', /^undecided: nothing tells a person from automation/);
    assert.match(renderPlanCsv(plan, built.snapshot), /x7,.*review: undecided/);
  });

  test('a directory person behind a user a strong rule calls service is flagged, not overturned', async () => {
    const { plan } = await planOf(estate({ 'build.agent': 'user-agent:automation' }), { directory });
    const agent = plan.users.find((u) => u.userName === 'build.agent')!;
    assert.equal(agent.category, 'service');
    assert.match(agent.review ?? '', /the directory has a person for this user .* says service/);
  });

  test('without a directory, the same undecided users are reviewed rather than migrated or replaced silently', async () => {
    const { plan } = await planOf(estate({}));
    for (const name of ['jsmith', 'x7']) {
      const u = plan.users.find((x) => x.userName === name)!;
      assert.equal(u.category, 'service');
      assert.match(u.review ?? '', /^undecided/, name);
    }
    const jane = plan.users.find((u) => u.userName === 'jane.doe')!;
    assert.match(jane.review ?? '', /email names jane\.doe@example\.com \(not checked against the directory\)/);
  });
});
