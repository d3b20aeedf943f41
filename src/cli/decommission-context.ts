/**
 * What every `decommission` subcommand starts from: the plan (which users it retires), the selection the operator
 * made (refusing users the plan does not retire, with the reason), the stage records and `track`'s evidence from
 * the state database, the settings, and each account's IAM.
 */
import { existsSync } from 'node:fs';
import { type AwsOptions, type AwsSettings, resolveAwsSettings } from '../aws/clients.js';
import { loadConfig } from '../config/config.js';
import { type DecommissionSettings, defaultDecommissionSettings, notRetired } from '../core/decommission.js';
import type { LegacyUse, StageRecord } from '../core/decommission-types.js';
import type { MigrationPlan, PlannedUser } from '../core/plan-types.js';
import type { TrackWindow } from '../core/track-coverage.js';
import { UsageError, ValidationFailed } from '../errors.js';
import { readPlanFile } from '../plan-file/read.js';
import type { StateDb } from '../store/db.js';
import { legacyUsesByUser, loadStages, trackCoverage } from '../store/decommission-repo.js';
import { type AccountIam, accountIam } from '../verify/account-iam.js';
import type { Io } from './io.js';

/** The flags every decommission subcommand takes. */
export type DecommissionFlags = AwsOptions & {
  plan: string;
  state: string;
  config?: string;
  users?: string;
  account?: string;
  all?: boolean;
  json: boolean;
  assumeRole: string;
  endpointUrl?: string;
};

/** The key of a user: `account/user`. */
export const keyOf = (u: { accountId: string; userName: string }) => `${u.accountId}/${u.userName}`;

/** Reads the plan file (non-strict: only its users matter here). */
export function readPlan(file: string): MigrationPlan {
  if (!existsSync(file)) throw new UsageError(`no plan file ${file}: run \`iam2sso plan\` first (or pass --plan)`);
  const read = readPlanFile(file, { quota: 20, strict: false });
  if (!read.plan) throw new ValidationFailed(read.problems);
  return read.plan;
}

/** The users the plan retires: people who move to SSO and users it decommissions (never kept or break-glass). */
export function retiredUsers(plan: MigrationPlan): PlannedUser[] {
  return plan.users.filter((u) => (u.action === 'migrate' || u.action === 'decommission') && notRetired(u) === null);
}

/**
 * The users the operator chose (`--users A,B` by name or ACCOUNT/NAME, `--account ID`, `--all`); a named user the
 * plan does not retire is refused with the reason, before anything is read or changed.
 */
export function selectUsers(plan: MigrationPlan, flags: DecommissionFlags, required = true): PlannedUser[] {
  const retired = retiredUsers(plan);
  const chosen = [flags.users !== undefined, flags.account !== undefined, flags.all === true].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('choose the users one way: --users, --account or --all');
  if (chosen === 0) {
    if (required) throw new UsageError('say which users: --users A,B (or ACCOUNT/NAME), --account ID or --all');
    return retired;
  }
  if (flags.all) return retired;
  if (flags.account) return retired.filter((u) => u.accountId === flags.account);
  const refusals: string[] = [];
  const out: PlannedUser[] = [];
  for (const name of (flags.users ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const matches = plan.users.filter((u) => (name.includes('/') ? keyOf(u) === name : u.userName === name));
    if (matches.length === 0) refusals.push(`${name}: not in the plan ${flags.plan}`);
    for (const u of matches) {
      const why =
        notRetired(u) ?? (u.action === 'migrate' || u.action === 'decommission' ? null : `action ${u.action}`);
      if (why) refusals.push(`${keyOf(u)}: ${why}; decommission never touches it`);
      else out.push(u);
    }
  }
  if (refusals.length > 0) throw new UsageError(`refusing, nothing changed:\n  ${refusals.join('\n  ')}`);
  return out;
}

/** The stored state the gates read. */
export type Evidence = {
  stages: Map<string, StageRecord>;
  legacy: Map<string, LegacyUse[]>;
  tracked: TrackWindow[];
  firstSso: Map<string, string>;
};

/** Reads stage records and `track`'s evidence. */
export function readEvidence(db: StateDb): Evidence {
  const { windows, firstSso } = trackCoverage(db);
  return { stages: loadStages(db), legacy: legacyUsesByUser(db), tracked: windows, firstSso };
}

/** The decommission settings of iam2sso.yaml (or the defaults). */
export function decommissionSettings(configFile: string | undefined): DecommissionSettings {
  return loadConfig(configFile).config.decommission ?? defaultDecommissionSettings();
}

/** AWS settings and each account's IAM (base credentials in the caller's account, the role elsewhere). */
export async function openIam(
  flags: DecommissionFlags,
  io: Io,
  identityCenter = false,
): Promise<{ settings: AwsSettings; iam: AccountIam }> {
  const settings = await resolveAwsSettings(flags, { identityCenter, note: (line) => io.err(line) });
  return { settings, iam: accountIam(settings, flags.assumeRole) };
}
