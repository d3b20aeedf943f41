/**
 * The last proof: after audit, plan, apply and sync on the sandbox, every planned human has, in every
 * account the plan gives them, the AWSReservedSSO_ roles of exactly their permission sets, and the actions those
 * live roles allow (read back through IAM, compiled by the plan's own policy engine) match the plan's parity
 * for that person: no gap nobody acknowledged, and the excess the plan reported.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { ApiCallCounter, type AwsSettings } from '../../src/aws/clients.js';
import { loadActionCatalog } from '../../src/catalog/action-catalog.js';
import { awsManagedDocuments } from '../../src/catalog/managed-policies.js';
import type { AuditSnapshot } from '../../src/core/model.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { createPolicyCompiler, type PolicyCompiler } from '../../src/core/policy/compile.js';
import { createExpander } from '../../src/core/policy/expand.js';
import { holdWriterLock } from '../../src/reconcile/writer-lock.js';
import { loadAuditRun } from '../../src/store/audit-repo.js';
import { openStateDb } from '../../src/store/db.js';
import { type LiveFacts, readLiveFacts } from '../../src/verify/read-live.js';
import { createVerifyRuntime, type VerifyRuntime } from '../../src/verify/runtime.js';
import { type VerifyReport, verifyPlan } from '../../src/verify/verify-plan.js';
import { assertExact } from '../apply/exact.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const POWER = 'arn:aws:iam::aws:policy/PowerUserAccess';
const IAM_FULL = 'arn:aws:iam::aws:policy/IAMFullAccess';

/** Replans and returns the plan file (fails the test when `plan` fails). */
async function replan(w: ApplyWorld): Promise<MigrationPlan> {
  const r = await w.run(['plan', '--state', w.statePath, '--out', w.planPath]);
  assert.equal(r.status, 0, r.stderr);
  return w.plan();
}

/** Edits the plan file in place through its YAML document (comments and order kept). */
function editPlan(w: ApplyWorld, edit: (doc: ReturnType<typeof parseDocument>, plan: MigrationPlan) => void) {
  const doc = parseDocument(readFileSync(w.planPath, 'utf8'));
  edit(doc, w.plan());
  writeFileSync(w.planPath, doc.toString());
}

type Decision = 'allow' | 'deny';
/**
 * Independent of the parity engine: decisions worked out by hand from the scenario's policies (small, seed 1) and
 * the reviewer's edits above. Before: the person's IAM policies (groups Admins = AdministratorAccess; Developers =
 * PowerUserAccess, a conditional Deny of production deletes, PassRole to lambda-* roles; DeveloperBoundary allows
 * everything but iam:Create*, Delete*, Put*, Attach* and organizations:*). After: their permission set.
 * PowerUserAccess allows everything but iam:*, organizations:*, account:*, plus iam:ListRoles,
 * organizations:DescribeOrganization, account:ListRegions (among a few); IAMFullAccess allows iam:* and a few
 * Organizations reads (ListRoots, DescribeOrganization, ...); IAMUserChangePassword allows
 * iam:GetAccountPasswordPolicy and iam:ChangePassword on oneself.
 */
