/**
 * Findings: the risks in an audit snapshot, each naming the user, the account, a severity and the fix.
 * Pure: the snapshot and the time come in.
 */

import { accountHygieneFindings, HYGIENE_KINDS } from './account-hygiene.js';
import { daysBetween, userFacts } from './classify-facts.js';
import type { AccountSnapshot, AuditSnapshot, Finding, FindingKind, Severity, UserRecord } from './model.js';
import { grantsFullAdmin, isAdministratorAccessArn } from './rules/admin-policy.js';

/** The thresholds findings use; both default to 90 days, as the CIS benchmark does. */
export type FindingRules = { keyMaxAgeDays: number; unusedDays: number };

export const defaultFindingRules: FindingRules = { keyMaxAgeDays: 90, unusedDays: 90 };

/** Severity and fix of each kind, so every finding of a kind reads the same. */
export const FINDING_KINDS: Record<FindingKind, { severity: Severity; fix: string }> = {
  ...HYGIENE_KINDS,
  'root-access-keys': {
    severity: 'critical',
    fix: 'Delete the root user access keys (Security credentials page as root); use roles or Identity Center instead.',
  },
  'root-without-mfa': {
    severity: 'critical',
    fix: 'Enable MFA on the root user, preferably a hardware key kept with the break-glass procedure.',
  },
  'admin-attached-directly': {
    severity: 'high',
    fix: 'Detach the administrator policy from the user; grant it through an Identity Center permission set assigned to a group.',
  },
  'console-without-mfa': {
    severity: 'high',
    fix: 'Require MFA for the user now; after migration, sign-in goes through Entra ID with its MFA and the password is removed.',
  },
  'two-active-keys': {
    severity: 'medium',
    fix: 'Find which key is in use (last used date, CloudTrail), deactivate the other, then delete it.',
  },
  'key-older-than-90-days': {
    severity: 'medium',
    fix: 'Rotate the key, or better replace it: an IAM role for workloads, `aws sso login` for people.',
  },
  'key-unused-90-days': {
    severity: 'medium',
    fix: 'Deactivate the unused key, wait for complaints, then delete it.',
  },
  'key-never-used': { severity: 'low', fix: 'Deactivate and delete the key: nothing depends on it.' },
  'password-unused-90-days': {
    severity: 'medium',
    fix: 'Remove the console password (delete the login profile); the person signs in through Identity Center.',
  },
  'console-and-keys': {
    severity: 'low',
    fix: 'Split the uses: the person signs in through Identity Center (CLI via `aws sso login`); automation gets a role.',
  },
  'read-failed': {
    severity: 'high',
    fix: 'Allow the operation for the audit role (or wait out the outage) and audit again; until then iam2sso changes nothing in this account.',
  },
};

function finding(
  kind: FindingKind,
  accountId: string,
  userName: string | null,
  message: string,
  keyId?: string,
): Finding {
  const { severity, fix } = FINDING_KINDS[kind];
  const id = [kind, accountId, userName ?? 'root', ...(keyId ? [keyId] : [])].join(':');
  return { id, kind, severity, accountId, userName, message, fix };
}

/** Every finding in the snapshot, in a stable order (account, user, kind). */
export function findSnapshotFindings(snapshot: AuditSnapshot, now: Date, rules = defaultFindingRules): Finding[] {
  return snapshot.accounts.flatMap((account) => [
    ...readFindings(account),
    ...rootFindings(account),
    ...accountHygieneFindings(account, now),
    ...account.users.flatMap((u) => userFindings(u, account, now, rules)),
  ]);
}

