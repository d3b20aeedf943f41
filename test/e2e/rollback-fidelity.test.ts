import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { IdentitystoreClient, paginateListGroups } from '@aws-sdk/client-identitystore';
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import Database from 'better-sqlite3';
import { parseDocument } from 'yaml';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME } from '../../src/entra/setup-plan.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';
import { sandboxAdapter } from '../entra/adapter-kit.js';

describe('rollback restores what a run deleted or unassigned, exactly', () => {
  let w: ApplyWorld;
  let sso: SSOAdminClient;
  let store: IdentitystoreClient;
  const instance = () => w.sandbox.world.sso!.instanceArn;
  const arnOf = (name: string) => [...w.sandbox.world.sso!.permissionSets.values()].find((p) => p.name === name);
  const lastRun = () => {
    const db = new Database(w.statePath, { readonly: true });
    try {
      return (
        db.prepare('SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1').get() as {
          run_id: string;
        }
      ).run_id;
    } finally {
      db.close();
    }
  };
  const rollback = (runId: string) =>
    w.run(['rollback', runId, '--auto-approve', '--json', '--state', w.statePath], 180_000);

  /** Everything a permission set is, read back through the SDK, with group names for its assignments. */
  async function permissionSet(name: string) {
    const PermissionSetArn = arnOf(name)?.permissionSetArn;
    if (!PermissionSetArn) return null;
    const InstanceArn = instance();
    const groups = new Map<string, string>();
    for await (const page of paginateListGroups(
      { client: store },
      { IdentityStoreId: w.sandbox.world.sso!.identityStoreId },
    ))
      for (const g of page.Groups ?? []) groups.set(g.GroupId!, g.DisplayName!);
    const d = (await sso.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn }))).PermissionSet!;
    const accounts =
      (await sso.send(new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn, PermissionSetArn })))
        .AccountIds ?? [];
    const assignments: string[] = [];
    for (const AccountId of accounts)
      for (const a of (await sso.send(new ListAccountAssignmentsCommand({ InstanceArn, PermissionSetArn, AccountId })))
        .AccountAssignments ?? [])
        assignments.push(`${AccountId} ${groups.get(a.PrincipalId!)}`);
    const boundary = await sso
      .send(new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn, PermissionSetArn }))
      .then((r) => r.PermissionsBoundary)
      .catch(() => null);
    return {
      description: d.Description,
      sessionDuration: d.SessionDuration,
      relayState: d.RelayState,
      managed: (
        (await sso.send(new ListManagedPoliciesInPermissionSetCommand({ InstanceArn, PermissionSetArn })))
          .AttachedManagedPolicies ?? []
      )
        .map((p) => p.Arn)
        .sort(),
      customerManaged: (
        await sso.send(new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ InstanceArn, PermissionSetArn }))
      ).CustomerManagedPolicyReferences,
      inline: (await sso.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn })))
        .InlinePolicy,
      boundary,
      assignments: assignments.sort(),
    };
  }

  before(async () => {
    w = await startApplyWorld();
    sso = new SSOAdminClient(sdkConfig(w.sandbox));
    store = new IdentitystoreClient(sdkConfig(w.sandbox));
    // The Identity Center enterprise app, as `entra setup` makes it, so that apply assigns its groups to it.
    const adapter = sandboxAdapter(w.sandbox, { sleep: async () => {} });
    await adapter.appWriter.instantiate(AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME);
    const first = await w.apply(['--json']);
    assert.equal(first.status, 0, first.stderr);
  });
  after(async () => {
    sso?.destroy();
    store?.destroy();
    await w?.close();
  });

  it('rolling back the delete of a permission set brings it back with its policies, settings and assignments', async () => {
    const plan = w.plan();
    const target = plan.permissionSets.find((p) =>
      plan.groups.some((g) => g.assignments.some((a) => a.permissionSet === p.name)),
    )!;
    assert.ok(target, 'the plan has an assigned permission set');
    const InstanceArn = instance();
    const PermissionSetArn = arnOf(target.name)!.permissionSetArn;
    // Everything a set can carry, so that the restore is shown for each.
    await sso.send(
      new UpdatePermissionSetCommand({
        InstanceArn,
        PermissionSetArn,
        SessionDuration: 'PT4H',
        RelayState: 'https://console.aws.amazon.com/s3/home',
      }),
    );
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn,
        PermissionSetArn,
        InlinePolicy:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}',
      }),
    );
    await sso.send(
      new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
        InstanceArn,
        PermissionSetArn,
        CustomerManagedPolicyReference: { Name: 'TeamExtras', Path: '/team/' },
      }),
    );
    await sso.send(
      new PutPermissionsBoundaryToPermissionSetCommand({
        InstanceArn,
        PermissionSetArn,
        PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'TeamBoundary', Path: '/' } },
      }),
    );
    // The customer managed policies exist in every account (Identity Center refuses to provision a missing one).
    for (const account of w.sandbox.world.accounts.values())
      for (const [name, path] of [
        ['TeamExtras', '/team/'],
        ['TeamBoundary', '/'],
      ]) {
        const arn = `arn:aws:iam::${account.id}:policy${path}${name}`;
        const now = new Date();
        const document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
        account.iam.policies.set(arn, {
          arn,
          policyName: name,
          policyId: `ANPA${name.toUpperCase()}`,
          path,
          description: '',
          createDate: now,
          updateDate: now,
          versions: [{ versionId: 'v1', document, createDate: now, isDefault: true }],
          tags: [],
        });
      }
    const before = await permissionSet(target.name);
    assert.ok(before && before.assignments.length > 0 && before.managed.length > 0, JSON.stringify(before));

    // The set leaves the plan, with the assignments that use it.
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    doc.deleteIn(['permissionSets', plan.permissionSets.indexOf(target)]);
    plan.groups.forEach((g, gi) => {
      for (let ai = g.assignments.length - 1; ai >= 0; ai--)
        if (g.assignments[ai].permissionSet === target.name) doc.deleteIn(['groups', gi, 'assignments', ai]);
    });
    plan.users.forEach((u, ui) => {
      const sets = (u as { permissionSets?: string[] }).permissionSets ?? [];
      for (let i = sets.length - 1; i >= 0; i--)
        if (sets[i].toLowerCase() === target.name.toLowerCase()) doc.deleteIn(['users', ui, 'permissionSets', i]);
    });
    writeFileSync(w.planPath, doc.toString());
    const deleted = await w.apply(['--json']);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(await permissionSet(target.name), null, 'apply deleted the set');

    const undone = await rollback(lastRun());
    assert.equal(undone.status, 0, undone.stderr);
    assert.deepEqual(await permissionSet(target.name), before);
  });

  it('rolling back an app-role unassignment assigns the group to the Entra app again', async () => {
    const entra = w.sandbox.world.entra!;
    const app = [...entra.servicePrincipals.values()].find((sp) => !sp.deletedDateTime && sp.appRoleAssignedTo.length);
    assert.ok(app, 'the first apply assigned groups to the enterprise app');
    const groupName = (id: string) => entra.groups.get(id)?.displayName;
    const assigned = () =>
      new Set(app.appRoleAssignedTo.map((a) => groupName(a.principalId)).filter((n): n is string => !!n));
    const before = assigned();
    assert.ok(before.size > 0);
    // Rolling back the run that deleted the set leaves the groups; rolling back the first apply unassigns them.
    const runs = new Database(w.statePath, { readonly: true });
    const firstApply = (
      runs.prepare("SELECT run_id FROM runs WHERE command = 'apply' ORDER BY started_at LIMIT 1").get() as {
        run_id: string;
      }
    ).run_id;
    runs.close();
    const unassigned = await rollback(firstApply);
    assert.equal(unassigned.status, 0, unassigned.stderr);
    assert.deepEqual(
      [...assigned()].filter((g) => before.has(g)),
      [],
      'the groups the apply assigned are unassigned',
    );
    const reassigned = await rollback(lastRun());
    assert.equal(reassigned.status, 0, reassigned.stderr);
    assert.deepEqual([...assigned()].sort(), [...before].sort(), 'the same groups are assigned again');
  });
});
