/**
 * Account hygiene the field guides ask for: an account password policy that is missing or weak while IAM users still
 * have console passwords, and a root user whose password was used recently. Thresholds follow the CIS AWS Foundations
 * Benchmark (password length at least 14, reuse prevention of 24, root not used in daily work) and the guides' 90 days
 * for expiry. Pure: the account and the time come in.
 */
import { daysBetween } from './classify-facts.js';
import type { AccountHygieneKind, AccountSnapshot, Finding, Severity } from './model.js';

/** The password policy a strong account has (CIS 1.8 and 1.9; expiry per the field guides). */
export const STRONG_PASSWORD_POLICY = { minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 } as const;

/** Root password use within this many days is a finding. */
export const ROOT_RECENT_DAYS = 90;

/** Severity and fix of each hygiene kind. */
export const HYGIENE_KINDS: Record<AccountHygieneKind, { severity: Severity; fix: string }> = {
  'no-password-policy': {
    severity: 'medium',
    fix: 'Set an account password policy (IAM > Account settings): at least 14 characters, reuse prevention 24, expiry 90 days, until the console passwords are removed.',
  },
  'weak-password-policy': {
    severity: 'medium',
    fix: 'Strengthen the account password policy (IAM > Account settings) to at least 14 characters, reuse prevention 24 and expiry within 90 days.',
  },
  'root-password-used-recently': {
    severity: 'high',
    fix: 'Stop using the root user for daily work: check CloudTrail for what it did, use Identity Center instead, and keep root for the few tasks that need it.',
  },
};

function hygiene(kind: AccountHygieneKind, accountId: string, message: string, userName: string | null): Finding {
  const { severity, fix } = HYGIENE_KINDS[kind];
  return { id: `${kind}:${accountId}:${userName ?? 'account'}`, kind, severity, accountId, userName, message, fix };
}

/** What makes a policy weak, in words (empty: strong enough). */
export function passwordPolicyWeaknesses(p: NonNullable<AccountSnapshot['passwordPolicy']>): string[] {
  const out: string[] = [];
  if (p.minimumLength < STRONG_PASSWORD_POLICY.minimumLength)
    out.push(`minimum length ${p.minimumLength} (< ${STRONG_PASSWORD_POLICY.minimumLength})`);
  if ((p.reusePrevention ?? 0) < STRONG_PASSWORD_POLICY.reusePrevention)
    out.push(p.reusePrevention ? `reuse prevention ${p.reusePrevention} (< 24)` : 'old passwords may be reused');
  if (p.maxAgeDays === null) out.push('passwords never expire');
  else if (p.maxAgeDays > STRONG_PASSWORD_POLICY.maxAgeDays)
    out.push(`passwords expire after ${p.maxAgeDays} days (> 90)`);
  return out;
}

/** The hygiene findings of one account (nothing for what was not read). */
export function accountHygieneFindings(account: AccountSnapshot, now: Date): Finding[] {
  const out: Finding[] = [];
  const a = account.accountId;
  const consoleUsers = account.users.filter((u) => u.consoleEnabled).length;
  if (consoleUsers > 0 && account.passwordPolicy === null)
    out.push(
      hygiene(
        'no-password-policy',
        a,
        `${a} has no account password policy while ${consoleUsers} IAM users have console passwords`,
        null,
      ),
    );
  if (consoleUsers > 0 && account.passwordPolicy) {
    const weak = passwordPolicyWeaknesses(account.passwordPolicy);
    if (weak.length)
      out.push(
        hygiene(
          'weak-password-policy',
          a,
          `${a}'s password policy is weak (${weak.join('; ')}) while ${consoleUsers} IAM users have console passwords`,
          null,
        ),
      );
  }
  const used = account.root?.passwordLastUsed;
  if (used && daysBetween(used, now) <= ROOT_RECENT_DAYS)
    out.push(
      hygiene(
        'root-password-used-recently',
        a,
        `root user of ${a} signed in with its password on ${used.slice(0, 10)}`,
        null,
      ),
    );
  return out;
}
