import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AppAudience, peopleChecks, provisioningChecks, type StoreUserFacts } from '../../src/doctor/people.js';
import type { EntraUser } from '../../src/entra/ports.js';

const person = (id: string, upn: string, over: Partial<EntraUser> = {}): EntraUser => ({
  id,
  userPrincipalName: upn,
  mail: upn,
  givenName: 'Given',
  surname: 'Surname',
  displayName: upn,
  accountEnabled: true,
  onPremisesImmutableId: null,
  ...over,
});
const store = (id: string, userName: string, over: Partial<StoreUserFacts> = {}): StoreUserFacts => ({
  id,
  userName,
  emails: [userName],
  externalIds: [],
  ...over,
});

const users = [
  person('e1', 'ana@example.com'),
  person('e2', 'tom@example.com'),
  person('e3', 'lea@example.com', { accountEnabled: false }),
  person('e4', 'jin@example.com', { surname: null }),
  person('e5', 'omar@example.com'),
  person('e6', 'ines@example.com'),
];
const audience: AppAudience = {
  directUserIds: ['e5'],
  groups: [
    {
      id: 'g1',
      displayName: 'AWS-dev',
      directUserIds: ['e1', 'e2', 'e3', 'e4'],
      transitiveUserIds: ['e1', 'e2', 'e3', 'e4', 'e6'],
    },
  ],
};
const storeUsers = [
  store('s1', 'ana@example.com'),
  store('s2', 'tom.o@example.com', { externalIds: ['e2'] }),
  store('s4', 'jin@example.com'),
  store('s9', 'old@example.com'),
];

describe('doctor: people', () => {
  const checks = new Map(peopleChecks(users, audience, storeUsers, new Set(['s1', 's2', 's4'])).map((c) => [c.id, c]));

  test('names each kind of person problem with the people it concerns', () => {
    assert.match(
      checks.get('people.upn-mismatch')!.evidence,
      /tom@example\.com \(Identity Center: tom\.o@example\.com\)/,
    );
    assert.equal(checks.get('people.not-provisioned')!.evidence, 'omar@example.com');
    assert.equal(checks.get('people.nested-groups')!.evidence, 'ines@example.com');
    assert.equal(checks.get('people.disabled')!.evidence, 'lea@example.com');
    assert.equal(checks.get('people.attributes')!.evidence, 'jin@example.com');
    assert.equal(checks.get('people.no-accounts')!.evidence, 'old@example.com');
    assert.deepEqual(
      [...checks.values()].map((c) => c.status),
      ['error', 'error', 'error', 'warning', 'warning', 'warning'],
    );
  });
});

describe('doctor: provisioning', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  test('a quarantined Entra job is an error with the SCIM token fix', () => {
    const [c] = provisioningChecks(
      [{ id: 'j', templateId: 'aws', scheduleState: 'Active', quarantined: true, lastExecutionState: 'Succeeded' }],
      null,
      now,
    );
    assert.equal(c.status, 'error');
    assert.match(c.fix!, /token/);
  });
  test("without Entra provisioning, iam2sso sync's last run decides: fresh, stale, or never", () => {
    assert.equal(provisioningChecks([], '2026-06-01T08:00:00Z', now)[0].status, 'ok');
    assert.equal(provisioningChecks([], '2026-05-20T08:00:00Z', now)[0].status, 'warning');
    assert.match(provisioningChecks([], null, now)[0].title, /nothing provisions/);
  });
});