const HAND_DECISIONS: { who: string; action: string; before: Decision; after: Decision }[] = [
  // Admins + Developers + IAMUserChangePassword; after, the edited set: PowerUserAccess (the plan drops
  // IAMUserChangePassword, an IAM user's self-service policy, from permission sets).
  { who: '705310145193/matthew.wilson', action: 'iam:CreateUser', before: 'allow', after: 'deny' },
  { who: '705310145193/matthew.wilson', action: 'iam:AttachRolePolicy', before: 'allow', after: 'deny' },
  { who: '705310145193/matthew.wilson', action: 'organizations:CreateAccount', before: 'allow', after: 'deny' },
  { who: '705310145193/matthew.wilson', action: 'account:CloseAccount', before: 'allow', after: 'deny' },
  { who: '705310145193/matthew.wilson', action: 'iam:ListRoles', before: 'allow', after: 'allow' },
  { who: '705310145193/matthew.wilson', action: 'iam:GetAccountPasswordPolicy', before: 'allow', after: 'deny' },
  { who: '705310145193/matthew.wilson', action: 'organizations:DescribeOrganization', before: 'allow', after: 'allow' },
  { who: '705310145193/matthew.wilson', action: 'account:ListRegions', before: 'allow', after: 'allow' },
  { who: '705310145193/matthew.wilson', action: 's3:GetObject', before: 'allow', after: 'allow' },
  { who: '705310145193/matthew.wilson', action: 'ec2:RunInstances', before: 'allow', after: 'allow' },
  // Developers; after, the edited set: PowerUserAccess + IAMFullAccess.
  { who: '506079168554/jason.smith', action: 'iam:CreateUser', before: 'deny', after: 'allow' },
  { who: '506079168554/jason.smith', action: 'iam:AttachUserPolicy', before: 'deny', after: 'allow' },
  { who: '506079168554/jason.smith', action: 'iam:ListRoles', before: 'allow', after: 'allow' },
  { who: '506079168554/jason.smith', action: 'organizations:DescribeOrganization', before: 'allow', after: 'allow' },
  { who: '506079168554/jason.smith', action: 'organizations:CreateAccount', before: 'deny', after: 'deny' },
  { who: '506079168554/jason.smith', action: 'account:CloseAccount', before: 'deny', after: 'deny' },
  { who: '506079168554/jason.smith', action: 'dynamodb:PutItem', before: 'allow', after: 'allow' },
  // AdministratorAccess before and after.
  { who: '506079168554/ryan.hill', action: 'iam:CreateUser', before: 'allow', after: 'allow' },
  { who: '506079168554/ryan.hill', action: 'organizations:CreateAccount', before: 'allow', after: 'allow' },
  { who: '506079168554/ryan.hill', action: 's3:DeleteBucket', before: 'allow', after: 'allow' },
  // Developers under DeveloperBoundary, before and after (the set keeps the boundary).
  { who: '111111111111/eric.wilson', action: 'iam:CreateUser', before: 'deny', after: 'deny' },
  { who: '111111111111/eric.wilson', action: 'iam:ListRoles', before: 'allow', after: 'allow' },
  { who: '111111111111/eric.wilson', action: 'organizations:DescribeOrganization', before: 'deny', after: 'deny' },
  { who: '111111111111/eric.wilson', action: 's3:GetObject', before: 'allow', after: 'allow' },
];

/** Whether a parity list names the action itself or its whole service (`iam:*`); resource entries aside. */
function lists(entries: string[], action: string): boolean {
  return entries.some((e) => e === action || e === `${action.split(':')[0]}:*`);
}

