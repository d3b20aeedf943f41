/**
 * What a CloudTrail record says about the migration: legacy use (an IAM user's password or keys), SSO use
 * (Identity Center sign-in, the access portal, AWSReservedSSO_ role sessions), a role sign-in through direct SAML
 * federation, or neither. Pure; the case
 * table test/core/cases/track-records.yaml holds real-shaped records with their sources.
 */
import type { ActivityRow, SsoSubject, Usage } from './track-types.js';

/**
 * Roles Identity Center provisions: `/aws-reserved/sso.amazonaws.com/` (with the instance's region in the path
 * for instances outside us-east-1), named `AWSReservedSSO_<PermissionSet>_<16 hex>`.
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 */
const RESERVED_ROLE = /:role\/aws-reserved\/sso\.amazonaws\.com\/(?:[a-z0-9-]+\/)?AWSReservedSSO_(.+)_[0-9a-f]{16}$/;
/** Identity Center's SAML provider in each account: `AWSSSO_<hex>_DO_NOT_DELETE`. */
const SSO_SAML_PROVIDER = /:saml-provider\/AWSSSO_[0-9A-Za-z]+_DO_NOT_DELETE$/;
/** Errors of a call refused at authentication: the credential did not work (an attempt, not a use). */
const AUTH_FAILURES = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
]);
/** Identity Center sign-in events (eventSource signin.amazonaws.com) and access portal calls (sso.amazonaws.com). */
const SSO_SIGN_IN = new Set([
  'UserAuthentication',
  'CredentialChallenge',
  'CredentialVerification',
  'UserAuthenticationCredentialChallenge',
]);
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The permission set behind an `AWSReservedSSO_` role ARN, or null when the role is not one. */
export function permissionSetOfRole(roleArn: string | null): string | null {
  return roleArn ? (RESERVED_ROLE.exec(roleArn)?.[1] ?? null) : null;
}

/** The session name of an assumed-role ARN (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`). */
export function sessionNameOf(arn: string | null): string | null {
  const m = arn ? /:assumed-role\/[^/]+\/(.+)$/.exec(arn) : null;
  return m ? m[1] : null;
}

function iamUser(row: ActivityRow): Usage {
  const userName = row.userName ?? '';
  if (!userName || userName === HIDDEN) return { kind: 'other', reason: 'unknown-iam-user' };
  const base = { accountId: row.accountId, userName };
  if (row.eventSource === 'signin.amazonaws.com' && row.eventName === 'ConsoleLogin') {
    if (row.loginResult === 'Success')
      return {
        kind: 'legacy',
        via: 'console-sign-in',
        ...base,
        accessKeyId: '',
        mfa: row.mfaUsed === 'Yes',
        failedCalls: false,
      };
    return {
      kind: 'legacy-attempt',
      via: 'console-sign-in',
      ...base,
      accessKeyId: '',
      reason: row.loginResult ?? 'Failure',
    };
  }
  const key = row.accessKeyId ?? '';
  if (row.errorCode && AUTH_FAILURES.has(row.errorCode))
    return { kind: 'legacy-attempt', via: 'access-key', ...base, accessKeyId: key, reason: row.errorCode };
  const failedCalls = row.errorCode !== null && row.errorCode !== '';
  if (key.startsWith('ASIA') && row.sessionFromConsole)
    return { kind: 'legacy', via: 'console-session', ...base, accessKeyId: '', failedCalls };
  if (key.startsWith('ASIA'))
    return { kind: 'legacy', via: 'temporary-credentials', ...base, accessKeyId: '', failedCalls };
  return { kind: 'legacy', via: 'access-key', ...base, accessKeyId: key, failedCalls };
}

