/** `iam2sso runs` and `iam2sso adopt`: the journaled runs, and explicit adoption of an object the tool did not make. */
import type { Command } from 'commander';
import type { ObjectKind } from '../core/reconcile/changes.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import { type Io, printJson } from './io.js';

const KINDS: ObjectKind[] = [
  'permission-set',
  'entra-group',
  'store-group',
  'store-user',
  'assignment',
  'entra-app',
  'scp',
];

/** Registers `iam2sso runs` and `iam2sso adopt`. */
export function registerRuns(program: Command, io: Io): void {
  program
    .command('runs')
    .description('every journaled run (apply, sync, rollback) with its status and counts')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--json', 'print the runs as JSON', false)
    .action(async (flags: { state: string; json: boolean }) => {
      const { openStateDb } = await import('../store/db.js');
      const { listRuns } = await import('../store/runs-repo.js');
      const db = await openStateDb(flags.state);
      try {
        const runs = listRuns(db);
        if (flags.json) return printJson(io, runs);
        if (runs.length === 0) return io.err(`No runs in ${flags.state}.`);
        for (const r of runs)
          io.out(
            `${r.runId}  ${r.command.padEnd(8)} ${r.status.padEnd(11)} ${r.startedAt}  ` +
              `${r.counts.done} done, ${r.counts.failed} failed, ${r.counts.open} open, ${r.counts.superseded} superseded`,
          );
      } finally {
        db.close();
      }
    });
  program
    .command('adopt')
    .description('record an existing object as managed by iam2sso (it may then be updated and deleted like its own)')
    .argument('<kind>', KINDS.join(' | '))
    .argument('<name>', 'the name (an assignment: ACCOUNT|PERMISSION_SET|GROUP)')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .action(async (kind: string, name: string, flags: { state: string }) => {
      if (!KINDS.includes(kind as ObjectKind))
        throw new UsageError(`unknown kind ${kind}: use one of ${KINDS.join(', ')}`);
      const { openStateDb } = await import('../store/db.js');
      const { recordOwned } = await import('../store/ownership-repo.js');
      const db = await openStateDb(flags.state);
      try {
        const [account, set, group] = name.split('|');
        const key =
          kind === 'permission-set'
            ? name
            : kind === 'assignment'
              ? `${account}|${set}|${(group ?? '').toLowerCase()}`
              : name.toLowerCase();
        recordOwned(db, { kind: kind as ObjectKind, key }, 'adopted', null, new Date());
        io.err(`Adopted ${kind} ${name}: the next apply or sync manages it as its own.`);
      } finally {
        db.close();
      }
    });
}
