/**
 * `iam2sso plan --detailed-exitcode`: after writing the plan, compares it with the live state through apply's
 * own diff and exits 0 when nothing is pending, 2 while changes are (Terraform's convention); errors exit 1.
 */
import { existsSync } from 'node:fs';
import { renderDiffLines, renderSummary } from '../apply/render.js';
import { computeChanges, createApplyRuntime, rateFromEnv } from '../apply/run.js';
import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import type { MigrationPlan } from '../core/plan-types.js';
import type { PlanForApply } from '../core/reconcile/desired.js';
import { DEFAULT_IDENTITY_SOURCE, entraNeed, entraWritten } from '../core/reconcile/identity-source.js';
import { createEntraAdapter } from '../entra/adapter.js';
import type { EntraConfig } from '../entra/settings.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { ExitCode, UsageError, ValidationFailed } from '../errors.js';
import { DEFAULT_STATE_PATH, openStateDb } from '../store/db.js';
import { stateOwnership } from '../store/ownership-repo.js';
import { pendingSamlKeep } from './apply-saml-keep.js';
import { colourEnabled, diffPainter } from './colour.js';
import type { Io } from './io.js';
import { recordPendingDiff } from './pending-record.js';

/** Prints the pending changes and throws ExitCode(2) when there are any. */
export async function exitWithPendingChanges(
  plan: PlanForApply & Pick<MigrationPlan, 'outsideIdentityCenter'>,
  entraConfig: EntraConfig | undefined,
  io: Io,
  aws: AwsOptions & { color?: boolean } = {},
  statePath = DEFAULT_STATE_PATH,
  /** The plan file compared (its pending diff is kept for the dashboard); absent for a plan not yet written. */
  planPath?: string,
): Promise<void> {
  const settings = await resolveAwsSettings(aws, { identityCenter: true, note: (line) => io.err(line) });
  const source = plan.identitySource ?? DEFAULT_IDENTITY_SOURCE;
  const entra = entraWritten(source)
    ? createEntraAdapter({
        settings: resolveEntraSettings(entraConfig, process.env, {}, { why: entraNeed(source) }),
        env: process.env,
      })
    : null;
  const runtime = createApplyRuntime(settings, entra, rateFromEnv(process.env));
  try {
    const db = existsSync(statePath) ? await openStateDb(statePath) : null;
    const owned = db ? stateOwnership(db) : { originOf: () => null };
    // Accounts kept outside Identity Center: their direct SAML federation is compared too (e.g. a rotated certificate).
    const saml = await pendingSamlKeep(plan.outsideIdentityCenter ?? [], settings, entraConfig, entra, db);
    const {
      diff,
      changes: iic,
      adoptionProblems,
    } = await computeChanges(plan, runtime.ports, 8, owned)
      .then((computed) => {
        if (db && planPath)
          recordPendingDiff(db, planPath, plan, 'plan --detailed-exitcode', {
            ...computed,
            skipped: computed.diff.skipped,
          });
        return computed;
      })
      .catch((e) => {
        throw toCloudError(e, 'sso');
      })
      .finally(() => db?.close());
    const changes = [...iic, ...saml.changes];
    diff.skipped.push(...saml.skipped);
    if (adoptionProblems.length > 0)
      throw new ValidationFailed(
        adoptionProblems.map((p) => ({ file: 'the plan', message: `${p.path.join('.')}: ${p.message}` })),
      );
    if (changes.length === 0) {
      io.err('Identity Center and Entra match the plan: no changes pending.');
      return;
    }
    const paint = diffPainter(colourEnabled(aws, io.isTty));
    for (const line of renderDiffLines(diff, changes)) io.err(paint(line));
    throw new ExitCode(2, `Changes pending: ${renderSummary(diff, changes)} Run \`iam2sso apply\` to make them.`);
  } finally {
    runtime.close();
  }
}

/** Runs the plan command so that its errors exit 1 (2 means "changes pending" under --detailed-exitcode). */
export async function withDetailedExitcode(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UsageError) throw new ExitCode(1, `error: ${error.message}`);
    throw error;
  }
}
