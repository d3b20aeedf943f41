import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { addMember } from '@iam2sso/sandbox/entra/directory.js';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { SandboxBrowser, signInThroughEntra } from '../../src/cli/sandbox-browser.js';
import { CA_POLICY_NAME, privilegedGroups } from '../../src/core/harden-plan.js';
import type { MigrationPlan } from '../../src/core/plan-types.js';
import { readPlanFile } from '../../src/plan-file/read.js';
import { runIam2sso } from '../helpers/cli.js';
import {
  doneEntries,
  doneSteps,
  journalRuns,
  killAtEach,
  lastEntryId,
  openJournalEntries,
  soakPoints,
} from '../helpers/kill-soak.js';
import { type MigratedSandbox, startMigratedSandbox } from './signin-kit.js';

/** The plan file without one group (taken out of its users' groups, and their permission sets following). */
function planWithout(text: string, plan: MigrationPlan, name: string): string {
  const doc = parseDocument(text);
  const groups = doc.get('groups') as YAMLSeq<YAMLMap>;
  groups.items = groups.items.filter((g) => g.get('name') !== name);
  plan.users.forEach((u, i) => {
    if (!u.groups.includes(name)) return;
    const mine = u.groups.filter((g) => g !== name);
    const sets = plan.groups
      .filter((g) => mine.includes(g.name))
      .flatMap((g) => g.assignments.filter((a) => a.accountId === u.accountId).map((a) => a.permissionSet));
    doc.setIn(['users', i, 'groups'], mine);
    doc.setIn(['users', i, 'permissionSets'], [...new Set(sets)]);
  });
  return doc.toString();
}

type HardenJson = { run: string; done: number; failed: number; changes: string[]; notes: string[] };
type SigninJson = { accounts: { accountId: string; roles: { roleName: string }[] }[] };

