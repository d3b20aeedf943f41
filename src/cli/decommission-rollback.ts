/**
 * `iam2sso decommission --rollback [--users ...]`: each selected user's decommission undone from its journal
 * (keys re-activated, console access restored with a new reset-required password, a deleted user recreated with its
 * policies, groups and tags), through the executor. A new password goes only to the terminal or to the file the
 * operator names (mode 0600), never to the journal, the state database or a log.
 */
import { appendFileSync, chmodSync, existsSync, writeFileSync } from 'node:fs';
import { toCloudError } from '../aws/errors.js';
import { readIamUser } from '../aws/iam-user-reads.js';
import { rollbackChanges, stageAfterRunRollback } from '../core/decommission-rollback.js';
import { resumedDeleteSpans } from '../core/decommission-span.js';
import type { StageRecord } from '../core/decommission-types.js';
import { describeIamChange, type IamChange } from '../core/reconcile/changes-iam.js';
import { UsageError } from '../errors.js';
import { openStateDb, type StateDb } from '../store/db.js';
import {
  clearStage,
  decommissionJournal,
  type JournaledIamChange,
  loadStages,
  saveStage,
  snapshotRuns,
} from '../store/decommission-repo.js';
import { listRuns } from '../store/runs-repo.js';
import type { AccountIam } from '../verify/account-iam.js';
import { confirm } from './apply-run.js';
import { type DecommissionFlags, keyOf, openIam, readPlan, selectUsers } from './decommission-context.js';
import { newDecommissionRunId, runIamChanges, userSucceeded } from './decommission-execute.js';
import { type Io, printJson } from './io.js';

/** The flags of a rollback. */
export type RollbackFlags = DecommissionFlags & { dryRun: boolean; autoApprove: boolean; passwordFile?: string };

function passwordSink(flags: RollbackFlags, io: Io): (user: string, password: string) => void {
  if (flags.passwordFile) {
    const file = flags.passwordFile;
    if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600 });
    chmodSync(file, 0o600);
    return (user, password) => appendFileSync(file, `${user}\t${password}\n`);
  }
  if (!process.stderr.isTTY)
    throw new UsageError(
      'console access is restored with a new password, which goes only to a terminal or a file: pass --password-file FILE',
    );
  return (user, password) => io.err(`New console password for ${user} (reset required at first sign-in): ${password}`);
}

type UserPlan = { key: string; changes: IamChange[]; notes: string[] };

/** Runs the rollback. */
export async function runRollback(flags: RollbackFlags, io: Io): Promise<void> {
  const plan = readPlan(flags.plan);
  const db = await openStateDb(flags.state);
  const { iam } = await openIam(flags, io);
  try {
    const stages = loadStages(db);
    const picked = selectUsers(plan, flags, false).filter((u) => flags.users || stages.has(keyOf(u)));
    const journal = decommissionJournal(db);
    const plans: UserPlan[] = [];
    for (const u of picked) {
      const mine = journal.filter((j) => keyOf(j.change) === keyOf(u));
      plans.push(mine.length === 0 ? { key: keyOf(u), changes: [], notes: [] } : await planUser(iam, u, mine));
    }
    const runId = newDecommissionRunId('decommission-rollback', new Date());
    await undo(plans, { db, iam, flags, io, runId }, (key) => clearStage(db, ...split(key)));
  } finally {
    iam.close();
    db.close();
  }
}

/**
 * `iam2sso rollback RUN` for a decommission run: the changes that run made, undone for each user it touched; a user
 * a later stage moved on is refused (that stage is undone first), and each user goes back to the stage before.
 */
