import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from '../../../src/core/reconcile/changes.js';
import { gateByReads, uncoveredAccounts } from '../../../src/core/reconcile/read-gate.js';

const live = [
  { accountId: '111111111111', permissionSet: 'Dev', group: 'G' },
  { accountId: '222222222222', permissionSet: 'Ops', group: 'H' },
];
const changes: Change[] = [
  { kind: 'assignment.delete', accountId: '222222222222', permissionSet: 'Ops', group: 'H' },
  {
    kind: 'ps.delete',
    name: 'Ops',
    snapshot: {
      name: 'Ops',
      description: '',
      sessionDuration: 'PT1H',
      managedPolicies: [],
      customerManagedPolicies: [],
      inlinePolicy: null,
      permissionsBoundary: null,
    },
  },
  { kind: 'entra.member.remove', group: 'G', upn: 'a@x' },
];

describe('accounts that left the plan', () => {
  it('names the accounts outside the plan that deletes act in or serve, and no others', () => {
    assert.deepEqual(uncoveredAccounts(changes, new Set(['111111111111']), live), ['222222222222']);
    assert.deepEqual(uncoveredAccounts(changes, new Set(['111111111111', '222222222222']), live), []);
  });

  it('holds them with the account named and why it could not be read', () => {
    const covered = new Set(['111111111111']);
    const { changes: go, held } = gateByReads(
      changes,
      covered,
      covered,
      live,
      new Map([['222222222222', 'AccessDenied']]),
    );
    assert.deepEqual(
      go.map((c) => c.kind),
      ['entra.member.remove'],
    );
    assert.equal(held.length, 2);
    for (const h of held)
      assert.match(h.reason, /account 222222222222 left the plan and could not be read now \(AccessDenied\)/);
  });
});
