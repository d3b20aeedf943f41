import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import ExcelJS from 'exceljs';
import { parseDocument } from 'yaml';
import { hasAwsCli, startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { unacknowledgedGaps } from '../../src/core/parity.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { measureInlinePolicy, PERMISSION_SET_NAME } from '../../src/core/policy/size.js';
import { parsePlanText } from '../../src/plan-file/read.js';
import { type ApplyWorld, readBack, startApplyWorld } from '../apply/kit.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

describe('iam2sso plan against the sandbox (audit, then plan)', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let plan: MigrationPlan;
  const planFile = () => join(dir, 'migration-plan.yaml');
  const state = () => join(dir, 'state.db');

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 11 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-plan-'));
    env = sandboxEnv(sandbox);
    const audit = await runIam2sso(['audit', '--state', state(), '--no-progress'], env);
    assert.equal(audit.status, 0, audit.stderr);
    const rows = sandbox.manifest.users.filter((u) => u.upn).map((u) => `${u.accountId},${u.userName},${u.upn}`);
    writeFileSync(join(dir, 'people.csv'), `account,user,upn\n${rows.join('\n')}\n`);
    const run = await runIam2sso(
      ['plan', '--state', state(), '--out', planFile(), '--mapping', join(dir, 'people.csv'), '--json'],
      env,
    );
    assert.equal(run.status, 0, run.stderr);
    plan = run.json<MigrationPlan>();
  });
  after(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the plan file validates strictly and holds the same content as --json', () => {
    const read = parsePlanText(readFileSync(planFile(), 'utf8'), planFile(), { quota: 10, strict: true });
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.plan?.permissionSets, plan.permissionSets);
    assert.equal(read.plan?.users.length, plan.users.length);
    assert.equal(plan.formatVersion, 1);
    assert.ok(plan.fingerprint.accounts.length >= 2);
  });

  test('every permission set fits AWS limits', () => {
    assert.ok(plan.permissionSets.length > 0);
    for (const ps of plan.permissionSets) {
      assert.match(ps.name, PERMISSION_SET_NAME);
      assert.ok(ps.managedPolicies.length + ps.customerManagedPolicies.length <= 10, ps.name);
      if (ps.inlinePolicy) assert.ok(measureInlinePolicy(ps.inlinePolicy).fits, ps.name);
      assert.match(ps.sessionDuration, /^PT\d+H$/);
    }
  });

  test('humans migrate with the UPN the mapping gives and no unacknowledged parity gap', () => {
    const humans = sandbox.manifest.users.filter(
      (u) => u.category === 'human-console' || u.category === 'human-programmatic',
    );
    assert.ok(humans.length > 0, 'the scenario has humans');
    // Every human of the scenario, not only those the plan already migrates: one it left out is a failure.
    const problems = humans.flatMap((h) => {
      const who = `${h.accountId}/${h.userName}`;
      const u = plan.users.find((p) => p.accountId === h.accountId && p.userName === h.userName);
      if (!u) return [`${who}: not in the plan`];
      const out: string[] = [];
      if (u.action !== 'migrate') out.push(`${who}: ${u.action}, not migrate`);
      if (unacknowledgedGaps(u.parity.gaps, u.parity.acknowledged).length > 0) out.push(`${who}: parity gaps`);
      if (u.blockedBy.some((b) => b.startsWith('parity'))) out.push(`${who}: blocked by ${u.blockedBy}`);
      if (u.action === 'migrate' && h.upn && u.upn !== h.upn.toLowerCase())
        out.push(`${who}: UPN ${u.upn}, the mapping gives ${h.upn}`);
      return out;
    });
    // The two people of this scenario who work only through keys (the operator, and one who uses an SDK from a
    // laptop) are humans through the directory's evidence: no human is left out.
    assert.deepEqual(problems, []);
    for (const g of plan.groups)
      for (const a of g.assignments) assert.ok(plan.permissionSets.some((p) => p.name === a.permissionSet));
    const services = plan.serviceAccounts.map((s) => s.recommendation);
    assert.ok(
      services.length > 0 &&
        services.every((r) =>
          ['iam-role-on-compute', 'github-actions-oidc', 'iam-roles-anywhere', 'keep-with-rotation'].includes(r),
        ),
    );
  });

  test('re-running keeps a renamed permission set, a session duration and an acknowledgement, and says so', async () => {
    const text = readFileSync(planFile(), 'utf8');
    const target = plan.permissionSets[0];
    const user = plan.users.find((u) => u.action === 'migrate' && u.permissionSets.includes(target.name))!;
    const edited = text
      .replace(`name: ${target.name}\n`, `name: Renamed-By-Reviewer\n`)
      .replace(/(name: Renamed-By-Reviewer\n\s+sessionDuration: )PT\d+H/, '$1PT2H');
    assert.notEqual(edited, text);
    const withAck = edited.replace(
      new RegExp(`(userName: ${user.userName}\\n[\\s\\S]*?acknowledged:) \\[\\]`),
      '$1\n        - "s3:*"',
    );
    writeFileSync(planFile(), `# reviewed by the security team\n${withAck}`);
    const run = await runIam2sso(
      ['plan', '--state', state(), '--out', planFile(), '--mapping', join(dir, 'people.csv'), '--json'],
      env,
    );
    assert.equal(run.status, 0, run.stderr);
    const again = run.json<MigrationPlan>();
    const renamed = again.permissionSets.find((p) => p.key === target.key)!;
    assert.equal(renamed.name, 'Renamed-By-Reviewer');
    assert.equal(renamed.sessionDuration, 'PT2H');
    assert.ok(
      again.users
        .find((u) => u.accountId === user.accountId && u.userName === user.userName)!
        .permissionSets.includes('Renamed-By-Reviewer'),
    );
    assert.ok(again.groups.some((g) => g.assignments.some((a) => a.permissionSet === 'Renamed-By-Reviewer')));
    assert.match(run.stderr, /Changes since the last plan/);
    assert.match(run.stderr, /Kept \d+ edits?/);
    assert.match(run.stderr, /name Renamed-By-Reviewer/);
  });

  test('invalid edits are all reported with file and line, exit 1', async () => {
    const text = readFileSync(planFile(), 'utf8');
    const bad = text
      .replace(/sessionDuration: PT\d+H/, 'sessionDuration: PT20H')
      .replace(/action: migrate/, 'action: teleport')
      .replace(/name: Renamed-By-Reviewer/, `name: ${'x'.repeat(33)}`);
    const badFile = join(dir, 'bad-plan.yaml');
    writeFileSync(badFile, bad);
    const run = await runIam2sso(['plan', '--state', state(), '--out', badFile], env);
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stderr.split('\n').filter((l) => l.includes('bad-plan.yaml:'));
    assert.equal(lines.length, 3, run.stderr);
    assert.ok(lines.some((l) => /sessionDuration.*PT1H to PT12H/.test(l)));
    assert.ok(lines.some((l) => /action must be one of/.test(l)));
    assert.ok(lines.some((l) => /1-32 characters/.test(l)));
    for (const l of lines) assert.match(l, /bad-plan\.yaml:\d+: /);
  });

  test('--directory-lookup maps users through the Entra directory, never to the wrong person', async () => {
    const entra = sandbox.info.entra!;
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, entra.tlsCertificatePem);
    const entraEnv = {
      ...env,
      AZURE_TENANT_ID: entra.tenantId,
      AZURE_CLIENT_ID: entra.clientId,
      AZURE_CLIENT_SECRET: entra.clientSecret,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      IAM2SSO_GRAPH_ENDPOINT: entra.graphEndpoint,
      NODE_EXTRA_CA_CERTS: ca,
    };
    const out = join(dir, 'directory-plan.yaml');
    const without = await runIam2sso(['plan', '--state', state(), '--out', join(dir, 'plain.yaml'), '--json'], env);
    const withDir = await runIam2sso(
      ['plan', '--state', state(), '--out', out, '--directory-lookup', '--json'],
      entraEnv,
    );
    assert.equal(withDir.status, 0, withDir.stderr);
    const plain = without.json<MigrationPlan>();
    const looked = withDir.json<MigrationPlan>();
    const manifestUpn = new Map(sandbox.manifest.users.map((u) => [`${u.accountId}/${u.userName}`, u.upn ?? null]));
    const viaDirectory = looked.users.filter((u) => u.upnSource === 'directory');
    assert.ok(viaDirectory.length > 0, 'some users are placed only by the directory');
    for (const u of viaDirectory) assert.equal(u.upn, manifestUpn.get(`${u.accountId}/${u.userName}`), u.userName);
    const mapped = (p: MigrationPlan) => p.users.filter((u) => u.upn).length;
    assert.ok(mapped(looked) > mapped(plain), 'the directory maps more users than the static rules alone');
  });

  test('exports Terraform, CSV and XLSX from the plan', async () => {
    const tf = await runIam2sso(['plan', 'export', '--format', 'terraform', '--plan', planFile()], env);
    assert.equal(tf.status, 0, tf.stderr);
    assert.match(tf.stdout, /resource "aws_ssoadmin_permission_set" "\w+" \{\n {2}name {13}= "/);
    assert.match(tf.stdout, /resource "aws_ssoadmin_account_assignment"/);
    assert.match(tf.stdout, /resource "aws_identitystore_group"/);
    const csv = await runIam2sso(['plan', 'export', '--format', 'csv', '--plan', planFile(), '--state', state()], env);
    assert.equal(csv.status, 0, csv.stderr);
    const rows = csv.stdout.trim().split('\r\n');
    assert.match(rows[0], /^Username,Account,Category,Policies,Equivalent Permission Set,Target Entra Group/);
    assert.equal(rows.length, plan.users.length + 1);
    const xlsxFile = join(dir, 'plan.xlsx');
    const xlsx = await runIam2sso(
      ['plan', 'export', '--format', 'xlsx', '--plan', planFile(), '--state', state(), '--out', xlsxFile],
      env,
    );
    assert.equal(xlsx.status, 0, xlsx.stderr);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsxFile);
    assert.equal(book.getWorksheet('Migration')?.rowCount, plan.users.length + 1);
  });
});

