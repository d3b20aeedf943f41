/**
 * The account password policy: GetAccountPasswordPolicy (NoSuchEntity, HTTP 404, when the account has none),
 * UpdateAccountPasswordPolicy (no partial update: a parameter left out goes back to its default) and
 * DeleteAccountPasswordPolicy. Sources: IAM API Reference, GetAccountPasswordPolicy, UpdateAccountPasswordPolicy
 * (MinimumPasswordLength 6-128, default 6; MaxPasswordAge 1-1095; PasswordReusePrevention 1-24) and PasswordPolicy.
 */
import type { AccountPasswordPolicy } from '../../../world/iam-state.js';
import type { QueryHandler, XmlValue } from '../../context.js';
import { AwsError, noSuchEntity } from '../../errors.js';
import { boolParam, intParam } from '../../query.js';

function missing(accountId: string): AwsError {
  return noSuchEntity(`The Password Policy with domain name ${accountId} cannot be found.`);
}

function range(name: string, value: number, min: number, max: number): number {
  if (value !== 0 && (value < min || value > max))
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value ${value < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  return value;
}

/** The PasswordPolicy structure as the API returns it (ExpirePasswords: MaxPasswordAge above 0). */
export function passwordPolicyView(p: AccountPasswordPolicy): { [key: string]: XmlValue } {
  return {
    MinimumPasswordLength: p.minimumPasswordLength,
    RequireSymbols: p.requireSymbols,
    RequireNumbers: p.requireNumbers,
    RequireUppercaseCharacters: p.requireUppercaseCharacters,
    RequireLowercaseCharacters: p.requireLowercaseCharacters,
    AllowUsersToChangePassword: p.allowUsersToChangePassword,
    ExpirePasswords: p.maxPasswordAge > 0,
    ...(p.maxPasswordAge > 0 ? { MaxPasswordAge: p.maxPasswordAge } : {}),
    ...(p.passwordReusePrevention > 0 ? { PasswordReusePrevention: p.passwordReusePrevention } : {}),
    HardExpiry: p.hardExpiry,
  };
}

/** Handlers for the account password policy. */
export const passwordPolicyHandlers: Record<string, QueryHandler> = {
  GetAccountPasswordPolicy: (ctx) => {
    const policy = ctx.caller.account.iam.passwordPolicy;
    if (!policy) throw missing(ctx.caller.accountId);
    return { PasswordPolicy: passwordPolicyView(policy) };
  },

  UpdateAccountPasswordPolicy: (ctx, params) => {
    ctx.caller.account.iam.passwordPolicy = {
      minimumPasswordLength: range('minimumPasswordLength', intParam(params, 'MinimumPasswordLength', 6), 6, 128) || 6,
      requireSymbols: boolParam(params, 'RequireSymbols', false),
      requireNumbers: boolParam(params, 'RequireNumbers', false),
      requireUppercaseCharacters: boolParam(params, 'RequireUppercaseCharacters', false),
      requireLowercaseCharacters: boolParam(params, 'RequireLowercaseCharacters', false),
      allowUsersToChangePassword: boolParam(params, 'AllowUsersToChangePassword', false),
      maxPasswordAge: range('maxPasswordAge', intParam(params, 'MaxPasswordAge', 0), 1, 1095),
      passwordReusePrevention: range('passwordReusePrevention', intParam(params, 'PasswordReusePrevention', 0), 1, 24),
      hardExpiry: boolParam(params, 'HardExpiry', false),
    };
    return {};
  },

  DeleteAccountPasswordPolicy: (ctx) => {
    if (!ctx.caller.account.iam.passwordPolicy) throw missing(ctx.caller.accountId);
    delete ctx.caller.account.iam.passwordPolicy;
    return {};
  },
};
