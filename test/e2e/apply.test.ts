import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AttachUserPolicyCommand, DetachUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { parseDocument } from 'yaml';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { requireTool } from '../../packages/sandbox/test/helpers/tools.js';
import { assertExact } from '../apply/exact.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';

type Report = {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
  skipped: { item: string; reason: string }[];
  failed: { item: string; error: string }[];
};

describe('iam2sso apply (end to end on the sandbox)', () => {
  let w: ApplyWorld;
  before(async () => {
    w = await startApplyWorld();
  });
  after(async () => {
    await w?.close();
  });

  it('refuses to apply without --auto-approve when stdin is not a terminal', async () => {
    const r = await w.run(['apply', '--plan', w.planPath, '--state', w.statePath]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--auto-approve/);
    assert.equal(w.sandbox.world.sso!.permissionSets.size, 0, 'nothing was written');
  });

  it('--dry-run lists the writes and makes none', async () => {
    const r = await w.apply(['--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /CreatePermissionSet /);
    assert.match(r.stdout, /CreateAccountAssignment /);
    assert.equal(w.sandbox.world.sso!.permissionSets.size, 0);
  });

  it('applies a plan from empty: Identity Center, the Identity Store and Entra hold exactly what it says', async (t) => {
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = r.json<Report>();
    assert.deepEqual(report.failed, []);
    const plan = w.plan();
    assert.ok(plan.permissionSets.length > 0, 'the plan has permission sets');
    for (const ps of plan.permissionSets) assert.ok(report.created.includes(`permission set ${ps.name}`), ps.name);
    const blocked = plan.users.filter((u) => u.action === 'migrate' && u.blockedBy.length > 0);
    assert.ok(blocked.length > 0, 'the scenario has people the plan blocks, whose skip the report must give');
    for (const u of blocked) assert.ok(report.skipped.some((s) => s.item === `user ${u.accountId}/${u.userName}`));
    await assertExact(w, { cli: requireTool(t, 'aws', 'the read-back through the AWS CLI v2') });
    const entraNames = [...w.sandbox.world.entra!.groups.values()].map((g) => g.displayName);
    for (const g of plan.groups)
      assert.equal(entraNames.filter((n) => n === g.name).length, 1, `Entra group ${g.name}`);
  });

  it('a second apply changes nothing, and plan --detailed-exitcode exits 0', async () => {
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = r.json<Report>();
    assert.deepEqual([report.created, report.updated, report.deleted, report.failed], [[], [], [], []]);
    assert.ok(report.unchanged.length > 0);
    const p = await w.run(['plan', '--state', w.statePath, '--out', w.planPath, '--detailed-exitcode']);
    assert.equal(p.status, 0, p.stderr);
  });

  it('applies an edit of the plan as the minimal change (session, customer managed policy, a newly mapped member)', async () => {
    const plan = w.plan();
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    const used = new Set(plan.groups.flatMap((g) => g.assignments.map((a) => a.permissionSet)));
    const psIndex = plan.permissionSets.findIndex((p) => used.has(p.name));
    const ps = plan.permissionSets[psIndex];
    const duration = ps.sessionDuration === 'PT4H' ? 'PT5H' : 'PT4H';
    doc.setIn(['permissionSets', psIndex, 'sessionDuration'], duration);
    // A customer managed policy reference (every account of the scenario has DevS3AndEC2Access), so the exactness
    // check below compares one in Identity Center and on the provisioned roles.
    const customer = { name: 'DevS3AndEC2Access', path: '/' };
    assert.ok(!ps.customerManagedPolicies.some((c) => c.name === customer.name));
    doc.setIn(['permissionSets', psIndex, 'customerManagedPolicies'], [...ps.customerManagedPolicies, customer]);
    // A user blocked only for want of a UPN, given the one Entra has for them.
    const entraUpns = new Set(
      [...w.sandbox.world.entra!.users.values()].filter((u) => u.accountEnabled).map((u) => u.userPrincipalName),
    );
    const manifest = w.sandbox.manifest.users;
    const userIndex = plan.users.findIndex(
      (u) =>
        u.action === 'migrate' &&
        !u.upn &&
        u.blockedBy.length === 1 &&
        manifest.some(
          (m) => m.accountId === u.accountId && m.userName === u.userName && m.upn && entraUpns.has(m.upn),
        ) &&
        u.groups.length > 0,
    );
    assert.ok(userIndex >= 0, 'a user blocked only by a missing UPN');
    const user = plan.users[userIndex];
    const upn = manifest.find((m) => m.accountId === user.accountId && m.userName === user.userName)!.upn!;
    doc.setIn(['users', userIndex, 'upn'], upn);
    writeFileSync(w.planPath, doc.toString());
    const replanned = await w.run(['plan', '--state', w.statePath, '--out', w.planPath, '--detailed-exitcode']);
    assert.equal(replanned.status, 2, replanned.stderr);
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = r.json<Report>();
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.deleted, []);
    assert.ok(
      report.updated.some(
        (u) =>
          u.startsWith(`permission set ${ps.name} (session ${ps.sessionDuration} -> ${duration}`) &&
          u.includes('+ customer managed /DevS3AndEC2Access'),
      ),
      JSON.stringify(report.updated),
    );
    assert.ok(report.created.includes(`Identity Store user ${upn.toLowerCase()}`), JSON.stringify(report.created));
    assert.ok(
      report.created.every((c) => c.includes(upn.toLowerCase())),
      `only the new member is created: ${report.created}`,
    );
    assert.ok(report.updated.filter((u) => u.startsWith('permission set')).length === 1);
    await assertExact(w, { cli: false });
    const again = await w.run(['plan', '--state', w.statePath, '--out', w.planPath, '--detailed-exitcode']);
    assert.equal(again.status, 0, again.stderr);
  });

  it('refuses a stale plan and says what moved', async () => {
    const plan = w.plan();
    const target = plan.users.find((u) => u.accountId === w.sandbox.info.managementAccountId)!;
    const iam = new IAMClient(sdkConfig(w.sandbox));
    const policy = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
    await iam.send(new AttachUserPolicyCommand({ UserName: target.userName, PolicyArn: policy }));
    try {
      const before = w.sandbox.world.sso!.permissionSets.size;
      const r = await w.apply();
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /stale/i);
      assert.match(r.stderr, new RegExp(`${target.accountId}: user ${target.userName}: policies changed`));
      assert.equal(w.sandbox.world.sso!.permissionSets.size, before);
    } finally {
      await iam.send(new DetachUserPolicyCommand({ UserName: target.userName, PolicyArn: policy }));
      iam.destroy();
    }
  });
});
