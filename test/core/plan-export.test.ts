import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import hcl from 'hcl2-parser';
import { defaultPlanSettings } from '../../src/core/plan-settings.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { csvText } from '../../src/report/csv.js';
import { renderPlanCsv } from '../../src/report/plan-export-rows.js';
import { renderPlanTerraform } from '../../src/report/plan-export-terraform.js';
import { planOf } from '../helpers/plan-kit.js';
import { SnapshotBuilder } from '../helpers/snapshot-builder.js';

const parsedHcl = new Map<string, [Hcl | null, unknown]>();
/** hcl2-parser (hcl2json compiled to JS) is slow: parse each text once. */
function parseHcl(text: string): [Hcl | null, unknown] {
  if (!parsedHcl.has(text)) parsedHcl.set(text, hcl.parseToObject(text) as [Hcl | null, unknown]);
  return parsedHcl.get(text) as [Hcl | null, unknown];
}

type Hcl = Record<string, Record<string, Record<string, Record<string, unknown>[]>>>;

/**
 * Arguments of the resources the export writes, from the providers' documentation: hashicorp/aws
 * (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssoadmin_*, identitystore_group, and the
 * identitystore_group data source with alternate_identifier.unique_attribute) and hashicorp/azuread
 * (resources/group: display_name, description, security_enabled, mail_enabled, ...).
 */
