/** The exactness check every apply test ends with: Identity Center, the Identity Store and IAM hold what the plan says. */
import assert from 'node:assert/strict';
import { durationSeconds } from '@iam2sso/sandbox/aws/sso-admin/provision-role.js';
import { type ApplyWorld, expectedState, readBack, reservedRoles } from './kit.js';

/** Asserts the live state equals the plan's (through SDK v3, IAM, and with `cli` the AWS CLI v2 as well). */
export async function assertExact(w: ApplyWorld, options: { cli: boolean }): Promise<void> {
  const plan = w.plan();
  const want = expectedState(plan, w.sandbox);
  const accounts = [...new Set(want.assignments.map((a) => a.accountId))];
  const wantAssignments = want.assignments.map((a) => `${a.accountId}|${a.permissionSet}|${a.group}`).sort();
  const live = await readBack(
    w.sandbox,
    accounts,
    options.cli ? { assignments: want.assignments, groups: [...want.groups.keys()] } : null,
  );
  assert.deepEqual([...live.assignments].sort(), wantAssignments, 'account assignments');
  assert.equal(new Set(live.groupNames).size, live.groupNames.length, 'no duplicate Identity Store groups');
  assert.equal(new Set(live.permissionSetNames).size, live.permissionSetNames.length, 'no duplicate permission sets');
  for (const [group, members] of want.groups)
    assert.deepEqual(live.memberships.get(group), members, `members of ${group}`);
  if (options.cli) {
    assert.deepEqual([...live.viaCli.assignments].sort(), wantAssignments, 'aws sso-admin list-account-assignments');
    for (const [group, members] of want.groups)
      assert.deepEqual(
        live.viaCli.memberships.get(group),
        members,
        `aws identitystore list-group-memberships ${group}`,
      );
  }
  const entraNames = [...w.sandbox.world.entra!.groups.values()]
    .filter((g) => !g.deletedDateTime)
    .map((g) => g.displayName);
  for (const g of plan.groups)
    assert.equal(entraNames.filter((n) => n === g.name).length, 1, `one Entra group ${g.name}`);
  // Every planned human gets, in every account the plan gives them, the role with exactly the set's policies.
  for (const accountId of accounts) {
    const roles = await reservedRoles(w.sandbox, accountId);
    for (const a of want.assignments.filter((x) => x.accountId === accountId)) {
      const ps = want.permissionSets.get(a.permissionSet)!;
      const role = roles.get(a.permissionSet);
      assert.ok(role, `role for ${a.permissionSet} in ${accountId}`);
      assert.deepEqual(role.managed, [...ps.managedPolicies].sort(), `policies of ${a.permissionSet} in ${accountId}`);
      assert.equal(role.inline.length, ps.inlinePolicy ? 1 : 0, `inline policy of ${a.permissionSet}`);
      assert.equal(role.maxSessionDuration, durationSeconds(ps.sessionDuration), `session of ${a.permissionSet}`);
    }
  }
}
