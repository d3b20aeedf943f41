/**
 * `iam2sso sync` only runs when the plan says iam2sso feeds the Identity Store: with Entra's SCIM provisioning or
 * another feeder in charge, two writers would fight over the same groups and memberships.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_IDENTITY_SOURCE, type IdentitySource } from '../core/reconcile/identity-source.js';
import { UsageError } from '../errors.js';
import { readPlanFile } from '../plan-file/read.js';
import { DEFAULT_PLAN_FILE } from './plan.js';

/**
 * The identity source of the plan (`--plan`, else migration-plan.yaml if present) and its file; null without a plan
 * file. A plan that does not parse counts as the default source (the command that reads it strictly says why).
 */
export function planIdentitySource(
  flags: { plan?: string },
  cwd = process.cwd(),
): { file: string; source: IdentitySource; outsideIdentityCenter: boolean } | null {
  const file = flags.plan ?? (existsSync(`${cwd}/${DEFAULT_PLAN_FILE}`) ? `${cwd}/${DEFAULT_PLAN_FILE}` : null);
  if (!file || !existsSync(file)) return null;
  const plan = readPlanFile(file, { quota: 20, strict: false }).plan;
  return {
    file,
    source: plan?.identitySource ?? DEFAULT_IDENTITY_SOURCE,
    outsideIdentityCenter: (plan?.outsideIdentityCenter?.length ?? 0) > 0,
  };
}

/** Throws a usage error when the plan (`--plan`, else migration-plan.yaml if present) names another identity source. */
export function refuseForeignIdentitySource(flags: { plan?: string }, cwd = process.cwd()): void {
  const found = planIdentitySource(flags, cwd);
  if (!found || found.source === 'iam2sso-sync') return;
  const { file, source } = found;
  const feeder = source === 'scim' ? "Entra's SCIM provisioning" : 'an identity source outside iam2sso';
  throw new UsageError(
    `sync refused: ${file} says identitySource: ${source}, so ${feeder} feeds the Identity Store and sync would fight it. ` +
      'Set identitySource: iam2sso-sync in the plan to let iam2sso sync the groups (and turn the other feed off first).',
  );
}
