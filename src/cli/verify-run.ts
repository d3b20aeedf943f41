/**
 * The work of `iam2sso verify`: reads the live assignments, memberships and Identity Center roles of the plan's
 * accounts, compares them with the plan (parity recomputed from the live documents), prints the differences, and
 * exits 1 when there are any.
 */

import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { loadActionCatalog } from '../catalog/action-catalog.js';
import { awsManagedDocuments } from '../catalog/managed-policies.js';
import { createPolicyCompiler } from '../core/policy/compile.js';
import { createExpander } from '../core/policy/expand.js';
import { ExitCode, UsageError } from '../errors.js';
import { loadAuditRun } from '../store/audit-repo.js';
import { openStateDb } from '../store/db.js';
import { readLiveFacts } from '../verify/read-live.js';
import { createVerifyRuntime } from '../verify/runtime.js';
import { verifyPlan } from '../verify/verify-plan.js';
import { readPlanForApply } from './apply-run.js';
import { type Io, printJson } from './io.js';
import type { VerifyFlags } from './verify.js';

/** Runs `iam2sso verify`. */
export async function runVerifyCommand(flags: VerifyFlags, io: Io): Promise<void> {
  const plan = readPlanForApply(flags.plan, 20);
  const db = await openStateDb(flags.state);
  const run = (() => {
    try {
      return loadAuditRun(db, plan.fingerprint.runId);
    } finally {
      db.close();
    }
  })();
  if (!run)
    throw new UsageError(`the audit the plan was made from (${plan.fingerprint.runId}) is not in ${flags.state}`);
  const settings = await resolveAwsSettings(flags as AwsOptions, {
    identityCenter: true,
    note: (line) => io.err(line),
  });
  const runtime = createVerifyRuntime(settings, flags.assumeRole);
  try {
    const live = await readLiveFacts(plan, runtime.readers, (id) => runtime.iam.iamFor(id)).catch((e) => {
      throw toCloudError(e, 'sso');
    });
    const report = verifyPlan({
      plan,
      snapshot: run.snapshot,
      facts: live.facts,
      roles: live.roles,
      compiler: createPolicyCompiler(createExpander(await loadActionCatalog())),
      lookup: awsManagedDocuments,
    });
    const problems = [
      ...report.roles.flatMap((r) => r.problems.map((p) => `${r.accountId} ${r.permissionSet}: ${p}`)),
      ...report.users.flatMap((u) => u.problems.map((p) => `${u.accountId}/${u.userName} (${u.upn}): ${p}`)),
    ];
    if (flags.json) printJson(io, { match: problems.length === 0, ...report });
    else for (const line of problems) io.out(line);
    if (problems.length > 0)
      throw new ExitCode(1, `${problems.length} difference(s) between the plan and the live Identity Center roles`);
    io.err(`Identity Center matches the plan: ${report.roles.length} role(s), ${report.users.length} user(s) checked.`);
  } finally {
    runtime.close();
  }
}