const SCHEMAS: Record<string, { allowed: string[]; required: string[] }> = {
  'data aws_ssoadmin_instances': { allowed: [], required: [] },
  'resource aws_ssoadmin_permission_set': {
    allowed: ['name', 'description', 'instance_arn', 'session_duration', 'relay_state', 'tags'],
    required: ['name', 'instance_arn'],
  },
  'resource aws_ssoadmin_managed_policy_attachment': {
    allowed: ['instance_arn', 'managed_policy_arn', 'permission_set_arn'],
    required: ['instance_arn', 'managed_policy_arn', 'permission_set_arn'],
  },
  'resource aws_ssoadmin_customer_managed_policy_attachment': {
    allowed: ['instance_arn', 'permission_set_arn', 'customer_managed_policy_reference'],
    required: ['instance_arn', 'permission_set_arn', 'customer_managed_policy_reference'],
  },
  'resource aws_ssoadmin_permission_set_inline_policy': {
    allowed: ['instance_arn', 'permission_set_arn', 'inline_policy'],
    required: ['instance_arn', 'permission_set_arn', 'inline_policy'],
  },
  'resource aws_ssoadmin_permissions_boundary_attachment': {
    allowed: ['instance_arn', 'permission_set_arn', 'permissions_boundary'],
    required: ['instance_arn', 'permission_set_arn', 'permissions_boundary'],
  },
  'resource aws_ssoadmin_account_assignment': {
    allowed: ['instance_arn', 'permission_set_arn', 'principal_id', 'principal_type', 'target_id', 'target_type'],
    required: ['instance_arn', 'permission_set_arn', 'principal_id', 'principal_type', 'target_id'],
  },
  'resource aws_identitystore_group': {
    allowed: ['display_name', 'description', 'identity_store_id'],
    required: ['display_name', 'identity_store_id'],
  },
  'data aws_identitystore_group': {
    allowed: ['identity_store_id', 'alternate_identifier', 'group_id', 'filter'],
    required: ['identity_store_id'],
  },
  'resource azuread_group': {
    allowed: ['display_name', 'description', 'security_enabled', 'mail_enabled', 'mail_nickname', 'owners', 'members'],
    required: ['display_name'],
  },
};

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

  test("terraform: the HCL parses and every inline policy decodes to exactly the plan's", () => {
    for (const tf of [renderPlanTerraform(plan), renderPlanTerraform(plan, { azuread: true })]) {
      const [parsed, error] = parseHcl(tf);
      assert.equal(error, null, String(error));
      const inline = parsed?.resource?.aws_ssoadmin_permission_set_inline_policy ?? {};
      const sets = parsed?.resource?.aws_ssoadmin_permission_set ?? {};
      const withPolicy = plan.permissionSets.filter((p) => p.inlinePolicy);
      assert.ok(withPolicy.length > 0);
      assert.equal(Object.keys(inline).length, withPolicy.length);
      for (const ps of withPolicy) {
        const id = Object.keys(sets).find((k) => sets[k][0].name === ps.name) as string;
        assert.ok(id, ps.name);
        assert.deepEqual(JSON.parse(inline[id][0].inline_policy as string), JSON.parse(ps.inlinePolicy as string));
      }
    }
  });

  test('terraform: ${ and %{ inside policies and names are escaped, so Terraform keeps them as text', () => {
    const tricky: MigrationPlan = structuredClone(plan);
    const ps = tricky.permissionSets.find((p) => p.inlinePolicy) as MigrationPlan['permissionSets'][number];
    const doc = {
      Version: '2012-10-17',
      Statement: [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::home/${aws:username}/%{x}\\q"\b*' },
      ],
    };
    ps.inlinePolicy = JSON.stringify(doc);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a template placeholder
    ps.reason = 'made for ${aws:username} and %{if x}\nsecond line\f';
    const tf = renderPlanTerraform(tricky);
    assert.match(tf, /\$\$\{aws:username\}/);
    assert.match(tf, /%%\{x\}/);
    const [parsed, error] = parseHcl(tf);
    assert.equal(error, null, String(error));
    const id = Object.keys(parsed?.resource?.aws_ssoadmin_permission_set ?? {}).find(
      (k) => parsed?.resource?.aws_ssoadmin_permission_set[k][0].name === ps.name,
    ) as string;
    const decoded = parsed?.resource?.aws_ssoadmin_permission_set_inline_policy[id][0].inline_policy as string;
    assert.deepEqual(JSON.parse(decoded), doc);
    const description = parsed?.resource?.aws_ssoadmin_permission_set[id][0].description as string;
    assert.equal(description, `iam2sso: ${ps.reason}`);
    const unescaped = tf.replace(/\$\$\{/g, '${');
    assert.notEqual(hcl.parseToObject(unescaped)[1], null, 'the same text unescaped does not parse: the test can fail');
  });

  test('terraform: every block uses only the attributes the AWS and AzureAD provider schemas define', () => {
    for (const tf of [renderPlanTerraform(plan), renderPlanTerraform(plan, { azuread: true })]) {
      const [parsed] = parseHcl(tf) as [Hcl, unknown];
      for (const kind of ['resource', 'data'] as const) {
        for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
          const schema = SCHEMAS[`${kind} ${type}`];
          assert.ok(schema, `${kind} ${type} is in the schema table`);
          for (const body of Object.values(byName).flat()) {
            const keys = Object.keys(body).filter((k) => k !== 'depends_on');
            for (const k of keys) assert.ok(schema.allowed.includes(k), `${type}.${k}`);
            for (const k of schema.required) assert.ok(keys.includes(k), `${type} needs ${k}`);
          }
        }
      }
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

  test('csv: cells a spreadsheet would run as a formula are neutralised and no cell holds a line break', () => {
    const risky: MigrationPlan = structuredClone(plan);
    const evil = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rcmd'];
    evil.forEach((name, i) => {
      risky.users[i].userName = name;
    });
    risky.users[0].notes = ['line one\nline two\r\nthree'];
    const csv = renderPlanCsv(risky, null);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines.length, risky.users.length + 1, 'one line per user: no raw line breaks in cells');
    for (const name of evil) {
      const line = lines.find((l) => l.replace(/^"/, '').startsWith(`'${name.slice(0, 3).replace(/\r/, ' ')}`));
      assert.ok(line, `${JSON.stringify(name)} is prefixed with an apostrophe:\n${csv}`);
    }
    assert.match(lines[1], /line one line two three/);
    assert.equal(csvText([['=1', 'a,b', 'plain']]), `'=1,"a,b",plain\r\n`);
  });
});
