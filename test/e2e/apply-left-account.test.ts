import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';

describe('apply and an account that left the plan', () => {
  let w: ApplyWorld;
  let left: string;
  const assignmentsIn = (account: string) =>
    w.sandbox.world.sso!.assignments.filter((a) => a.accountId === account && a.principalType === 'GROUP').length;
  const rule = (body: unknown) =>
    fetch(`${w.sandbox.info.endpoint}/_sandbox/faults/rules`, { method: 'POST', body: JSON.stringify(body) });

  before(async () => {
    w = await startApplyWorld();
    const first = await w.apply(['--json']);
    assert.equal(first.status, 0, first.stderr);
    const plan = w.plan();
    const management = w.sandbox.world.sso!.ownerAccountId;
    left = plan.fingerprint.accounts.map((a) => a.accountId).find((id) => id !== management && assignmentsIn(id) > 0)!;
    assert.ok(left, 'a member account holds assignments the first apply made');
    // The account leaves the plan: its fingerprint, its users and the assignments there.
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    const drop = (path: (string | number)[], keep: (i: number) => boolean, count: number) => {
      for (let i = count - 1; i >= 0; i--) if (!keep(i)) doc.deleteIn([...path, i]);
    };
    drop(
      ['fingerprint', 'accounts'],
      (i) => plan.fingerprint.accounts[i].accountId !== left,
      plan.fingerprint.accounts.length,
    );
    drop(['users'], (i) => plan.users[i].accountId !== left, plan.users.length);
    for (const [gi, g] of plan.groups.entries())
      drop(['groups', gi, 'assignments'], (i) => g.assignments[i].accountId !== left, g.assignments.length);
    writeFileSync(w.planPath, doc.toString());
  });
  after(async () => {
    await w?.close();
  });

  it('holds what it owns there, naming the account, while the account cannot be read', async () => {
    const held = assignmentsIn(left);
    await rule({ service: 'iam', operation: 'GetAccountAuthorizationDetails', account: left, error: 'AccessDenied' });
    try {
      const r = await w.apply(['--allow-mass-delete']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`account ${left} left the plan and could not be read now \\(.*AccessDenied`));
      assert.equal(assignmentsIn(left), held, 'nothing in the unread account was deleted');
    } finally {
      await fetch(`${w.sandbox.info.endpoint}/_sandbox/faults/rules`, { method: 'DELETE' });
    }
  });

  it('reads the account again and then removes what it owns there, as planned', async () => {
    const r = await w.apply(['--allow-mass-delete', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`account ${left} left the plan: read again now`));
    assert.equal(assignmentsIn(left), 0, 'the assignments iam2sso made there are gone');
  });
});
