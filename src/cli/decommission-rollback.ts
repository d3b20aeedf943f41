/**
 * `iam2sso decommission --rollback [--users ...]`: each selected user's decommission undone from its journal
 * (keys re-activated, console access restored with a new reset-required password, a deleted user recreated with its
 * policies, groups and tags), through the executor. A new password goes only to the terminal or to the file the
 * operator names (mode 0600), never to the journal, the state database or a log.
 */
import { appendFileSync, chmodSync, existsSync, writeFileSync } from 'node:fs';
import { toCloudError } from '../aws/errors.js';
import { readIamUser } from '../aws/iam-user-reads.js';
import { rollbackChanges } from '../core/decommission-rollback.js';
import { describeIamChange, type IamChange } from '../core/reconcile/changes-iam.js';
import { UsageError } from '../errors.js';
import { openStateDb } from '../store/db.js';
import { clearStage, decommissionJournal, loadStages } from '../store/decommission-repo.js';
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

/** Runs the rollback. */
export async function runRollback(flags: RollbackFlags, io: Io): Promise<void> {
  const plan = readPlan(flags.plan);
  const db = await openStateDb(flags.state);
  const { iam } = await openIam(flags, io);
  try {
    const stages = loadStages(db);
    const picked = selectUsers(plan, flags, false).filter((u) => flags.users || stages.has(keyOf(u)));
    const journal = decommissionJournal(db);
    const plans: { key: string; changes: IamChange[]; notes: string[] }[] = [];
    for (const u of picked) {
      const mine = journal.filter((j) => keyOf(j.change) === keyOf(u));
      if (mine.length === 0) {
        // A stage that needed no change (no password to remove): nothing to undo but the record.
        plans.push({ key: keyOf(u), changes: [], notes: [] });
        continue;
      }
      const live = await readIamUser(await iam.iamFor(u.accountId), u.accountId, u.userName).catch((e) => {
        throw toCloudError(e, 'iam', u.accountId);
      });
      plans.push({ key: keyOf(u), ...rollbackChanges(u, mine, live) });
    }
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
    const runId = newDecommissionRunId('decommission-rollback', new Date());
    const result = proceed
      ? await runIamChanges(changes, {
          db,
          iam,
          runId,
          command: 'decommission-rollback',
          dryRun: false,
          io,
          deliverPassword: deliver,
        })
      : null;
    const users = plans.map((p) => {
      const ok = !!result && userSucceeded(result.report, p.key);
      const [accountId, userName] = [p.key.slice(0, p.key.indexOf('/')), p.key.slice(p.key.indexOf('/') + 1)];
      const nothing = p.changes.length === 0 && !flags.dryRun;
      if (ok || nothing) clearStage(db, accountId, userName);
      return {
        accountId,
        userName,
        result: ok || nothing ? 'rolled-back' : proceed ? 'failed' : 'planned',
        changes: p.changes.map(describeIamChange),
        notes: p.notes,
      };
    });
    if (flags.json) printJson(io, { runId: proceed ? runId : null, dryRun: !proceed, users });
    else for (const u of users) io.out(`${u.accountId}/${u.userName}: ${u.result}`);
    if (users.some((u) => u.result === 'failed'))
      throw new UsageError('some users were not rolled back (see above); run the same command again to resume');
  } finally {
    iam.close();
    db.close();
  }
}