describe('entra harden: MFA for the AWS app and eligible admin membership', () => {
  let m: MigratedSandbox;
  let plan: MigrationPlan;
  let admin: { group: string; upn: string; role: string };
  /** The approver the plan names, and five more standing members of the admin group. */
  let approver: string;
  let extra: string[];
  const control = async (path: string, body?: unknown) => {
    const r = await fetch(`${m.sandbox.info.endpoint}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const cli = (args: string[]) => runIam2sso([...args, '--state', m.state], m.env, 120_000);
  const harden = async (...args: string[]) => {
    const r = await cli(['entra', 'harden', '--plan', m.plan, '--auto-approve', '--json', ...args]);
    assert.equal(r.status, 0, r.stderr);
    return r.json<HardenJson>();
  };
  const person = (upn: string) => m.sandbox.manifest.users.find((u) => u.upn === upn)!;
  /**
   * Signs in through the Entra form the way a browser does; `otc` false: the person has no authenticator. The portal
   * sends the browser to Entra's HTTPS front; this test process reaches the same pages on the plain endpoint.
   */
  const formSignIn = async (upn: string, otc: boolean) => {
    const start = await fetch(`${m.sandbox.info.endpoint}/start`, { redirect: 'manual' });
    const entra = new URL(start.headers.get('location')!);
    const plain = `${m.sandbox.info.endpoint}${entra.pathname}${entra.search}`;
    return signInThroughEntra(new SandboxBrowser(), plain, {
      upn,
      password: person(upn).password!,
      totpSeed: otc ? person(upn).totpSeed : undefined,
      now: m.sandbox.world.clock.now(),
    });
  };
  /** The person's roles in AWS as the portal lists them (none when Identity Center does not let them in). */
  const roles = async (upn: string) => {
    const r = await runIam2sso(['sandbox', 'signin', '--user', upn, '--json', '--no-credentials'], m.env);
    if (r.status !== 0 && /disabled|not (found|active)|no access/i.test(r.stderr)) return [];
    assert.equal(r.status, 0, r.stderr);
    return r.json<SigninJson>().accounts.flatMap((a) => a.roles.map((role) => `${a.accountId}/${role.roleName}`));
  };
  const entraState = () => m.sandbox.world.entra!;
  const entraGroupId = (name: string) => [...entraState().groups.values()].find((g) => g.displayName === name)?.id;
  const entraUserId = (upn: string) => [...entraState().users.values()].find((u) => u.userPrincipalName === upn)?.id;
  /** The included groups of the tool's policy, as the sandbox holds it. */
  const includedGroups = () =>
    [...(entraState().harden?.policies.values() ?? [])]
      .find((p) => p.displayName === CA_POLICY_NAME)!
      .conditions.users.includeGroups.slice()
      .sort();
  const inEntraGroup = () => {
    const user = [...entraState().users.values()].find((u) => u.userPrincipalName === admin.upn)!;
    return [...entraState().groups.values()].some((g) => g.displayName === admin.group && g.members.has(user.id));
  };
  const inStoreGroup = () => {
    const sso = m.sandbox.world.sso!;
    const user = [...sso.users.values()].find((u) => u.userName === admin.upn);
    const group = [...sso.groups.values()].find((g) => g.displayName === admin.group);
    return [...sso.memberships.values()].some((x) => x.groupId === group?.groupId && x.userId === user?.userId);
  };
  const sync = async () => {
    const r = await cli(['sync', '--plan', m.plan, '--json']);
    assert.equal(r.status, 0, r.stderr);
  };

  before(async () => {
    m = await startMigratedSandbox();
    const read = readPlanFile(m.plan, { quota: 10, strict: false });
    assert.ok(read.plan, JSON.stringify(read.problems));
    plan = read.plan;
    const inStore = (upn: string) => [...m.sandbox.world.sso!.users.values()].some((u) => u.userName === upn);
    const privileged = new Set(privilegedGroups(plan).settings.map((s) => s.group));
    const elsewhere = (upn: string) => plan.groups.some((g) => !privileged.has(g.name) && g.members.includes(upn));
    // Prefer someone who keeps another (non-privileged) group, so the person stays in Identity Center meanwhile.
    const candidates = [...privileged].flatMap((name) => {
      const group = plan.groups.find((g) => g.name === name)!;
      return group.members.filter((u) => inStore(u) && person(u)?.password).map((upn) => ({ group, upn }));
    });
    candidates.sort((a, b) => Number(elsewhere(b.upn)) - Number(elsewhere(a.upn)));
    for (const { group, upn } of candidates.slice(0, 1)) {
      const a = group.assignments[0];
      admin = { group: group.name, upn, role: `${a.accountId}/${a.permissionSet}` };
    }
    assert.ok(admin, 'the small scenario has a privileged group with a member who can sign in');
    // `plan` proposed the privileged groups in the plan file; the reviewer keeps one of them.
    assert.deepEqual(
      plan.privilegedAccess?.map((p) => p.group).sort(),
      [...privileged].sort(),
      'plan proposes the privileged groups',
    );
    const doc = parseDocument(readFileSync(m.plan, 'utf8'));
    doc.set('privilegedAccess', [{ group: admin.group, maxActivation: 'PT4H', approval: false, justification: true }]);
    writeFileSync(m.plan, doc.toString());
  });
  after(() => m?.sandbox.close());

  it('doctor reports the AWS app with no MFA policy and the admin group with standing members', async () => {
    const r = await cli(['doctor', '--plan', m.plan, '--json']);
    const checks = r.json<{ checks: { id: string; status: string; evidence: string }[] }>().checks;
    const byId = (id: string) => checks.find((c) => c.id === id);
    assert.equal(byId('harden.mfa-policy')?.status, 'warning', r.stderr);
    assert.equal(byId('harden.standing-admins')?.status, 'warning');
    assert.match(byId('harden.standing-admins')!.evidence, new RegExp(admin.group));
  });

  it('report-only logs what MFA would have done; on asks every covered sign-in for the second factor; rollback undoes it', async () => {
    const created = await harden('--conditional-access', 'report-only');
    assert.ok(
      created.changes.some((c) => c.startsWith('+ Conditional Access policy')),
      created.changes.join('\n'),
    );
    await formSignIn(admin.upn, false);
    const log = (await control('/_sandbox/entra/signins')).body.value as {
      userPrincipalName: string;
      appliedConditionalAccessPolicies: { result: string }[];
    }[];
    assert.equal(log.at(-1)?.userPrincipalName, admin.upn);
    assert.deepEqual(
      log.at(-1)?.appliedConditionalAccessPolicies.map((p) => p.result),
      ['reportOnlyInterrupted'],
    );

    // The plan loses a group: the later run takes it out of the policy (and the rollback puts it back).
    const before = includedGroups();
    const dropped = plan.groups.find((g) => g.name !== admin.group && entraGroupId(g.name))!;
    const planText = readFileSync(m.plan, 'utf8');
    writeFileSync(m.plan, planWithout(planText, plan, dropped.name));
    const on = await harden('--conditional-access', 'on').finally(() => writeFileSync(m.plan, planText));
    assert.deepEqual(on.changes, [
      `~ Conditional Access policy ${CA_POLICY_NAME} groups: ${before.length} -> ${before.length - 1} (+0 -1)`,
      `~ Conditional Access policy ${CA_POLICY_NAME} report-only -> on`,
    ]);
    assert.deepEqual(
      includedGroups(),
      before.filter((id) => id !== entraGroupId(dropped.name)),
    );
    await assert.rejects(formSignIn(admin.upn, false), /has no authenticator seed/);
    const page = await formSignIn(admin.upn, true);
    assert.match(page.html, /id="accounts"/, 'with the code the person reaches the portal');

    const back = await cli(['rollback', on.run, '--auto-approve', '--json']);
    assert.equal(back.status, 0, back.stderr);
    await formSignIn(admin.upn, false);
    assert.deepEqual(includedGroups(), before, 'rollback puts the group back');
  });

  it('plans PIM without a Conditional Access licence, and refuses six standing admin removals in one run', async () => {
    // Five more standing members of the admin group (added by hand in Entra, and to the plan): six removals in one
    // run pass the mass guard's threshold of five. An approver is named in the plan (for the next test).
    const adminGroup = plan.groups.find((g) => g.name === admin.group)!;
    const others = [...new Set(plan.groups.flatMap((g) => g.members))].filter(
      (upn) => !adminGroup.members.includes(upn) && entraUserId(upn),
    );
    assert.ok(others.length >= 6, 'the small scenario has six other Entra users in the plan');
    [approver, ...extra] = others.slice(0, 6);
    const group = entraState().groups.get(entraGroupId(admin.group)!)!;
    for (const upn of extra) addMember(entraState(), group, entraUserId(upn)!, m.sandbox.world.clock.now());
    const doc = parseDocument(readFileSync(m.plan, 'utf8'));
    const node = (doc.get('groups') as YAMLSeq<YAMLMap>).items.find((g) => g.get('name') === admin.group)!;
    for (const upn of extra) (node.get('members') as YAMLSeq).add(upn);
    doc.set('privilegedAccess', [
      { group: admin.group, maxActivation: 'PT4H', approval: true, approvers: [approver], justification: true },
    ]);
    writeFileSync(m.plan, doc.toString());

    await control('/_sandbox/entra/licences', { premiumP1: false });
    try {
      const args = ['entra', 'harden', '--plan', m.plan, '--conditional-access', 'on', '--pim', '--dry-run', '--json'];
      const r = await cli(args);
      assert.match(r.stderr, /Conditional Access skipped: the tenant is not licensed for it .*Entra ID P1/);
      assert.match(r.stderr, /\+ PIM eligible member/, 'PIM still planned');
      assert.equal(r.status, 2, r.stderr);
      assert.match(
        r.stderr,
        /refusing to remove 6 of 6 standing admin memberships \(at most 5 in one run\).*--allow-mass-delete/,
      );
    } finally {
      await control('/_sandbox/entra/licences', { premiumP1: true });
    }
  });

  it('an eligible admin activates with approval, has the admin role while active and loses it when it expires; rollback makes them standing again', async () => {
    const group = entraState().groups.get(entraGroupId(admin.group)!)!;
    const pim = await harden('--pim', '--conditional-access', 'on', '--allow-mass-delete');
    assert.ok(pim.changes.includes(`+ PIM eligible member ${admin.upn} of ${admin.group}`), pim.changes.join('\n'));
    assert.ok(pim.changes.includes(`- Entra group ${admin.group} member ${admin.upn}`));
    assert.ok(
      pim.changes.includes(
        `~ PIM activation rules of ${admin.group}: at most PT8H -> PT4H, justification required -> required, approval none -> by 1 approver(s)`,
      ),
      pim.changes.join('\n'),
    );
    assert.equal(pim.done, pim.changes.length);
    await sync();
    assert.equal(inStoreGroup(), false, 'eligible, not active: not in the Identity Center group');

    const apply = await cli(['apply', '--plan', m.plan, '--auto-approve', '--json']);
    assert.equal(apply.status, 0, apply.stderr);
    assert.equal(inEntraGroup(), false, 'apply does not make the eligible member standing again');
    assert.equal(inStoreGroup(), false);

    const tooLong = await control('/_sandbox/entra/pim/activate', {
      upn: admin.upn,
      group: admin.group,
      duration: 'PT5H',
      justification: 'incident 42',
    });
    assert.equal(tooLong.status, 400, 'the plan caps activations at PT4H (Entra would allow PT8H)');
    const unjustified = await control('/_sandbox/entra/pim/activate', {
      upn: admin.upn,
      group: admin.group,
      duration: 'PT2H',
    });
    assert.equal(unjustified.status, 400, 'the plan asks for a justification');
    const activation = await control('/_sandbox/entra/pim/activate', {
      upn: admin.upn,
      group: admin.group,
      duration: 'PT2H',
      justification: 'incident 42',
    });
    assert.equal(activation.status, 201, JSON.stringify(activation.body));
    assert.equal(activation.body.status, 'PendingApproval', 'the plan asks for approval');
    assert.equal(inEntraGroup(), false, 'waiting for the approver: not a member');
    const approve = (upn: string) =>
      control('/_sandbox/entra/pim/approve', { upn, request: activation.body.id, justification: 'on call' });
    assert.equal((await approve(extra[0])).status, 403, 'only the approver the plan names');
    assert.equal((await approve(approver)).status, 204);
    assert.equal(inEntraGroup(), true, 'approved: a member');
    await sync();
    assert.ok((await roles(admin.upn)).includes(admin.role), 'activated: sync gives the admin role in AWS');

    await control('/_sandbox/clock', { advanceMs: 3 * 3_600_000 });
    await sync();
    assert.ok(!(await roles(admin.upn)).includes(admin.role), 'expired: sync takes it away');

    // Someone takes a plan group out of the policy in the portal: doctor names it (harden would put it back).
    const policy = [...(entraState().harden?.policies.values() ?? [])].find((p) => p.displayName === CA_POLICY_NAME)!;
    const kept = policy.conditions.users.includeGroups.slice();
    const dropped = kept.find((id) => id === entraGroupId(admin.group)) ?? kept[0];
    const droppedName = [...entraState().groups.values()].find((g) => g.id === dropped)!.displayName;
    policy.conditions.users.includeGroups = kept.filter((id) => id !== dropped);
    const doctor = (await cli(['doctor', '--plan', m.plan, '--json'])).json<{
      checks: { id: string; status: string; evidence: string }[];
    }>();
    policy.conditions.users.includeGroups = kept;
    const byId = (id: string) => doctor.checks.find((c) => c.id === id);
    const status = (id: string) => byId(id)?.status;
    assert.equal(status('harden.mfa-policy'), 'ok');
    assert.equal(status('harden.standing-admins'), 'ok');
    assert.equal(status('harden.ca-groups'), 'warning');
    assert.equal(byId('harden.ca-groups')!.evidence, `left out: ${droppedName}`);

    const back = await cli(['rollback', pim.run, '--auto-approve', '--json']);
    assert.equal(back.status, 0, back.stderr);
    const pimState = entraState().harden!.pim;
    assert.equal(inEntraGroup(), true, 'standing again');
    assert.ok(
      extra.every((upn) => group.members.has(entraUserId(upn)!)),
      'every standing member the run removed is back',
    );
    assert.deepEqual(
      [...pimState.eligibilities.values()].filter((e) => e.groupId === group.id),
      [],
      'no eligibility left',
    );
    assert.equal(pimState.maxActivation.get(group.id), 'PT8H', 'the old maximum');
    assert.equal(pimState.approvalRules?.get(group.id)?.isApprovalRequired, false, 'no approval, as before');
  });

  it('killed before its call and after it, resumes to exactly the asked state, and the kill kept the undo', async (t) => {
    const policy = () =>
      [...(entraState().harden?.policies.values() ?? [])].filter((p) => p.displayName === CA_POLICY_NAME);
    assert.deepEqual(
      policy().map((p) => p.state),
      ['enabledForReportingButNotEnforced'],
      'report-only, as the rollback of the tests before left it: the soak has work to do',
    );
    const since = lastEntryId(m.state);
    const args = ['entra', 'harden', '--plan', m.plan, '--conditional-access', 'on', '--auto-approve'];
    const run = (extra: Record<string, string> = {}) =>
      runIam2sso([...args, '--json', '--state', m.state], { ...m.env, ...extra }, 120_000);
    // Graph answers at once (no request id to journal): killed after the intent, and after the call before its result.
    const chosen = ['intent:1', 'result:1'];
    const tally = await killAtEach(
      soakPoints(chosen, { states: ['intent', 'result'], upTo: 1, randomKills: 0 }),
      run,
      m.state,
    );
    t.diagnostic(`kills: ${tally.outcomes.join(' ')}`);
    assert.ok(tally.leftOpen >= chosen.length, `each chosen kill left its change open: ${tally.outcomes.join(' ')}`);

    const resumed = await run();
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /Settled 1 change\(s\) an interrupted run left open: 1 had taken effect/);
    assert.deepEqual(resumed.json<HardenJson>().changes, [], 'nothing left to do');
    assert.deepEqual(
      policy().map((p) => p.state),
      ['enabled'],
      'exactly as asked',
    );
    assert.equal(openJournalEntries(m.state), 0);
    assert.deepEqual([...doneSteps(m.state, since)], [[`entra.ca.state:${CA_POLICY_NAME.toLowerCase()}`, 1]]);

    // The entry of the run cut short after its call (the last one recorded: the resumed run had nothing to do) was
    // settled done in that run, with its undo, so that `rollback` of that run switches the policy back.
    const killedRun = journalRuns(m.state)
      .filter((r) => r.command === 'entra harden')
      .at(-1)!;
    assert.equal(killedRun.status, 'running', 'it never got to record its end');
    assert.deepEqual(
      doneEntries(m.state, since).map((e) => [e.runId, e.undo]),
      [
        [
          killedRun.run_id,
          { kind: 'entra.ca.state', name: CA_POLICY_NAME, to: 'enabledForReportingButNotEnforced', from: 'enabled' },
        ],
      ],
    );
  });
});