describe('after apply and sync, the live roles allow what the plan said', () => {
  let w: ApplyWorld;
  let runtime: VerifyRuntime;
  let compiler: PolicyCompiler;
  let snapshot: AuditSnapshot;
  let plan: MigrationPlan;
  let live: LiveFacts;
  let report: VerifyReport;
  let gapSet: string;
  let excessSet: string;

  before(async () => {
    const catalog = loadActionCatalog();
    w = await startApplyWorld();
    // A reviewer's edits, so parity is not trivially empty: one permission set loses AdministratorAccess
    // (PowerUserAccess instead: the people on it lose IAM and Organizations, and acknowledge it), another gains
    // IAMFullAccess (excess the plan must report, more than it lists).
    const first = w.plan();
    // The hand decisions below are about these people: matthew.wilson's admin set loses AdministratorAccess,
    // jason.smith's set gains IAMFullAccess.
    const setsOf = (who: string) =>
      first.users.find((u) => `${u.accountId}/${u.userName}` === who)?.permissionSets ?? [];
    gapSet = first.permissionSets.find(
      (ps) => ps.managedPolicies.includes(ADMIN) && setsOf('705310145193/matthew.wilson').includes(ps.name),
    )!.name;
    excessSet = first.permissionSets.find(
      (ps) =>
        ps.name !== gapSet &&
        !ps.managedPolicies.includes(ADMIN) &&
        !ps.managedPolicies.includes(IAM_FULL) &&
        setsOf('506079168554/jason.smith').includes(ps.name),
    )!.name;
    assert.ok(gapSet && excessSet, 'the scenario has an admin set and another set used by people ready to move');
    editPlan(w, (doc, p) => {
      const gi = p.permissionSets.findIndex((ps) => ps.name === gapSet);
      const managed = p.permissionSets[gi].managedPolicies.filter((a) => a !== ADMIN);
      doc.setIn(['permissionSets', gi, 'managedPolicies'], managed.includes(POWER) ? managed : [...managed, POWER]);
      const ei = p.permissionSets.findIndex((ps) => ps.name === excessSet);
      doc.setIn(['permissionSets', ei, 'managedPolicies'], [...p.permissionSets[ei].managedPolicies, IAM_FULL]);
    });
    const edited = await replan(w);
    // The reviewer acknowledges exactly the gaps the plan now reports for the people on the reduced set.
    editPlan(w, (doc) => {
      edited.users.forEach((u, i) => {
        if (u.permissionSets.includes(gapSet) && u.parity.gaps.length > 0)
          doc.setIn(['users', i, 'parity', 'acknowledged'], u.parity.gaps);
      });
    });
    plan = await replan(w);
    const applied = await w.apply(['--json']);
    assert.equal(applied.status, 0, applied.stderr);
    assert.deepEqual(applied.json<{ failed: unknown[] }>().failed, []);
    const synced = await w.run(['sync', '--plan', w.planPath, '--state', w.statePath, '--no-progress']);
    assert.equal(synced.status, 0, synced.stderr);

    const db = await openStateDb(w.statePath);
    try {
      snapshot = loadAuditRun(db, plan.fingerprint.runId)!.snapshot;
    } finally {
      db.close();
    }
    const settings: AwsSettings = {
      region: w.sandbox.info.region,
      retryMode: 'standard',
      endpoint: w.sandbox.info.endpoint,
      credentials: { ...w.sandbox.info.credentials },
      maxAttempts: 3,
      counter: new ApiCallCounter(),
    };
    runtime = createVerifyRuntime(settings);
    compiler = createPolicyCompiler(createExpander(await catalog));
    live = await readLiveFacts(plan, runtime.readers, (id) => runtime.iam.iamFor(id));
    report = verifyPlan({
      plan,
      snapshot,
      facts: live.facts,
      roles: live.roles,
      compiler,
      lookup: awsManagedDocuments,
    });
  });
  after(async () => {
    runtime?.close();
    await w?.close();
  });

  it('provisions, in every planned account, a role with exactly its permission set’s policies', async () => {
    const pairs = new Set(plan.groups.flatMap((g) => g.assignments.map((a) => `${a.accountId}|${a.permissionSet}`)));
    assert.equal(report.roles.length, pairs.size);
    for (const r of report.roles) {
      assert.match(r.roleName ?? '', new RegExp(`^AWSReservedSSO_${r.permissionSet}_[0-9a-f]{16}$`));
      assert.deepEqual(r.problems, [], `${r.accountId} ${r.permissionSet}`);
    }
    const gapRoles = [...live.roles.values()].flat().filter((r) => r.permissionSet === gapSet);
    assert.ok(gapRoles.length > 0 && gapRoles.every((r) => !r.managed.some((p) => p.arn === ADMIN)));
    const excessRoles = [...live.roles.values()].flat().filter((r) => r.permissionSet === excessSet);
    assert.ok(excessRoles.length > 0 && excessRoles.every((r) => r.managed.some((p) => p.arn === IAM_FULL)));
    await assertExact(w, { cli: false });
  });

  it('gives every person ready to move their planned sets, and access equal to the plan’s parity', () => {
    const enabled = new Set(
      [...w.sandbox.world.entra!.users.values()]
        .filter((u) => u.accountEnabled && !u.deletedDateTime)
        .map((u) => u.userPrincipalName.toLowerCase()),
    );
    const checked = report.users.filter((u) => enabled.has(u.upn.toLowerCase()));
    assert.ok(checked.length >= 5, `people checked: ${checked.length}`);
    for (const u of checked) {
      const who = `${u.accountId}/${u.userName}`;
      const planned = plan.users.find((p) => p.accountId === u.accountId && p.userName === u.userName)!;
      assert.deepEqual(u.problems, [], who);
      assert.deepEqual(u.assigned, [...planned.permissionSets].sort(), `${who}: assigned sets`);
      assert.ok(u.parity, `${who}: parity computed`);
      assert.deepEqual(
        { gaps: [...u.parity.gaps].sort(), excess: [...u.parity.excess].sort() },
        { gaps: [...planned.parity.gaps].sort(), excess: [...planned.parity.excess].sort() },
        `${who}: live parity equals the plan's`,
      );
      assert.deepEqual(
        u.parity.gaps.filter((g) => !planned.parity.acknowledged.includes(g)),
        [],
        `${who}: no unacknowledged gap`,
      );
    }
    const onGap = checked.filter((u) => u.assigned.includes(gapSet));
    const onExcess = checked.filter((u) => u.assigned.includes(excessSet));
    assert.ok(onGap.length > 0 && onGap.every((u) => u.parity!.gaps.some((g) => g.startsWith('iam:'))));
    assert.ok(onExcess.length > 0 && onExcess.every((u) => u.parity!.excess.some((e) => e.startsWith('iam:'))));
    assert.ok(
      onExcess.every((u) => /^… and \d+ more$/.test(u.parity!.excess.at(-1)!)),
      'the excess is past the plan’s list limit, so the truncated lists are compared',
    );
    // People the plan is ready to move but Entra has no enabled account for: apply skips them, verify says so.
    for (const u of report.users.filter((x) => !enabled.has(x.upn.toLowerCase())))
      assert.match(u.problems.join('\n'), /not in the Identity Store|not assigned/, u.userName);
  });

  it('agrees with decisions worked out by hand from the policies, for a sample of people and actions', () => {
    const sources = [
      ['the live parity (verify)', report.users],
      ['the plan', plan.users],
    ] as const;
    for (const [source, users] of sources)
      for (const c of HAND_DECISIONS) {
        const person = users.find((u) => `${u.accountId}/${u.userName}` === c.who);
        assert.ok(person?.parity, `${source}: parity of ${c.who}`);
        const { gaps, excess } = person.parity;
        const at = `${source}, ${c.who}, ${c.action} (${c.before} -> ${c.after})`;
        assert.equal(lists(gaps, c.action), c.before === 'allow' && c.after === 'deny', `gap? ${at}`);
        assert.equal(lists(excess, c.action), c.before === 'deny' && c.after === 'allow', `excess? ${at}`);
      }
  });

  it('notices a live role that drifted from its permission set', async () => {
    const target = report.users.find((u) => u.problems.length === 0 && u.assigned.includes(excessSet))!;
    const role = live.roles.get(target.accountId)!.find((r) => r.permissionSet === excessSet)!;
    const world = w.sandbox.world.accounts.get(target.accountId)!.iam.roles.get(role.roleName)!;
    const saved = world.attachedPolicies;
    world.attachedPolicies = saved.filter((a) => a !== IAM_FULL);
    try {
      const drifted = await readLiveFacts(plan, runtime.readers, (id) => runtime.iam.iamFor(id));
      const again = verifyPlan({
        plan,
        snapshot,
        facts: drifted.facts,
        roles: drifted.roles,
        compiler,
        lookup: awsManagedDocuments,
      });
      const r = again.roles.find((x) => x.accountId === target.accountId && x.permissionSet === excessSet)!;
      assert.match(r.problems.join('\n'), /policies missing from the role: .*IAMFullAccess/);
      const u = again.users.find((x) => x.accountId === target.accountId && x.userName === target.userName)!;
      assert.match(u.problems.join('\n'), /excess: the plan has iam:/);
    } finally {
      world.attachedPolicies = saved;
    }
  });

  it('refuses a second apply on the same state database while one holds the lock', async () => {
    const db = await openStateDb(w.statePath);
    const held = holdWriterLock(db, 'apply-running', { command: 'apply', note: () => undefined });
    try {
      const r = await w.apply();
      assert.equal(r.status, 1, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`another run writes through this state database: apply run apply-running \\(pid ${process.pid} on `),
      );
    } finally {
      held.release();
      db.close();
    }
    const again = await w.apply(['--json']);
    assert.equal(again.status, 0, again.stderr);
  });
});
