import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runAsync } from '../../packages/sandbox/test/helpers/sandbox.js';
import { defaultPlanSettings } from '../../src/core/plan-settings.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { renderPlanCsv } from '../../src/report/plan-export-rows.js';
import { renderPlanTerraform } from '../../src/report/plan-export-terraform.js';
import { planOf } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const TERRAFORM = ['/usr/local/bin/terraform', '/usr/bin/terraform'].find((p) => existsSync(p));

describe('plan exports', () => {
  let plan: MigrationPlan;
  let built: ReturnType<SnapshotBuilder['build']>;
  before(async () => {
    const b = new SnapshotBuilder();
    for (const id of ['111111111111', '222222222222']) {
      const a = b.account(id, `Account ${id[0]}`, `acct${id[0]}`);
      const cmp = a.customerPolicy(
        'TeamDynamo',
        { Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: '*' }] },
        '/team/',
      );
      a.user('dana', {
        managed: ['AmazonS3ReadOnlyAccess', cmp],
        inline: { notes: { Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' }] } },
        boundary: cmp,
        tags: { email: 'dana@example.com' },
      });
      a.user('ed', {
        managed: ['AdministratorAccess'],
        boundary: 'PowerUserAccess',
        tags: { email: 'ed@example.com' },
      });
      a.user('ci, "deploy"', { category: 'service', managed: ['AmazonS3FullAccess'] });
    }
    built = b.build();
    plan = (await planOf(built, { settings: { ...defaultPlanSettings(), customerManagedPolicies: 'reference' } })).plan;
  });

  test('terraform: every aws_ssoadmin resource kind the plan needs, wired by reference', () => {
    const tf = renderPlanTerraform(plan);
    for (const kind of [
      'aws_ssoadmin_permission_set',
      'aws_ssoadmin_managed_policy_attachment',
      'aws_ssoadmin_customer_managed_policy_attachment',
      'aws_ssoadmin_permission_set_inline_policy',
      'aws_ssoadmin_permissions_boundary_attachment',
      'aws_ssoadmin_account_assignment',
      'aws_identitystore_group',
    ]) {
      assert.match(tf, new RegExp(`resource "${kind}" "[a-z_][a-z0-9_]*" \\{`), kind);
    }
    const assignments = tf.match(/resource "aws_ssoadmin_account_assignment"/g)?.length;
    assert.equal(
      assignments,
      plan.groups.reduce((n, g) => n + g.assignments.length, 0),
    );
    assert.match(tf, /principal_id {7}= aws_identitystore_group\.\w+\.group_id/);
    const azure = renderPlanTerraform(plan, { azuread: true });
    assert.match(azure, /resource "azuread_group" "\w+" \{\n {2}display_name {5}= "AWS-/);
    assert.match(azure, /data "aws_identitystore_group" "\w+"/);
    assert.doesNotMatch(azure, /resource "aws_identitystore_group"/);
  });

  test('terraform: output passes `terraform fmt -check`', {
    skip: !TERRAFORM && 'terraform not installed',
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam2sso-tf-'));
    try {
      writeFileSync(join(dir, 'identity-center.tf'), renderPlanTerraform(plan));
      writeFileSync(
        join(dir, 'azuread.tf'),
        renderPlanTerraform(plan, { azuread: true }).replace(/data "aws_ssoadmin_instances"[\s\S]*?\n\}\n/, ''),
      );
      const run = await runAsync(TERRAFORM as string, ['fmt', '-check', '-diff', dir], {
        PATH: process.env.PATH ?? '',
        HOME: dir,
      });
      assert.equal(run.status, 0, run.stdout + run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('csv: the seed guide spreadsheet columns, one row per user, quoted where needed', () => {
    const csv = renderPlanCsv(plan, built.snapshot);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'Username,Account,Category,Policies,Equivalent Permission Set,Target Entra Group,Target AWS Account(s),UPN,Action,Notes',
    );
    assert.equal(lines.length, plan.users.length + 1);
    const ci = lines.find((l) => l.startsWith('"ci, ""deploy"""'));
    assert.ok(ci, csv);
    assert.match(ci, /replace/);
    const dana = lines.find((l) => l.startsWith('dana,111111111111'))!;
    assert.match(dana, /AmazonS3ReadOnlyAccess; TeamDynamo; notes \(inline\)/);
    assert.match(dana, /dana@example\.com/);
  });
});
