/**
 * The account password policy (IAM GetAccountPasswordPolicy). An account without one answers NoSuchEntity (HTTP 404):
 * that is "no policy", not a failed read. Source: IAM API Reference, GetAccountPasswordPolicy and PasswordPolicy.
 */
import { GetAccountPasswordPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { PasswordPolicyRecord } from '../core/model.js';

/** The policy, or null when the account has none. */
export async function fetchPasswordPolicy(iam: IAMClient): Promise<PasswordPolicyRecord | null> {
  try {
    const out = await iam.send(new GetAccountPasswordPolicyCommand({}));
    const p = out.PasswordPolicy ?? {};
    return {
      // 6 is IAM's default minimum when the policy leaves it out.
      minimumLength: p.MinimumPasswordLength ?? 6,
      reusePrevention: p.PasswordReusePrevention || null,
      // ExpirePasswords is true exactly when MaxPasswordAge is above 0.
      maxAgeDays: p.ExpirePasswords && p.MaxPasswordAge ? p.MaxPasswordAge : null,
    };
  } catch (error) {
    if (/^NoSuchEntity/.test((error as Error).name)) return null;
    throw error;
  }
}
