/** How every rollback (of an apply, sync or entra setup run) reports its outcome, and fails when an undo failed. */
import { describeChange } from '../core/reconcile/changes.js';
import { CloudError } from '../errors.js';
import { countReport, type ExecutionReport } from '../reconcile/executor.js';
import { type Io, printJson } from './io.js';

/** Prints the outcome (JSON under --json, else one summary line); returns every refusal, planned and at run time. */
export function reportRollback(
  io: Io,
  flags: { json?: boolean; dryRun?: boolean },
  outcome: { runId: string; target: string; exec: ExecutionReport; refused: { item: string; reason: string }[] },
  writes: string[],
): void {
  const { runId, target, exec } = outcome;
  const refused = [
    ...outcome.refused,
    ...exec.refused.map((r) => ({ item: describeChange(r.change).slice(2), reason: r.reason })),
  ];
  if (flags.json) printJson(io, { run: runId, target, ...countReport(exec), refused, writes });
  else
    io.err(
      `Rollback ${flags.dryRun ? '(dry run) ' : ''}of ${target}: ${exec.done.length} undone, ${exec.failed.length} failed, ${refused.length} refused.`,
    );
}

/** The error of a rollback some of whose undos failed: running it again resumes. */
export function rollbackIncomplete(detail: string): CloudError {
  return new CloudError(
    'iam2sso',
    'RollbackIncomplete',
    detail,
    undefined,
    'fix the cause and run the same command again: it resumes',
  );
}