/** One finding per read that failed in the account (a partial read), or one for an account not read at all. */
export function readFindings(account: AccountSnapshot): Finding[] {
  const { severity, fix } = FINDING_KINDS['read-failed'];
  const base = { kind: 'read-failed' as const, severity, fix, accountId: account.accountId, userName: null };
  if (account.status === 'unreachable')
    return [
      { ...base, id: `read-failed:${account.accountId}:account`, message: `not audited: ${account.error ?? ''}` },
    ];
  return (account.unread ?? []).map((u) => ({
    ...base,
    id: `read-failed:${account.accountId}:${u.service}:${u.operation}`,
    message: `${u.message}${u.calls && u.calls > 1 ? ` (${u.calls} calls)` : ''}; unknown: ${u.affects}`,
  }));
}

/** Findings about an account's root user (nothing when the credential report could not be read). */
export function rootFindings(account: AccountSnapshot): Finding[] {
  const root = account.root;
  if (!root) return [];
  const out: Finding[] = [];
  if (root.accessKeysPresent)
    out.push(finding('root-access-keys', account.accountId, null, `root user of ${account.accountId} has access keys`));
  if (!root.mfaActive)
    out.push(finding('root-without-mfa', account.accountId, null, `root user of ${account.accountId} has no MFA`));
  return out;
}

/** Findings about one user. Policy documents come from the account's managed policy list. */
export function userFindings(
  user: UserRecord,
  account: AccountSnapshot,
  now: Date,
  rules = defaultFindingRules,
): Finding[] {
  const out: Finding[] = [];
  const a = user.accountId;
  const u = user.userName;
  const facts = userFacts(user, now);
  if (user.consoleEnabled && !facts.hasMfa)
    out.push(finding('console-without-mfa', a, u, `${u} can sign in to the console without MFA`));
  const admin = adminGrant(user, account);
  if (admin) out.push(finding('admin-attached-directly', a, u, `${u} has ${admin} attached directly`));
  const active = user.accessKeys.filter((k) => k.status === 'Active');
  for (const key of active) {
    const age = daysBetween(key.createdAt, now);
    if (age > rules.keyMaxAgeDays)
      out.push(finding('key-older-than-90-days', a, u, `${u}'s key ${key.id} is ${age} days old`, key.id));
    if (key.lastUsedAt === null)
      out.push(finding('key-never-used', a, u, `${u}'s key ${key.id} has never been used`, key.id));
    else if (daysBetween(key.lastUsedAt, now) > rules.unusedDays)
      out.push(
        finding(
          'key-unused-90-days',
          a,
          u,
          `${u}'s key ${key.id} was last used ${key.lastUsedAt.slice(0, 10)}`,
          key.id,
        ),
      );
  }
  if (active.length >= 2) out.push(finding('two-active-keys', a, u, `${u} has ${active.length} active access keys`));
  if (user.consoleEnabled && passwordUnused(user, now, rules.unusedDays))
    out.push(
      finding(
        'password-unused-90-days',
        a,
        u,
        user.passwordLastUsed
          ? `${u}'s password was last used ${user.passwordLastUsed.slice(0, 10)}`
          : `${u}'s password has never been used`,
      ),
    );
  if (user.consoleEnabled && active.length > 0)
    out.push(finding('console-and-keys', a, u, `${u} has both a console password and active access keys`));
  return out;
}

function passwordUnused(user: UserRecord, now: Date, days: number): boolean {
  if (user.passwordLastUsed) return daysBetween(user.passwordLastUsed, now) > days;
  // Never used: only a finding once the password has existed longer than the threshold.
  const since = user.passwordLastChanged ?? user.createdAt;
  return daysBetween(since, now) > days;
}

/** Names the administrator grant attached to the user itself (not through groups), if any. */
function adminGrant(user: UserRecord, account: AccountSnapshot): string | undefined {
  for (const p of user.attachedPolicies) {
    if (isAdministratorAccessArn(p.arn)) return `managed policy ${p.name}`;
    const doc = account.policies.find((m) => m.arn === p.arn)?.document;
    if (doc && grantsFullAdmin(doc)) return `managed policy ${p.name} (allows *:*)`;
  }
  const inline = user.inlinePolicies.find((p) => grantsFullAdmin(p.document));
  return inline ? `inline policy ${inline.name} (allows *:*)` : undefined;
}
