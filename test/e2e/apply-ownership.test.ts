import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateGroupCommand, IdentitystoreClient, paginateListGroups } from '@aws-sdk/client-identitystore';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  paginateListAccountAssignments,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { parseDocument } from 'yaml';
import { awsCli, hasAwsCli, sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { type ApplyWorld, cliJson, startApplyWorld } from '../apply/kit.js';

type Report = {
  created: string[];
  deleted: string[];
  skipped: { item: string; reason: string }[];
  failed: { item: string; error: string }[];
  cancelled: { item: string; reason: string }[];
};

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('apply changes only what it owns (end to end on the sandbox)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let w: ApplyWorld;
  let sso: SSOAdminClient;
  let store: IdentitystoreClient;
  let instanceArn: string;
  let identityStoreId: string;
  const storeGroups = async () => {
    const out = new Map<string, string>();
    for await (const page of paginateListGroups({ client: store }, { IdentityStoreId: identityStoreId }))
      for (const g of page.Groups ?? []) out.set(g.DisplayName!, g.GroupId!);
    return out;
  };
  const assignments = async (accountId: string, permissionSetArn: string) => {
    const out: string[] = [];
    for await (const page of paginateListAccountAssignments(
      { client: sso },
      { InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn },
    ))
      for (const a of page.AccountAssignments ?? []) out.push(a.PrincipalId!);
    return out.sort();
  };
  /** The managed policies of a permission set, as the AWS CLI v2 lists them. */
  const managedPoliciesByCli = async (arn: string) =>
    cliJson<{ AttachedManagedPolicies: { Arn: string }[] }>(
      await awsCli(w.sandbox, [
        'sso-admin',
        'list-managed-policies-in-permission-set',
        '--instance-arn',
        instanceArn,
        '--permission-set-arn',
        arn,
      ]),
    );
  const arnOf = (name: string) =>
    [...w.sandbox.world.sso!.permissionSets.values()].find((p) => p.name === name)?.permissionSetArn;

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

  it('renaming a group whose new Entra group cannot be created keeps the old group and its access', async () => {
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    const plan = w.plan();
    const index = plan.groups.findIndex((g) => g.assignments.length > 0 && g.members.length > 0);
    const old = plan.groups[index];
    const renamed = `${old.name}-renamed`;
    doc.setIn(['groups', index, 'name'], renamed);
    // The plan file is one truth: the users that list the group are renamed with it.
    plan.users.forEach((u, i) => {
      const at = (u as { groups?: string[] }).groups?.indexOf(old.name) ?? -1;
      if (at >= 0) doc.setIn(['users', i, 'groups', at], renamed);
    });
    writeFileSync(w.planPath, doc.toString());
    const before = await storeGroups();
    const oldId = before.get(old.name)!;
    const a = old.assignments[0];
    const psArn = arnOf(a.permissionSet)!;
    // Graph fails the create of the new group (a server error on POST /groups).
    const groups = w.sandbox.world.entra!.groups;
    const set = groups.set.bind(groups);
    groups.set = (id, g) => {
      if (g.displayName === renamed) throw new Error('injected failure');
      return set(id, g);
    };
    try {
      const r = await w.apply(['--json']);
      assert.equal(r.status, 1, r.stderr);
      const report = r.json<Report>();
      assert.ok(
        report.failed.some((f) => f.item === `Entra group ${renamed}`),
        JSON.stringify(report.failed),
      );
      assert.ok(
        report.cancelled.some((c) => c.item === `Entra group ${old.name}`),
        JSON.stringify(report.cancelled),
      );
      assert.deepEqual(report.deleted, []);
    } finally {
      groups.set = set;
    }
    const entraNames = [...groups.values()].filter((g) => !g.deletedDateTime).map((g) => g.displayName);
    assert.ok(entraNames.includes(old.name), 'the old Entra group is still there');
    assert.equal((await storeGroups()).get(old.name), oldId, 'the old Identity Store group is still there');
    assert.ok((await assignments(a.accountId, psArn)).includes(oldId), 'its assignment is still there');
    // Once Graph answers, the rename completes: the new group holds the access, the old one is gone.
    const again = await w.apply(['--json']);
    assert.equal(again.status, 0, again.stderr);
    const after = await storeGroups();
    assert.equal(after.has(old.name), false);
    const now = await assignments(a.accountId, psArn);
    assert.ok(now.includes(after.get(renamed)!), 'the renamed group holds the access');
    assert.equal(now.includes(oldId), false, 'the old group no longer does');
  });

  it('keeps the assignment of a hand-made group to a permission set the tool made', async () => {
    const plan = w.plan();
    const a = plan.groups.find((g) => g.assignments.length > 0)!.assignments[0];
    const psArn = arnOf(a.permissionSet)!;
    const made = await store.send(
      new CreateGroupCommand({ IdentityStoreId: identityStoreId, DisplayName: 'HandMade-Auditors' }),
    );
    await sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        TargetId: a.accountId,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: psArn,
        PrincipalType: 'GROUP',
        PrincipalId: made.GroupId!,
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json<Report>().deleted, []);
    assert.ok((await assignments(a.accountId, psArn)).includes(made.GroupId!), 'the hand-made assignment is kept');
  });

  it('refuses a planned permission set whose name a hand-made one holds, leaves it untouched, applies the rest', async () => {
    const made = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Escalate', SessionDuration: 'PT1H' }),
    );
    const handArn = made.PermissionSet!.PermissionSetArn!;
    await sso.send(
      new AttachManagedPolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: handArn,
        ManagedPolicyArn: READ_ONLY,
      }),
    );
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    const plan = w.plan();
    const template = plan.permissionSets[0];
    doc.addIn(['permissionSets'], { ...template, name: 'Escalate', managedPolicies: [ADMIN], inlinePolicy: null });
    const gi = plan.groups.findIndex((g) => g.assignments.length > 0);
    const accountId = plan.groups[gi].assignments[0].accountId;
    doc.addIn(['groups', gi, 'assignments'], { accountId, permissionSet: 'Escalate' });
    // The plan file is one truth: the users of that group in that account list the new set too.
    plan.users.forEach((u, i) => {
      if (u.accountId === accountId && (u as { groups?: string[] }).groups?.includes(plan.groups[gi].name))
        doc.addIn(['users', i, 'permissionSets'], 'Escalate');
    });
    writeFileSync(w.planPath, doc.toString());
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = r.json<Report>();
    const refusal = report.skipped.find((s) => s.item === 'permission set Escalate');
    assert.match(
      refusal?.reason ?? '',
      /permission set Escalate exists and is not managed by iam2sso: rename it in the plan, or adopt it with/,
    );
    assert.deepEqual(report.failed, []);
    // Exact, through the AWS CLI: the hand-made set still has only ReadOnlyAccess, no tag, and no assignment.
    const policies = await managedPoliciesByCli(handArn);
    assert.deepEqual(
      policies.AttachedManagedPolicies.map((p) => p.Arn),
      [READ_ONLY],
    );
    const tags = cliJson<{ Tags: unknown[] }>(
      await awsCli(w.sandbox, [
        'sso-admin',
        'list-tags-for-resource',
        '--instance-arn',
        instanceArn,
        '--resource-arn',
        handArn,
      ]),
    );
    assert.deepEqual(tags.Tags, []);
    assert.deepEqual(await assignments(accountId, handArn), []);
  });

  it("once adopted explicitly, the hand-made permission set is managed like the tool's own", async () => {
    const adopted = await w.run(['adopt', 'permission-set', 'Escalate', '--state', w.statePath]);
    assert.equal(adopted.status, 0, adopted.stderr);
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    const handArn = arnOf('Escalate')!;
    const policies = await managedPoliciesByCli(handArn);
    assert.deepEqual(
      policies.AttachedManagedPolicies.map((p) => p.Arn),
      [ADMIN],
      'the plan now decides its policies',
    );
  });
});
