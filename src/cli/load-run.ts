/** Loading a stored audit run for the commands that report on one. */

import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { type AuditRun, loadAuditRun } from '../store/audit-repo.js';
import { openStateDb } from '../store/db.js';

/** Loads a stored audit run or fails with a usage error that says what to run first. */
export async function loadRunOrFail(statePath: string, runId?: string): Promise<AuditRun> {
  // Opening would create an empty database: a missing one is a usage error, and nothing is written.
  if (!existsSync(statePath))
    throw new UsageError(`no state database at ${statePath}: run \`iam2sso audit\` first (or pass --state)`);
  const db = await openStateDb(statePath);
  try {
    const run = loadAuditRun(db, runId);
    if (!run)
      throw new UsageError(
        runId ? `no audit run ${runId} in ${statePath}` : `no audit in ${statePath} yet: run \`iam2sso audit\` first`,
      );
    return run;
  } finally {
    db.close();
  }
}