function identityCenter(row: ActivityRow, subject: SsoSubject | null): Usage {
  if (!subject) return { kind: 'other', reason: 'unattributed' };
  if (row.errorCode) return { kind: 'other', reason: 'sso-failed' };
  if (row.eventSource === 'signin.amazonaws.com' && SSO_SIGN_IN.has(row.eventName))
    return { kind: 'sso', via: 'sign-in', subject, accountId: '', permissionSet: '' };
  if (row.eventSource === 'sso.amazonaws.com' || row.eventSource === 'portal.sso.amazonaws.com') {
    const accountId = row.eventName === 'GetRoleCredentials' ? (row.targetAccountId ?? '') : '';
    const permissionSet = row.eventName === 'GetRoleCredentials' ? (row.targetRoleName ?? '') : '';
    return { kind: 'sso', via: 'portal', subject, accountId, permissionSet };
  }
  return { kind: 'other', reason: 'unattributed' };
}

function onBehalfOf(row: ActivityRow): SsoSubject | null {
  if (row.onBehalfOfUserId && row.identityStoreArn)
    return { kind: 'idc-user', userId: row.onBehalfOfUserId, identityStoreArn: row.identityStoreArn };
  return null;
}

function samlUser(row: ActivityRow): Usage {
  if (row.eventName !== 'AssumeRoleWithSAML') return { kind: 'other', reason: 'saml-other-provider' };
  const permissionSet = permissionSetOfRole(row.roleArn);
  if (!row.samlProvider || !SSO_SAML_PROVIDER.test(row.samlProvider) || permissionSet === null) return directSaml(row);
  if (row.errorCode || !row.userName) return { kind: 'other', reason: 'sso-failed' };
  const subject: SsoSubject = { kind: 'name', name: row.userName };
  return { kind: 'sso', via: 'saml-role', subject, accountId: row.accountId, permissionSet };
}

/**
 * AssumeRoleWithSAML through another provider: direct federation to an IAM role (Entra's "AWS Single-Account
 * Access"). The person is the session name (the RoleSessionName attribute, which Entra's app sends as the UPN),
 * else the SAML subject CloudTrail records as userName. Refused calls stay unattributed.
 */
function directSaml(row: ActivityRow): Usage {
  const roleName = row.roleArn ? (/:role\/(?:.*\/)?([^/]+)$/.exec(row.roleArn)?.[1] ?? null) : null;
  const person = row.sessionName ?? row.userName;
  if (row.errorCode || !person || !roleName) return { kind: 'other', reason: 'saml-other-provider' };
  return { kind: 'direct-saml', upn: person.toLowerCase(), accountId: row.accountId, roleName };
}

function assumedRole(row: ActivityRow): Usage {
  const permissionSet = permissionSetOfRole(row.issuerArn);
  if (permissionSet === null) return { kind: 'other', reason: 'assumed-role' };
  const session = sessionNameOf(row.arn);
  const subject = onBehalfOf(row) ?? (session ? ({ kind: 'name', name: session } as const) : null);
  if (!subject) return { kind: 'other', reason: 'unattributed' };
  return { kind: 'sso', via: 'role-session', subject, accountId: row.accountId, permissionSet };
}

/** Classifies one activity row (a CloudTrail record or a group of identical ones). */
export function classifyActivity(row: ActivityRow): Usage {
  switch (row.identityType) {
    case 'IAMUser':
      return iamUser(row);
    case 'IdentityCenterUser':
      // Since July 2025: no arn or key, the user in onBehalfOf (userId + identityStoreArn).
      return identityCenter(row, onBehalfOf(row));
    case 'Unknown':
      // Before July 2025 Identity Center sign-in and portal records had type Unknown and the user's name.
      return identityCenter(row, row.userName ? { kind: 'name', name: row.userName } : null);
    case 'SAMLUser':
      return samlUser(row);
    case 'AssumedRole':
      return assumedRole(row);
    case 'Root':
      return { kind: 'other', reason: 'root' };
    case 'AWSService':
      return { kind: 'other', reason: 'aws-service' };
    case 'FederatedUser':
      return { kind: 'other', reason: 'federated-user' };
    case 'AWSAccount':
      return { kind: 'other', reason: 'cross-account' };
    case 'WebIdentityUser':
      return { kind: 'other', reason: 'web-identity' };
    default:
      return { kind: 'unrecognized', reason: `userIdentity.type "${row.identityType}" is not one iam2sso knows` };
  }
}
