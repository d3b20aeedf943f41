/**
 * `iam2sso decommission --stage disable-console|deactivate-keys|delete`: gate each selected user (previous stage,
 * watch window, use seen by `track` in it, SSO access proven), read it live, show the changes (and, before
 * `delete`, what cannot come back), ask, snapshot before `delete`, run the changes through the executor, and record
 * the stage each user reached on the cloud's clock.
 */

import { toCloudError } from '../aws/errors.js';
import { cloudNow, readIamUser } from '../aws/iam-user-reads.js';
import { blockersFor, irreversibleNote, STAGE_AFTER, stageChanges } from '../core/decommission.js';
import type { Blocker, IamUserFacts, StageCommand } from '../core/decommission-types.js';
import type { PlannedUser } from '../core/plan-types.js';
import { describeIamChange as describe, type IamChange } from '../core/reconcile/changes-iam.js';
import { describeMassChanges, findMassChanges } from '../core/reconcile/guard.js';
import { CloudError, UsageError } from '../errors.js';
import { openStateDb, type StateDb } from '../store/db.js';
import { saveSnapshot, saveStage } from '../store/decommission-repo.js';
import { confirm } from './apply-run.js';
import {
  type DecommissionFlags,
  decommissionSettings,
  type Evidence,
  keyOf,
  openIam,
  readEvidence,
  readPlan,
  retiredUsers,
  selectUsers,
} from './decommission-context.js';
import { newDecommissionRunId, runIamChanges, userSucceeded } from './decommission-execute.js';
import { readSsoProof } from './decommission-sso.js';
import { type Io, printJson } from './io.js';

/** The flags of a stage run. */
export type StageFlags = DecommissionFlags & {
  stage: StageCommand;
  dryRun: boolean;
  autoApprove: boolean;
  allowMassDelete?: boolean;
};

/** What happened to one user. */
export type StageOutcome = {
  accountId: string;
  userName: string;
  result: 'done' | 'unchanged' | 'blocked' | 'failed' | 'missing' | 'planned';
  blockers: Blocker[];
  changes: string[];
};

type Candidate = { user: PlannedUser; facts: IamUserFacts | null };

async function readLive(flags: StageFlags, io: Io, users: PlannedUser[]) {
  const { settings, iam } = await openIam(flags, io, flags.stage === 'delete');
  const read = async (u: PlannedUser): Promise<Candidate> => ({
    user: u,
    facts: await readIamUser(await iam.iamFor(u.accountId), u.accountId, u.userName).catch((e) => {
      throw toCloudError(e, 'iam', u.accountId);
    }),
  });
  const candidates = await Promise.all(users.map(read));
  const first = users[0] ? await iam.iamFor(users[0].accountId) : null;
  return { settings, iam, candidates, now: first ? cloudNow(first) : new Date() };
}

function gate(
  flags: StageFlags,
  evidence: Evidence,
  sso: Awaited<ReturnType<typeof readSsoProof>>,
  now: Date,
  c: Candidate,
): Blocker[] {
  const key = keyOf(c.user);
  return blockersFor(flags.stage, {
    user: c.user,
    record: evidence.stages.get(key) ?? null,
    now,
    settings: decommissionSettings(flags.config),
    legacy: evidence.legacy.get(key) ?? [],
    tracked: evidence.tracked,
    sso: sso.get(key) ?? null,
  });
}

function massCheck(flags: StageFlags, acting: number, retired: number): void {
  const found = findMassChanges([{ kind: 'IAM users', removals: acting, owned: retired }]);
  if (found.length > 0 && !flags.allowMassDelete) throw new UsageError(describeMassChanges(found));
}

function printOutcomes(flags: StageFlags, io: Io, outcomes: StageOutcome[], extra: Record<string, unknown>): void {
  if (flags.json) {
    printJson(io, { stage: flags.stage, ...extra, users: outcomes });
    return;
  }
  for (const o of outcomes) {
    io.out(`${o.accountId}/${o.userName}: ${o.result}`);
    for (const b of o.blockers) io.out(`  blocked (${b.id}): ${b.message}`);
  }
}