export async function rollbackDecommissionRun(db: StateDb, target: string, flags: RollbackFlags, io: Io) {
  const { iam } = await openIam(flags, io);
  try {
    const stages = loadStages(db);
    const all = decommissionJournal(db);
    // A delete killed and resumed spans runs: all of them are undone together, newest first.
    const order = listRuns(db).map((r) => r.runId);
    const spans = resumedDeleteSpans(all, snapshotRuns(db), order, target);
    for (const [key, runs] of spans)
      io.err(
        `Note: ${key}: its delete spans runs ${runs.join(', ')} (resumed after an interruption): undone together, newest first`,
      );
    const journal = all.filter((j) => j.runId === target || spans.get(keyOf(j.change))?.includes(j.runId));
    const now = new Date();
    const runId = newDecommissionRunId('decommission-rollback', now);
    const plans: UserPlan[] = [];
    const next = new Map<string, StageRecord | null>();
    for (const key of [...new Set(journal.map((j) => keyOf(j.change)))]) {
      const [accountId, userName] = split(key);
      const mine = journal.filter((j) => keyOf(j.change) === key);
      const after = stageAfterRunRollback(
        stages.get(key) ?? null,
        { accountId, userName },
        mine.map((j) => j.change),
        now,
        runId,
      );
      if (after !== 'unchanged' && 'refused' in after) {
        io.err(`  refused ${key}: ${after.refused}`);
        continue;
      }
      if (after !== 'unchanged') next.set(key, after.record);
      plans.push(await planUser(iam, { accountId, userName }, mine));
    }
    await undo(plans, { db, iam, flags, io, runId, target }, (key) => {
      if (!next.has(key)) return;
      const record = next.get(key);
      if (record) saveStage(db, record);
      else clearStage(db, ...split(key));
    });
  } finally {
    iam.close();
  }
}

const split = (key: string): [string, string] => [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];

async function planUser(
  iam: AccountIam,
  u: { accountId: string; userName: string },
  mine: JournaledIamChange[],
): Promise<UserPlan> {
  const live = await readIamUser(await iam.iamFor(u.accountId), u.accountId, u.userName).catch((e) => {
    throw toCloudError(e, 'iam', u.accountId);
  });
  return { key: keyOf(u), ...rollbackChanges(u, mine, live) };
}

/** Shows the undos, asks, makes them through the executor, and records each user that is back (`restored`). */
async function undo(
  plans: UserPlan[],
  ctx: { db: StateDb; iam: AccountIam; flags: RollbackFlags; io: Io; runId: string; target?: string },
  restored: (key: string) => void,
): Promise<void> {
  const { flags, io, runId } = ctx;
  const changes = plans.flatMap((p) => p.changes);
  const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
  for (const c of changes) show(`  ${describeIamChange(c)}`);
  for (const p of plans) for (const n of p.notes) io.err(`Note: ${p.key}: ${n}`);
  let proceed = changes.length > 0 && !flags.dryRun;
  if (proceed && !flags.autoApprove) {
    if (!process.stdin.isTTY) {
      io.err('Dry run: no terminal to confirm on; pass --auto-approve to make these changes.');
      proceed = false;
    } else proceed = await confirm(io, `Undo with these ${changes.length} change(s)? Only "yes" is accepted: `);
  }
  const deliver =
    proceed && changes.some((c) => c.kind === 'iam.login-profile.create') ? passwordSink(flags, io) : undefined;
  const result = proceed
    ? await runIamChanges(changes, {
        db: ctx.db,
        iam: ctx.iam,
        runId,
        command: 'decommission-rollback',
        targetRunId: ctx.target,
        dryRun: false,
        io,
        deliverPassword: deliver,
      })
    : null;
  const users = plans.map((p) => {
    const ok = !!result && userSucceeded(result.report, p.key);
    const [accountId, userName] = split(p.key);
    const nothing = p.changes.length === 0 && !flags.dryRun;
    if (ok || nothing) restored(p.key);
    return {
      accountId,
      userName,
      result: ok || nothing ? 'rolled-back' : proceed ? 'failed' : 'planned',
      changes: p.changes.map(describeIamChange),
      notes: p.notes,
    };
  });
  if (flags.json) printJson(io, { runId: proceed ? runId : null, target: ctx.target, dryRun: !proceed, users });
  else for (const u of users) io.out(`${u.accountId}/${u.userName}: ${u.result}`);
  if (users.some((u) => u.result === 'failed'))
    throw new UsageError('some users were not rolled back (see above); run the same command again to resume');
}
