import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { awsCli, hasAwsCli } from '../../packages/sandbox/test/helpers/sandbox.js';
import type { PlannedUser } from '../../src/core/plan-types.js';
import { openStateDb } from '../../src/store/db.js';
import { latestSnapshot } from '../../src/store/decommission-repo.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';
import { iam2ssoArgv } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Outcome = { accountId: string; userName: string; result: string; blockers: { id: string; message: string }[] };
type StatusRow = {
  accountId: string;
  userName: string;
  stage: string;
  next: string | null;
  blockers: { id: string }[];
};

describe('iam2sso decommission (end to end on the sandbox)', { skip: !hasAwsCli && 'needs the AWS CLI v2' }, () => {
  let w: ApplyWorld;
  let people: PlannedUser[];
  let noSso: PlannedUser;
  let kept: PlannedUser;
  const stagedConsole = new Set<string>();
  const decom = (args: string[]) => w.run(['decommission', '--plan', w.planPath, '--state', w.statePath, ...args]);
  const roles = new Map<string, { accessKeyId: string; secretAccessKey: string; sessionToken: string }>();
  /** `aws iam ... --user-name NAME` in the user's own account (through OrganizationAccountAccessRole). */
  const iam = async (args: string[], u: PlannedUser) => {
    if (u.accountId === w.sandbox.manifest.managementAccountId)
      return awsCli(w.sandbox, ['iam', ...args, '--user-name', u.userName]);
    if (!roles.has(u.accountId)) {
      const arn = `arn:aws:iam::${u.accountId}:role/OrganizationAccountAccessRole`;
      const got = await awsCli(w.sandbox, ['sts', 'assume-role', '--role-arn', arn, '--role-session-name', 'test']);
      const c = got.json<{ Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }>();
      roles.set(u.accountId, {
        accessKeyId: c.Credentials.AccessKeyId,
        secretAccessKey: c.Credentials.SecretAccessKey,
        sessionToken: c.Credentials.SessionToken,
      });
    }
    return awsCli(w.sandbox, ['iam', ...args, '--user-name', u.userName], roles.get(u.accountId));
  };
  const track = (since = '30d') =>
    w.run(['track', '--json', '--no-progress', '--since', since, '--plan', w.planPath, '--state', w.statePath]);
  const names = (us: PlannedUser[]) => us.map((u) => `${u.accountId}/${u.userName}`).join(',');
  /** The stage the state database records for a user (read directly: `status --json` is checked once above). */
  const stageOf = (u: PlannedUser) => {
    const db = new Database(w.statePath, { readonly: true });
    const row = db
      .prepare('SELECT stage FROM decommission_stages WHERE account_id = ? AND user_name = ?')
      .get(u.accountId, u.userName) as { stage: string } | undefined;
    db.close();
    return row?.stage;
  };
  const liveUser = (u: PlannedUser) => w.sandbox.world.account(u.accountId).iam.users.get(u.userName);

  before(async () => {
    w = await startApplyWorld({ accounts: 2, usersPerAccount: 8 });
    w.sandbox.world.cloudTrailDeliveryDelayMs = 0;
    const applied = await w.apply();
    assert.equal(applied.status, 0, applied.stderr);
    const tracked = await track();
    assert.equal(tracked.status, 0, tracked.stderr);
    const manifest = new Map(w.sandbox.manifest.users.map((u) => [`${u.accountId}/${u.userName}`, u]));
    const ready = w.plan().users.filter((u) => u.action === 'migrate' && u.upn && u.blockedBy.length === 0);
    const status = (u: PlannedUser) => manifest.get(`${u.accountId}/${u.userName}`)?.track?.status ?? '';
    const seenSso = ready.filter((u) => ['sso-only', 'dual'].includes(status(u)));
    // One who signs in with a password (deleted, then rolled back), one whose old key gets tried in the window.
    const signsIn = seenSso.find((u) => liveUser(u)?.loginProfile);
    const keyed = seenSso.find((u) => u !== signsIn && liveUser(u)?.accessKeys.some((k) => k.status === 'Active'));
    assert.ok(signsIn && keyed, 'the scenario has people seen signing in through SSO, with a password and with keys');
    people = [signsIn, keyed];
    noSso = ready.find((u) => ['legacy-only', 'silent'].includes(status(u)))!;
    // It has a password and an active key, so that `rollback RUN` has a stage of each to undo.
    const live = noSso && liveUser(noSso);
    if (live && !live.loginProfile)
      live.loginProfile = { createDate: new Date(), passwordResetRequired: false, password: 'Sandbox-Pass-1!' };
    if (live && !live.accessKeys.some((k) => k.status === 'Active'))
      live.accessKeys.push(w.sandbox.world.issueAccessKey(noSso.accountId, noSso.userName, new Date()));
    kept = w.plan().users.find((u) => u.action === 'keep')!;
    assert.ok(noSso && kept, 'the scenario has a person with no SSO sign-in and a user the plan keeps');
  });
  after(async () => {
    await w?.close();
  });

  it('refuses a user the plan keeps, and changes nothing', async () => {
    const before = liveUser(kept)!.loginProfile;
    const r = await decom([
      '--stage',
      'disable-console',
      '--users',
      `${kept.accountId}/${kept.userName}`,
      '--auto-approve',
    ]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /refusing, nothing changed/);
    assert.match(r.stderr, /decommission never touches it/);
    assert.equal(liveUser(kept)!.loginProfile, before);
  });

  it('disable-console deletes the login profile after recording its reset setting, and status shows the stage', async () => {
    const all = [...people, noSso];
    for (const u of all) if (liveUser(u)?.loginProfile) stagedConsole.add(u.userName);
    const r = await decom(['--stage', 'disable-console', '--users', names(all), '--auto-approve', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const results = new Map(r.json<{ users: Outcome[] }>().users.map((u) => [u.userName, u.result]));
    // A user without a console password has nothing to remove at this stage, and still enters it.
    for (const u of all) assert.equal(results.get(u.userName), stagedConsole.has(u.userName) ? 'done' : 'unchanged');
    assert.ok(stagedConsole.size > 0);
    // Read back through the AWS CLI for one user (a Python process per call), and from the sandbox for every one.
    const got = await iam(['get-login-profile'], all[0]);
    assert.notEqual(got.status, 0);
    assert.match(got.stderr, /NoSuchEntity/);
    for (const u of all) assert.equal(liveUser(u)?.loginProfile ?? null, null, `${u.userName}: no login profile`);
    const db = await openStateDb(w.statePath);
    const journaled = db
      .prepare(`SELECT payload_json FROM apply_journal WHERE kind = 'iam.login-profile.delete'`)
      .all();
    db.close();
    assert.equal(journaled.length, stagedConsole.size, 'each deletion was journaled with the profile it removed');
    const status = await decom(['status', '--json']);
    assert.equal(status.status, 0, status.stderr);
    const rows = status.json<{ users: StatusRow[] }>().users;
    for (const u of all) {
      const row = rows.find((x) => x.userName === u.userName && x.accountId === u.accountId)!;
      assert.equal(row.stage, 'console-disabled');
      assert.equal(row.next, 'deactivate-keys');
    }
    assert.ok(
      !rows.some((x) => x.userName === kept.userName && x.accountId === kept.accountId),
      'kept users are not listed',
    );
  });

  it('deactivate-keys is a dry run without --auto-approve, then sets every key Inactive (none deleted)', async () => {
    const all = [...people, noSso];
    const dry = await decom(['--stage', 'deactivate-keys', '--users', names(all)]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stderr, /Dry run/);
    assert.ok(
      liveUser(people[1])!.accessKeys.some((k) => k.status === 'Active'),
      `nothing changed in the dry run: ${dry.stderr}`,
    );
    const r = await decom(['--stage', 'deactivate-keys', '--users', names(all), '--auto-approve']);
    assert.equal(r.status, 0, r.stderr);
    const keys = await iam(['list-access-keys'], all[1]);
    const list = keys.json<{ AccessKeyMetadata: { Status: string }[] }>().AccessKeyMetadata;
    assert.ok(list.length > 0 && list.length === liveUser(all[1])!.accessKeys.length, keys.stdout);
    assert.ok(
      list.every((k) => k.Status === 'Inactive'),
      `${all[1].userName}: ${keys.stdout}`,
    );
    for (const u of all)
      assert.ok(
        liveUser(u)!.accessKeys.every((k) => k.status === 'Inactive'),
        `${u.userName}: every key Inactive, none deleted`,
      );
  });

  it('delete refuses inside the watch window, on use seen in it (with the evidence), and without an SSO sign-in', async () => {
    const early = await decom(['--stage', 'delete', '--users', names([people[0]]), '--auto-approve', '--json']);
    assert.equal(early.status, 1, early.stderr);
    assert.ok(early.json<{ users: Outcome[] }>().users[0].blockers.some((b) => b.id === 'window.open'));
    // A pipeline still tries the second person's old key: CloudTrail records the refused call.
    const key = liveUser(people[1])!.accessKeys[0];
    const tried = await awsCli(w.sandbox, ['sts', 'get-caller-identity'], key);
    assert.notEqual(tried.status, 0);
    w.sandbox.world.clock.advance(31 * 86_400_000);
    roles.clear(); // the role sessions taken before have expired
    // track reads the whole watch window (its windows, on the cloud's clock, must leave no day unread).
    const tracked = await track('32d');
    assert.equal(tracked.status, 0, tracked.stderr);
    // Coverage is per account and region: the run records the regions it read.
    const runs = new Database(w.statePath, { readonly: true });
    const last = runs.prepare('SELECT summary_json FROM track_runs ORDER BY started_at DESC LIMIT 1').get() as {
      summary_json: string;
    };
    runs.close();
    assert.deepEqual(JSON.parse(last.summary_json).regions, [w.sandbox.info.region]);
    const r = await decom(['--stage', 'delete', '--users', names([people[1], noSso]), '--auto-approve', '--json']);
    assert.equal(r.status, 1, r.stderr);
    const [used, unproven] = r.json<{ users: Outcome[] }>().users;
    const evidence = used.blockers.find((b) => b.id === 'use.in-window');
    assert.ok(evidence, JSON.stringify(used));
    assert.match(evidence.message, new RegExp(key.accessKeyId));
    assert.ok(!used.blockers.some((b) => b.id === 'window.open'), 'the window itself has passed');
    assert.ok(
      unproven.blockers.some((b) => b.id === 'sso.no-sign-in'),
      JSON.stringify(unproven),
    );
    assert.ok(liveUser(people[1]) && liveUser(noSso), 'neither user was touched');
  });

  it('a delete killed after its second removal resumes to a fully deleted user, snapshotted first', async () => {
    const p = people[0];
    const user = liveUser(p)!;
    const expected = { groups: [...user.groups].sort(), policies: [...user.attachedPolicies].sort(), tags: user.tags };
    const child = spawn(
      process.execPath,
      iam2ssoArgv([
        'decommission',
        '--plan',
        w.planPath,
        '--state',
        w.statePath,
        '--stage',
        'delete',
        '--users',
        names([p]),
        '--auto-approve',
      ]),
      { env: { ...w.env, NODE_PATH: `${ROOT}node_modules`, IAM2SSO_KILL_AT: 'result:2' }, stdio: 'ignore' },
    );
    const signal = await new Promise((r) => child.on('exit', (_code, s) => r(s)));
    assert.equal(signal, 'SIGKILL');
    assert.ok(liveUser(p), 'the killed run left the user half-way');
    const resumed = await decom(['--stage', 'delete', '--users', names([p]), '--auto-approve']);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /Settled \d+ change\(s\) an interrupted run left open/);
    assert.match(resumed.stderr, /a rollback recreates the user .* it cannot bring back/, 'said before the delete');
    const got = await iam(['get-user'], p);
    assert.notEqual(got.status, 0);
    assert.match(got.stderr, /NoSuchEntity/);
    const db = await openStateDb(w.statePath);
    const snap = latestSnapshot(db, p.accountId, p.userName)!;
    db.close();
    assert.deepEqual(snap.groups, expected.groups);
    assert.deepEqual(snap.attachedPolicies.map((x) => x.arn).sort(), expected.policies);
    assert.deepEqual(snap.tags, expected.tags);
    for (const k of user.accessKeys) assert.ok(!JSON.stringify(snap).includes(k.secretAccessKey), 'no secret kept');
    assert.equal(stageOf(p), 'deleted');
  });

  it('rollback RUN of the killed delete undoes the run that resumed it too; then --rollback restores console access with a reset-required password', async () => {
    const p = people[0];
    const file = join(w.dir, 'passwords.txt');
    const snapshots = new Database(w.statePath, { readonly: true });
    const killed = (
      snapshots
        .prepare('SELECT run_id FROM decommission_snapshots WHERE account_id = ? AND user_name = ?')
        .get(p.accountId, p.userName) as { run_id: string }
    ).run_id;
    snapshots.close();
    const span = await w.run(['rollback', killed, '--state', w.statePath, '--auto-approve', '--password-file', file]);
    assert.equal(span.status, 0, span.stderr);
    assert.match(
      span.stderr,
      new RegExp(`${p.userName}: its delete spans runs ${killed}, decommission-\\S+ \\(resumed`),
    );
    assert.equal(stageOf(p), 'keys-deactivated', 'back to the stage before delete');
    const got = await iam(['get-user'], p);
    assert.equal(got.status, 0, got.stderr);
    const r = await decom(['--rollback', '--users', names([p]), '--auto-approve', '--password-file', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /cannot come back/);
    const groups = await iam(['list-groups-for-user'], p);
    const db = await openStateDb(w.statePath);
    const snap = latestSnapshot(db, p.accountId, p.userName)!;
    db.close();
    assert.deepEqual(
      groups
        .json<{ Groups: { GroupName: string }[] }>()
        .Groups.map((g) => g.GroupName)
        .sort(),
      snap.groups,
    );
    const profile = await iam(['get-login-profile'], p);
    assert.equal(profile.status, 0, profile.stderr);
    assert.equal(
      profile.json<{ LoginProfile: { PasswordResetRequired: boolean } }>().LoginProfile.PasswordResetRequired,
      true,
    );
    const password = readFileSync(file, 'utf8').trim().split('\t')[1];
    assert.ok(password && password.length >= 20);
    assert.ok(
      !readFileSync(w.statePath).includes(password) && !r.stdout.includes(password) && !r.stderr.includes(password),
    );
  });

  it('rollback of the earlier stages re-activates the keys and restores the console', async () => {
    const q = people[1];
    const r = await decom([
      '--rollback',
      '--users',
      names([q]),
      '--auto-approve',
      '--password-file',
      join(w.dir, 'q.txt'),
    ]);
    assert.equal(r.status, 0, r.stderr);
    const keys = await iam(['list-access-keys'], q);
    const list = keys.json<{ AccessKeyMetadata: { Status: string }[] }>().AccessKeyMetadata;
    assert.ok(list.length > 0 && list.every((k) => k.Status === 'Active'), keys.stdout);
    // Console access comes back only where disable-console removed a login profile.
    const removed = stagedConsole.has(q.userName);
    assert.equal((await iam(['get-login-profile'], q)).status === 0, removed);
    assert.equal(stageOf(q), undefined, 'back to active: no stage recorded');
  });

  it('rollback RUN undoes one decommission run: a later stage first, then each user back to the stage before', async () => {
    const db = new Database(w.statePath, { readonly: true });
    const runOf = (kind: string) =>
      (
        db
          .prepare(
            `SELECT r.run_id FROM runs r JOIN apply_journal j ON j.run_id = r.run_id
             WHERE r.command = 'decommission' AND j.kind = ? ORDER BY r.started_at LIMIT 1`,
          )
          .get(kind) as { run_id: string }
      ).run_id;
    const [consoleRun, keysRun] = [runOf('iam.login-profile.delete'), runOf('iam.credential.deactivate')];
    db.close();
    const rollback = (run: string) =>
      w.run(['rollback', run, '--state', w.statePath, '--auto-approve', '--password-file', join(w.dir, 'n.txt')]);
    const early = await rollback(consoleRun);
    assert.equal(early.status, 0, early.stderr);
    assert.match(early.stderr, new RegExp(`refused ${noSso.accountId}/${noSso.userName}: it is keys-deactivated`));
    // Checked in the sandbox's world directly: the AWS CLI checks of each stage are above.
    assert.equal(liveUser(noSso)!.loginProfile, undefined, 'the refused user keeps its stage');
    assert.equal(stageOf(noSso), 'keys-deactivated');
    const keys = await rollback(keysRun);
    assert.equal(keys.status, 0, keys.stderr);
    assert.ok(liveUser(noSso)!.accessKeys.every((k) => k.status === 'Active'));
    assert.equal(stageOf(noSso), 'console-disabled');
    const console = await rollback(consoleRun);
    assert.equal(console.status, 0, console.stderr);
    assert.ok(liveUser(noSso)!.loginProfile);
    assert.equal(stageOf(noSso), undefined, 'back to active');
  });
});
