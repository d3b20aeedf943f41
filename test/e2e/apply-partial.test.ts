/**
 * Never act on what was not read: after a migration, one account's audit read fails (its
 * GetAccountAuthorizationDetails is denied); plan says so, and `apply --auto-approve` then leaves every object
 * the tool owns for that account as it was (its account assignments, the groups that hold them and their members),
 * checked through the SDK.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdentitystoreClient, ListGroupMembershipsCommand, ListGroupsCommand } from '@aws-sdk/client-identitystore';
import {
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';

type Report = { deleted: string[]; skipped: { item: string; reason: string }[]; failed: unknown[] };

describe('apply after a partial audit leaves the unread account alone', () => {
  let w: ApplyWorld;
  let sso: SSOAdminClient;
  let store: IdentitystoreClient;
  let instanceArn: string;
  let identityStoreId: string;

  /** Every account assignment in an account, as `permission set ARN|principal id`, and group members by group. */
  async function accountState(accountId: string) {
    const assignments: string[] = [];
    const sets = (await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }))).PermissionSets ?? [];
    for (const ps of sets) {
      const out = await sso.send(
        new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: ps }),
      );
      for (const a of out.AccountAssignments ?? []) assignments.push(`${ps}|${a.PrincipalId}`);
    }
    const groups = (await store.send(new ListGroupsCommand({ IdentityStoreId: identityStoreId }))).Groups ?? [];
    const members: Record<string, string[]> = {};
    for (const g of groups.filter((g) => assignments.some((a) => a.endsWith(`|${g.GroupId}`)))) {
      const m = await store.send(
        new ListGroupMembershipsCommand({ IdentityStoreId: identityStoreId, GroupId: g.GroupId! }),
      );
      members[g.DisplayName!] = (m.GroupMemberships ?? []).map((x) => x.MemberId?.UserId ?? '').sort();
    }
    return { assignments: assignments.sort(), members };
  }

  before(async () => {
    w = await startApplyWorld();
    sso = new SSOAdminClient(sdkConfig(w.sandbox));
    store = new IdentitystoreClient(sdkConfig(w.sandbox));
    const [instance] = (await sso.send(new ListInstancesCommand({}))).Instances ?? [];
    instanceArn = instance.InstanceArn!;
    identityStoreId = instance.IdentityStoreId!;
    const first = await w.apply(['--json']);
    assert.equal(first.status, 0, first.stderr);
  });
  after(async () => {
    sso?.destroy();
    store?.destroy();
    await w?.close();
  });

  it('plans nothing for the account it could not read and changes nothing there', async () => {
    const management = w.sandbox.manifest.managementAccountId;
    const plan = w.plan();
    const target = [...new Set(plan.groups.flatMap((g) => g.assignments.map((a) => a.accountId)))].find(
      (id) => id !== management,
    )!;
    assert.ok(target, 'the plan assigns access in a member account');
    const beforeState = await accountState(target);
    assert.ok(beforeState.assignments.length > 0, 'the migration made assignments there');
    assert.ok(
      Object.values(beforeState.members).some((m) => m.length > 0),
      'with members',
    );

    const rule = await fetch(`${w.sandbox.info.endpoint}/_sandbox/faults/rules`, {
      method: 'POST',
      body: JSON.stringify({
        service: 'iam',
        operation: 'GetAccountAuthorizationDetails',
        account: target,
        error: 'AccessDenied',
      }),
    });
    assert.equal(rule.status < 300, true, await rule.text());
    const audit = await w.run(['audit', '--state', w.statePath, '--no-progress']);
    assert.equal(audit.status, 0, audit.stderr);
    const planned = await w.run(['plan', '--state', w.statePath, '--out', w.planPath]);
    assert.equal(planned.status, 0, planned.stderr);
    assert.match(planned.stderr, new RegExp(`Accounts not fully read.*${target}`));

    const applied = await w.apply(['--json']);
    assert.equal(applied.status, 0, applied.stderr);
    const report = applied.json<Report>();
    assert.deepEqual(report.failed, []);
    assert.deepEqual(
      report.deleted.filter((d) => d.includes(target)),
      [],
      'nothing in the unread account is reported deleted',
    );
    assert.deepEqual(await accountState(target), beforeState, 'assignments, groups and members there are unchanged');
  });
});
