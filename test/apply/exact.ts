/** The exactness check every apply test ends with: Identity Center, the Identity Store and IAM hold what the plan says. */
import assert from 'node:assert/strict';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListInstancesCommand,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { durationSeconds } from '@iam2sso/sandbox/aws/sso-admin/provision-role.js';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { PermissionsBoundaryRef, PlannedPermissionSet } from '../../src/core/plan-types.js';
import { type ApplyWorld, expectedState, readBack, reservedRoles } from './kit.js';

/** A policy document with its object keys sorted at every level, so equal policies compare equal as text. */
export function canonicalJson(json: string): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sortKeys(JSON.parse(json)));
}

/** The ARN a customer managed policy reference names in an account. */
function customerPolicyArn(accountId: string, ref: { name: string; path: string }): string {
  return `arn:aws:iam::${accountId}:policy${ref.path}${ref.name}`;
}

function boundaryArn(accountId: string, b: PermissionsBoundaryRef | null): string | null {
  if (!b) return null;
  return 'managedPolicyArn' in b ? b.managedPolicyArn : customerPolicyArn(accountId, b.customerManagedPolicy);
}

/** The inline policy document of a permission set's role in an account, from the sandbox's IAM state. */
function roleInlinePolicy(sandbox: RunningSandbox, accountId: string, permissionSet: string): string | null {
  const roles = [...(sandbox.world.accounts.get(accountId)?.iam.roles.values() ?? [])];
  const prefix = `AWSReservedSSO_${permissionSet}_`;
  const role = roles.find(
    (r) => r.roleName.startsWith(prefix) && /^[0-9a-f]{16}$/.test(r.roleName.slice(prefix.length)),
  );
  return role?.inlinePolicies.get('AwsSSOInlinePolicy') ?? null;
}

/** Asserts each planned permission set holds exactly its policies in Identity Center (read through SDK v3). */
async function assertPermissionSetContents(sandbox: RunningSandbox, sets: Map<string, PlannedPermissionSet>) {
  const admin = new SSOAdminClient(sdkConfig(sandbox));
  const seen = new Set<string>();
  try {
    const InstanceArn = (await admin.send(new ListInstancesCommand({}))).Instances![0].InstanceArn!;
    for await (const page of paginateListPermissionSets({ client: admin }, { InstanceArn }))
      for (const PermissionSetArn of page.PermissionSets ?? []) {
        const q = { InstanceArn, PermissionSetArn };
        const name = (await admin.send(new DescribePermissionSetCommand(q))).PermissionSet!.Name!;
        const ps = sets.get(name);
        if (!ps) continue;
        seen.add(name);
        const managed: string[] = [];
        for await (const p of paginateListManagedPoliciesInPermissionSet({ client: admin }, q))
          managed.push(...(p.AttachedManagedPolicies ?? []).map((m) => m.Arn!));
        assert.deepEqual(managed.sort(), [...ps.managedPolicies].sort(), `managed policies of ${name}`);
        const customer: string[] = [];
        for await (const p of paginateListCustomerManagedPolicyReferencesInPermissionSet({ client: admin }, q))
          customer.push(...(p.CustomerManagedPolicyReferences ?? []).map((r) => `${r.Path ?? '/'}${r.Name}`));
        const wantCustomer = ps.customerManagedPolicies.map((r) => `${r.path}${r.name}`);
        assert.deepEqual(customer.sort(), wantCustomer.sort(), `customer managed policy references of ${name}`);
        const inline = (await admin.send(new GetInlinePolicyForPermissionSetCommand(q))).InlinePolicy ?? '';
        assert.equal(
          inline ? canonicalJson(inline) : null,
          ps.inlinePolicy ? canonicalJson(ps.inlinePolicy) : null,
          `inline policy of ${name}`,
        );
        const boundary = await admin
          .send(new GetPermissionsBoundaryForPermissionSetCommand(q))
          .then((r) => r.PermissionsBoundary ?? null)
          .catch((e: Error) => {
            if (e.name === 'ResourceNotFoundException') return null;
            throw e;
          });
        const got = boundary?.CustomerManagedPolicyReference
          ? {
              customerManagedPolicy: {
                name: boundary.CustomerManagedPolicyReference.Name!,
                path: boundary.CustomerManagedPolicyReference.Path ?? '/',
              },
            }
          : boundary?.ManagedPolicyArn
            ? { managedPolicyArn: boundary.ManagedPolicyArn }
            : null;
        assert.deepEqual(got, ps.permissionsBoundary, `permissions boundary of ${name}`);
      }
    assert.deepEqual(
      [...sets.keys()].filter((n) => !seen.has(n)),
      [],
      'every planned permission set exists',
    );
  } finally {
    admin.destroy();
  }
}