describe('the plan file is the single source of truth for apply (end to end)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let w: ApplyWorld;
  before(async () => {
    w = await startApplyWorld();
    const first = await w.apply(['--json']);
    assert.equal(first.status, 0, first.stderr);
  });
  after(async () => {
    await w?.close();
  });

  test('a person set to keep leaves every group: plan shows it without rewriting the file, apply does it', async () => {
    const plan = w.plan();
    const upnCount = new Map<string, number>();
    for (const u of plan.users) if (u.upn) upnCount.set(u.upn, (upnCount.get(u.upn) ?? 0) + 1);
    const index = plan.users.findIndex(
      (u) =>
        u.action === 'migrate' && u.upn && u.blockedBy.length === 0 && u.groups.length > 0 && upnCount.get(u.upn) === 1,
    );
    assert.ok(index >= 0, 'a migrating person with groups');
    const person = plan.users[index];
    const upn = (person.upn as string).toLowerCase();
    const before = await readBack(w.sandbox, [], { assignments: [], groups: person.groups });
    for (const g of person.groups) assert.ok(before.viaCli.memberships.get(g)?.includes(upn), `${upn} starts in ${g}`);

    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    doc.setIn(['users', index, 'action'], 'keep');
    writeFileSync(w.planPath, doc.toString());
    const edited = readFileSync(w.planPath, 'utf8');
    const pending = await w.run(['plan', '--state', w.statePath, '--out', w.planPath, '--detailed-exitcode']);
    assert.equal(pending.status, 2, pending.stderr);
    assert.equal(readFileSync(w.planPath, 'utf8'), edited, 'plan --detailed-exitcode leaves the plan file as it was');
    const dry = await w.apply(['--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    for (const g of person.groups)
      assert.match(dry.stdout + dry.stderr, new RegExp(`- Identity Store group ${g} member ${upn}`));

    const applied = await w.apply(['--json']);
    assert.equal(applied.status, 0, applied.stderr);
    const after = await readBack(w.sandbox, [], { assignments: [], groups: person.groups });
    for (const g of person.groups) {
      const members = after.viaCli.memberships.get(g) ?? [];
      assert.ok(!members.includes(upn), `aws identitystore list-group-memberships: ${upn} is out of ${g}`);
    }
    const entra = w.sandbox.world.entra!;
    const entraUser = [...entra.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn);
    for (const g of [...entra.groups.values()].filter((x) => person.groups.includes(x.displayName)))
      assert.ok(!g.members.has(entraUser?.id ?? ''), `Entra group ${g.displayName} no longer holds ${upn}`);
  });

  test('each invalid plan edit is refused with its file and line, exit 1, and nothing changes', async () => {
    const text = readFileSync(w.planPath, 'utf8');
    const plan = w.plan();
    const ps = plan.permissionSets.find((p) => p.managedPolicies.length > 0) as MigrationPlan['permissionSets'][number];
    const group = plan.groups[0];
    const edits: [string, string, RegExp][] = [
      [
        'typo',
        text.replace('    managedPolicies:', '    managedPolicy:'),
        /unknown key "managedPolicy" \(did you mean "managedPolicies"\?\)/,
      ],
      [
        'dotdot',
        text.replace(ps.managedPolicies[0], ps.managedPolicies[0].replace('policy/', 'policy/../')),
        /"\.\." segments/,
      ],
      [
        'account',
        text.replace(`accountId: "${plan.users[0].accountId}"`, `accountId: "${plan.users[0].accountId.slice(1)}"`),
        /exactly 12 digits/,
      ],
      ['bidi', text.replace(`  name: ${group.name}\n`, `  name: "${group.name}\\u202E"\n`), /bidirectional/],
      [
        'rename',
        text.replace(`  name: ${ps.name}\n`, '  name: RenamedInTheFile\n'),
        /if you renamed it, run `iam2sso plan --out /,
      ],
    ];
    const sso = w.sandbox.world.sso!;
    const snapshot = () => JSON.stringify([sso.permissionSets.size, [...sso.permissionSets.keys()].sort()]);
    const before = snapshot();
    for (const [name, bad, message] of edits) {
      assert.notEqual(bad, text, `${name}: the edit applies`);
      const file = join(w.dir, `bad-${name}.yaml`);
      writeFileSync(file, bad);
      const r = await w.run(['apply', '--auto-approve', '--plan', file, '--state', w.statePath]);
      assert.equal(r.status, 1, `${name}: ${r.stderr}`);
      const line = r.stderr.split('\n').find((l) => message.test(l));
      assert.ok(line, `${name}: ${r.stderr}`);
      assert.match(line, new RegExp(`bad-${name}\\.yaml:\\d+: `), line);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
    }
    assert.equal(snapshot(), before, 'Identity Center is unchanged');
  });
});
