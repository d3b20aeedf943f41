/**
 * The finding kinds a user or root produces, read from world state with the rules of the audit's findings.
 * The manifest's traits come from here, so they always agree with what the sandbox serves.
 */

import type { IamAccountState, IamUser } from '../world/iam-state.js';
import { ADMIN_ARN } from './catalog.js';
import type { FindingKind } from './types.js';

const DAY_MS = 86_400_000;

/** The age threshold of every age-based finding, in days. */
export const THRESHOLD_DAYS = 90;

function isOld(date: Date | undefined, now: Date): boolean {
  return date !== undefined && now.getTime() - date.getTime() > THRESHOLD_DAYS * DAY_MS;
}

function allowsEverything(document: string): boolean {
  const parsed = JSON.parse(document) as { Statement: unknown };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const has = (v: unknown, s: string) => v === s || (Array.isArray(v) && v.includes(s));
  return statements.some((st) => {
    const s = st as { Effect?: string; Action?: unknown; Resource?: unknown; Condition?: unknown };
    return s.Effect === 'Allow' && has(s.Action, '*') && has(s.Resource, '*') && !s.Condition;
  });
}

function hasDirectAdmin(user: IamUser, iam: IamAccountState): boolean {
  if (user.attachedPolicies.includes(ADMIN_ARN)) return true;
  for (const document of user.inlinePolicies.values()) if (allowsEverything(document)) return true;
  for (const arn of user.attachedPolicies) {
    const policy = iam.policies.get(arn);
    const version = policy?.versions.find((v) => v.isDefault);
    if (version && allowsEverything(version.document)) return true;
  }
  return false;
}

/**
 * The finding kinds a user produces at `now`, sorted. The rules (the audit's findings must agree):
 * - console-without-mfa: the user has a login profile and no MFA device.
 * - admin-attached-directly: AdministratorAccess attached to the user, or a user inline policy or a customer
 *   managed policy attached to the user allowing Action `*` on Resource `*` (groups do not count).
 * - key-older-than-90-days: an Active key created more than 90 days ago.
 * - key-unused-90-days: an Active key whose last use is more than 90 days ago (never-used keys excluded).
 * - key-never-used: an Active key that was never used.
 * - two-active-keys: two Active keys.
 * - password-unused-90-days: a login profile whose password was last used more than 90 days ago, or never
 *   used and created more than 90 days ago.
 * - console-and-keys: a login profile and at least one Active key.
 * - root-access-keys: the root user has an access key (Active).
 * - root-without-mfa: the root user has no MFA.
 */
export function userTraits(user: IamUser, iam: IamAccountState, now: Date): FindingKind[] {
  const traits = new Set<FindingKind>();
  const active = user.accessKeys.filter((k) => k.status === 'Active');
  const profile = user.loginProfile;
  if (profile && user.mfaDevices.length === 0) traits.add('console-without-mfa');
  if (hasDirectAdmin(user, iam)) traits.add('admin-attached-directly');
  if (active.length >= 2) traits.add('two-active-keys');
  if (profile && active.length > 0) traits.add('console-and-keys');
  if (profile && (user.passwordLastUsed ? isOld(user.passwordLastUsed, now) : isOld(profile.createDate, now)))
    traits.add('password-unused-90-days');
  for (const key of active) {
    if (isOld(key.createDate, now)) traits.add('key-older-than-90-days');
    if (!key.lastUsed) traits.add('key-never-used');
    else if (isOld(key.lastUsed.date, now)) traits.add('key-unused-90-days');
  }
  return [...traits].sort();
}

/** The root-user finding kinds of an account, sorted. */
export function rootTraits(iam: IamAccountState): FindingKind[] {
  const traits: FindingKind[] = [];
  if (iam.root.accessKeys.some((k) => k.status === 'Active')) traits.push('root-access-keys');
  if (!iam.root.mfaActive) traits.push('root-without-mfa');
  return traits.sort();
}

/** Ages (in days) a generated estate keeps away from, so no rule is ever a coin toss. */
export function nearThreshold(days: number | undefined): boolean {
  return days !== undefined && Math.abs(days - THRESHOLD_DAYS) < 25;
}
