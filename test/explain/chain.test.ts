import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ExplainFacts, explainChain } from '../../src/explain/chain.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const UPN = 'ana.berg@example.com';

function facts(over: Partial<ExplainFacts> = {}): ExplainFacts {
  return {
    upn: UPN,
    entraUser: { id: 'u1', upn: UPN, enabled: true },
    app: {
      displayName: 'AWS IAM Identity Center',
      assignedUserIds: [],
      assignedGroups: [{ id: 'g1', displayName: 'AWS-dev-Admin', membership: 'direct' }],
    },
    certificates: [{ thumbprint: 'AB', endDateTime: '2029-01-01T00:00:00Z', active: true }],
    storeUser: { id: 's1', userName: UPN },
    storeNearMatch: null,
    storeGroups: ['AWS-dev-Admin'],
    assignments: [{ accountId: '111111111111', permissionSet: 'Admin', via: 'AWS-dev-Admin' }],
    roles: [{ accountId: '111111111111', permissionSet: 'Admin', roleName: 'AWSReservedSSO_Admin_0123456789abcdef' }],
    signIns: null,
    ...over,
  };
}

describe('explain follows a person through the sign-in chain', () => {
  test('holds when every link is in place, skipping sign-ins without data', () => {
    const e = explainChain(facts(), NOW);
    assert.equal(e.ok, true);
    assert.deepEqual(
      e.links.map((l) => l.status),
      ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'skipped'],
    );
  });

  const faults: [string, Partial<ExplainFacts>, string, RegExp][] = [
    ['a disabled Entra user', { entraUser: { id: 'u1', upn: UPN, enabled: false } }, 'entra-user', /disabled/],
    [
      'a person not assigned to the app',
      {
        app: {
          displayName: 'AWS',
          assignedUserIds: [],
          assignedGroups: [{ id: 'g', displayName: 'G', membership: 'none' }],
        },
      },
      'app-assignment',
      /not assigned/,
    ],
    [
      'membership through a nested group only',
      {
        app: {
          displayName: 'AWS',
          assignedUserIds: [],
          assignedGroups: [{ id: 'g', displayName: 'G', membership: 'nested' }],
        },
      },
      'app-assignment',
      /nested/,
    ],
    [
      'an expired signing certificate',
      { certificates: [{ thumbprint: 'AB', endDateTime: '2026-05-01T00:00:00Z', active: true }] },
      'saml-certificate',
      /expired/,
    ],
    [
      'a UPN that differs from the Identity Center user name',
      { storeUser: null, storeNearMatch: { userName: 'ana.b.berg@example.com', matchedBy: 'email' } },
      'identity-store-user',
      /ana\.b\.berg/,
    ],
    ['a person never provisioned', { storeUser: null }, 'identity-store-user', /no Identity Center user/],
    ['no account assignment', { assignments: [], roles: [] }, 'account-assignments', /no account assignment/],
    [
      'a permission set not provisioned to the account',
      { roles: [{ accountId: '111111111111', permissionSet: 'Admin', roleName: null }] },
      'reserved-roles',
      /Admin in 111111111111/,
    ],
  ];
  for (const [name, over, link, detail] of faults) {
    test(`stops at ${link} for ${name}, with the cause and the fix`, () => {
      const e = explainChain(facts(over), NOW);
      assert.equal(e.ok, false);
      assert.equal(e.brokenAt, link);
      const last = e.links.at(-1)!;
      assert.equal(last.id, link);
      assert.match(last.detail, detail);
      assert.ok(last.cause && last.fix);
    });
  }

  test('warns of a certificate expiring within 60 days without breaking the chain', () => {
    const e = explainChain(
      facts({ certificates: [{ thumbprint: 'AB', endDateTime: '2026-07-01T00:00:00Z', active: true }] }),
      NOW,
    );
    assert.equal(e.ok, true);
    assert.equal(e.links.find((l) => l.id === 'saml-certificate')?.status, 'warning');
  });

  test('--account narrows assignments: none there is a broken link', () => {
    assert.equal(explainChain(facts(), NOW, '222222222222').brokenAt, 'account-assignments');
  });
});
