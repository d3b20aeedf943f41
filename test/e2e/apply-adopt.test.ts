import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { parseDocument } from 'yaml';
import { awsCli, hasAwsCli, sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { openStateDb } from '../../src/store/db.js';
import { listOwned } from '../../src/store/ownership-repo.js';
import { type ApplyWorld, cliJson, startApplyWorld } from '../apply/kit.js';

type Report = { adopted: string[]; skipped: { item: string; reason: string }[]; failed: unknown[] };

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

describe('explicit adoption in the plan file (end to end on the sandbox)', {
  skip: !hasAwsCli && 'needs /usr/bin/aws',
}, () => {
  let w: ApplyWorld;
  let sso: SSOAdminClient;
  let instanceArn: string;
  let handArn: string;
  const managedByCli = async () =>
    cliJson<{ AttachedManagedPolicies: { Arn: string }[] }>(
      await awsCli(w.sandbox, [
        'sso-admin',
        'list-managed-policies-in-permission-set',
        '--instance-arn',
        instanceArn,
        '--permission-set-arn',
        handArn,
      ]),
    ).AttachedManagedPolicies.map((p) => p.Arn);
  const setAdopt = (entries: unknown[]) => {
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    doc.set('adopt', entries);
    writeFileSync(w.planPath, doc.toString());
  };
  /** The line of the first line holding `needle` inside the adopt: section. */
  const adoptLine = (needle: string) => {
    const lines = readFileSync(w.planPath, 'utf8').split('\n');
    const start = lines.findIndex((l) => l.startsWith('adopt:'));
    return lines.findIndex((l, i) => i > start && l.includes(needle)) + 1;
  };

  before(async () => {
    w = await startApplyWorld();
    sso = new SSOAdminClient(sdkConfig(w.sandbox));
    instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances![0].InstanceArn!;
    // A permission set someone made by hand, and a plan that wants one of that name (with other policies).
    const made = await sso.send(
      new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Escalate', SessionDuration: 'PT1H' }),
    );
    handArn = made.PermissionSet!.PermissionSetArn!;
    await sso.send(
      new AttachManagedPolicyToPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: handArn,
        ManagedPolicyArn: READ_ONLY,
      }),
    );
    const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
    const plan = w.plan();
    doc.addIn(['permissionSets'], { ...plan.permissionSets[0], name: 'Escalate', managedPolicies: [ADMIN] });
    writeFileSync(w.planPath, doc.toString());
  });
  after(async () => {
    sso?.destroy();
    await w?.close();
  });

  it('without an adopt entry, the name match stays a conflict and the hand-made set is untouched', async () => {
    const r = await w.apply(['--json', '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    const report = r.json<Report>();
    assert.deepEqual(report.adopted, []);
    assert.match(
      report.skipped.find((s) => s.item === 'permission set Escalate')?.reason ?? '',
      /exists and is not managed by iam2sso: rename it in the plan, or adopt it with an `adopt:` entry/,
    );
    assert.deepEqual(await managedByCli(), [READ_ONLY]);
  });

  it('adopts on its own diff line, then manages the set as the plan says and records it as adopted', async () => {
    setAdopt([{ kind: 'permission-set', name: 'Escalate', reason: 'made by hand before iam2sso' }]);
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    // Under --json the diff goes to stderr.
    assert.ok(r.stderr.includes(`= adopt permission set Escalate (${handArn})`), r.stderr);
    assert.match(r.stderr, /1 to adopt, /);
    assert.deepEqual(r.json<Report>().adopted, ['permission set Escalate']);
    assert.deepEqual(await managedByCli(), [ADMIN], 'the plan now decides its policies');
    const db = await openStateDb(w.statePath);
    try {
      const row = listOwned(db, 'permission-set').find((o) => o.key === 'Escalate');
      assert.equal(row?.origin, 'adopted');
      assert.equal(row?.objectId, handArn);
    } finally {
      db.close();
    }
    // Adopted once: the entry stays in the file and is not adopted again.
    const again = await w.run(['plan', '--detailed-exitcode', '--out', w.planPath, '--state', w.statePath]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /no changes pending/);
  });
  it('refuses the whole plan with file and line for an unknown object and one the tool already owns', async () => {
    const toolMade = w.plan().permissionSets[0].name;
    setAdopt([
      { kind: 'permission-set', name: 'Escalate' },
      { kind: 'store-user', name: 'ghost@example.com' },
      { kind: 'permission-set', name: toolMade },
    ]);
    const r = await w.apply([]);
    assert.equal(r.status, 1, r.stderr);
    // Each at its entry's first line (`- kind: ...`, the line before its name).
    const at = (name: string) => `${w.planPath}:${adoptLine(`name: ${name}`) - 1}`;
    assert.ok(
      r.stderr.includes(`${at('ghost@example.com')}: adopt[1]: no Identity Store user ghost@example.com exists`),
      r.stderr,
    );
    assert.ok(
      r.stderr.includes(
        `${at(toolMade)}: adopt[2]: permission set ${toolMade} is already managed by iam2sso (it created it)`,
      ),
      r.stderr,
    );
    assert.deepEqual(await managedByCli(), [ADMIN], 'nothing was changed');
  });
});