/** Runs one stage for the selected users. */
export async function runStage(flags: StageFlags, io: Io): Promise<void> {
  const plan = readPlan(flags.plan);
  const users = selectUsers(plan, flags);
  const db = await openStateDb(flags.state);
  const show = (line: string) => (flags.json ? io.err(line) : io.out(line));
  let close: () => void = () => undefined;
  try {
    const evidence = readEvidence(db);
    const live = await readLive(flags, io, users);
    close = () => live.iam.close();
    const sso =
      flags.stage === 'delete'
        ? await readSsoProof({
            plan,
            db,
            settings: live.settings,
            assumeRole: flags.assumeRole,
            users,
            firstSso: evidence.firstSso,
          })
        : new Map();
    const outcomes: StageOutcome[] = [];
    const acting: { c: Candidate; changes: IamChange[] }[] = [];
    for (const c of live.candidates) {
      const base = { accountId: c.user.accountId, userName: c.user.userName, changes: [] as string[] };
      const record = evidence.stages.get(keyOf(c.user));
      if (!c.facts) {
        if (record?.stage === 'deleting') {
          saveStage(db, { ...record, stage: 'deleted', enteredAt: live.now.toISOString() });
          outcomes.push({ ...base, result: 'done', blockers: [] });
        } else
          outcomes.push({
            ...base,
            result: 'missing',
            blockers: [{ id: 'user.missing', message: 'no such IAM user' }],
          });
        continue;
      }
      const blockers = gate(flags, evidence, sso, live.now, c);
      if (blockers.length > 0) {
        outcomes.push({ ...base, result: 'blocked', blockers });
        continue;
      }
      acting.push({ c, changes: stageChanges(flags.stage, c.facts) });
    }
    massCheck(flags, acting.filter((a) => a.changes.length > 0).length, retiredUsers(plan).length);
    const changes = acting.flatMap((a) => a.changes);
    for (const c of changes) show(`  ${describe(c)}`);
    if (flags.stage === 'delete') for (const a of acting) io.err(`Note: ${irreversibleNote(a.c.facts!)}`);
    const proceed = await approve(flags, io, changes.length);
    const runId = newDecommissionRunId('decommission', live.now);
    if (proceed && flags.stage === 'delete')
      for (const a of acting.filter((x) => evidence.stages.get(keyOf(x.c.user))?.stage !== 'deleting')) {
        // The snapshot is taken before the first removal; a resumed delete keeps the first one.
        saveSnapshot(db, a.c.facts!, runId, live.now.toISOString());
        saveStage(db, {
          accountId: a.c.user.accountId,
          userName: a.c.user.userName,
          stage: 'deleting',
          enteredAt: live.now.toISOString(),
          runId,
        });
      }
    const { report } = proceed
      ? await runIamChanges(changes, { db, iam: live.iam, runId, command: 'decommission', dryRun: false, io })
      : { report: null };
    recordOutcomes(
      db,
      flags.stage,
      acting,
      report,
      runId,
      live.now,
      outcomes,
      proceed || (!flags.dryRun && changes.length === 0),
    );
    printOutcomes(flags, io, outcomes, { runId: proceed ? runId : null, dryRun: !proceed });
    finish(outcomes, proceed, changes.length, io);
  } finally {
    close();
    db.close();
  }
}

/** Dry run when asked, and where a mistake costs access: without --auto-approve and no terminal to ask on. */
async function approve(flags: StageFlags, io: Io, count: number): Promise<boolean> {
  if (count === 0) return false;
  if (flags.dryRun) return false;
  if (flags.autoApprove) return true;
  if (!process.stdin.isTTY) {
    io.err('Dry run: no terminal to confirm on; pass --auto-approve to make these changes.');
    return false;
  }
  return confirm(io, `Make these ${count} change(s)? Only "yes" is accepted: `);
}

function recordOutcomes(
  db: StateDb,
  stage: StageCommand,
  acting: { c: Candidate; changes: IamChange[] }[],
  report: Awaited<ReturnType<typeof runIamChanges>>['report'] | null,
  runId: string,
  now: Date,
  outcomes: StageOutcome[],
  /** Whether stages may be recorded (changes made, or none needed outside a dry run). */
  proceed: boolean,
): void {
  for (const a of acting) {
    const key = keyOf(a.c.user);
    const base = {
      accountId: a.c.user.accountId,
      userName: a.c.user.userName,
      blockers: [],
      changes: a.changes.map(describe),
    };
    if (proceed && (a.changes.length === 0 || (report && userSucceeded(report, key)))) {
      saveStage(db, {
        accountId: base.accountId,
        userName: base.userName,
        stage: STAGE_AFTER[stage].to,
        enteredAt: now.toISOString(),
        runId,
      });
      outcomes.push({ ...base, result: a.changes.length === 0 ? 'unchanged' : 'done' });
    } else outcomes.push({ ...base, result: proceed ? 'failed' : 'planned' });
  }
}

function finish(outcomes: StageOutcome[], proceed: boolean, count: number, io: Io): void {
  const n = (r: StageOutcome['result']) => outcomes.filter((o) => o.result === r).length;
  io.err(
    `${proceed ? '' : count ? 'Dry run: ' : ''}${n('done')} done, ${n('unchanged')} already there, ${n('planned')} planned, ` +
      `${n('blocked')} blocked, ${n('failed')} failed, ${n('missing')} missing.`,
  );
  if (n('failed') > 0)
    throw new CloudError(
      'iam',
      'DecommissionIncomplete',
      `${n('failed')} user(s) did not reach the stage`,
      undefined,
      'fix the cause and run the same command again: it resumes',
    );
  if (n('blocked') > 0 || n('missing') > 0)
    throw new CloudError(
      'iam2sso',
      'DecommissionBlocked',
      `${n('blocked') + n('missing')} user(s) refused (see above)`,
      undefined,
      'see what blocks each user; `iam2sso decommission status` lists them',
    );
}