/** Asserts the live state equals the plan's (through SDK v3, IAM, and with `cli` the AWS CLI v2 as well). */
export async function assertExact(w: ApplyWorld, options: { cli: boolean }): Promise<void> {
  const plan = w.plan();
  const want = expectedState(plan, w.sandbox);
  const accounts = [...new Set(want.assignments.map((a) => a.accountId))];
  const wantAssignments = want.assignments.map((a) => `${a.accountId}|${a.permissionSet}|${a.group}`).sort();
  // The AWS CLI (a Python process, about a second of CPU per call) reads back a spread sample of the pairs and
  // groups, enough to prove the wire agrees; the SDK reads back every one.
  const pairs = [...new Map(want.assignments.map((a) => [`${a.accountId}|${a.permissionSet}`, a])).values()];
  const cliPairs = spread(pairs, 4);
  const cliGroups = spread([...want.groups.keys()].sort(), 4);
  const live = await readBack(w.sandbox, accounts, options.cli ? { assignments: cliPairs, groups: cliGroups } : null);
  assert.deepEqual([...live.assignments].sort(), wantAssignments, 'account assignments');
  assert.equal(new Set(live.groupNames).size, live.groupNames.length, 'no duplicate Identity Store groups');
  assert.equal(new Set(live.permissionSetNames).size, live.permissionSetNames.length, 'no duplicate permission sets');
  for (const [group, members] of want.groups)
    assert.deepEqual(live.memberships.get(group), members, `members of ${group}`);
  if (options.cli) {
    assert.ok(cliPairs.length > 0 && cliGroups.length > 0, 'the AWS CLI has something to read back');
    const sampled = new Set(cliPairs.map((a) => `${a.accountId}|${a.permissionSet}`));
    assert.deepEqual(
      [...live.viaCli.assignments].sort(),
      wantAssignments.filter((a) => sampled.has(a.split('|').slice(0, 2).join('|'))),
      'aws sso-admin list-account-assignments',
    );
    for (const group of cliGroups)
      assert.deepEqual(
        live.viaCli.memberships.get(group),
        want.groups.get(group),
        `aws identitystore list-group-memberships ${group}`,
      );
  }
  const entraNames = [...w.sandbox.world.entra!.groups.values()]
    .filter((g) => !g.deletedDateTime)
    .map((g) => g.displayName);
  for (const g of plan.groups)
    assert.equal(entraNames.filter((n) => n === g.name).length, 1, `one Entra group ${g.name}`);
  await assertPermissionSetContents(w.sandbox, want.permissionSets);
  // Every planned human gets, in every account the plan gives them, the role with exactly the set's policies.
  for (const accountId of accounts) {
    const roles = await reservedRoles(w.sandbox, accountId);
    for (const a of want.assignments.filter((x) => x.accountId === accountId)) {
      const ps = want.permissionSets.get(a.permissionSet)!;
      const role = roles.get(a.permissionSet);
      const where = `${a.permissionSet} in ${accountId}`;
      assert.ok(role, `role for ${where}`);
      const attached = [
        ...ps.managedPolicies,
        ...ps.customerManagedPolicies.map((ref) => customerPolicyArn(accountId, ref)),
      ].sort();
      assert.deepEqual(role.managed, attached, `attached policies of ${where}`);
      assert.deepEqual(role.inline, ps.inlinePolicy ? ['AwsSSOInlinePolicy'] : [], `inline policy of ${where}`);
      // The sandbox's IAM has no GetRolePolicy yet: the role's inline document is read from its state.
      const inline = roleInlinePolicy(w.sandbox, accountId, a.permissionSet);
      assert.equal(
        inline ? canonicalJson(inline) : null,
        ps.inlinePolicy ? canonicalJson(ps.inlinePolicy) : null,
        `inline policy document of ${where}`,
      );
      assert.equal(role.boundary, boundaryArn(accountId, ps.permissionsBoundary), `permissions boundary of ${where}`);
      assert.equal(role.maxSessionDuration, durationSeconds(ps.sessionDuration), `session of ${where}`);
    }
  }
}

/** At most `n` items spread evenly over the list (first and last included). */
function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}
