/**
 * STS AssumeRole: checks the role's trust policy and the session limits, then issues temporary credentials
 * (ASIA... key, secret, session token) that act in the role's account until they expire on the virtual clock.
 */
import { randomBytes } from 'node:crypto';
import { awsManagedPolicyByArn } from '@iam2sso/managed-policies';
import type { IamRole } from '../../world/iam-state.js';
import type { Principal } from '../../world/world.js';
import type { AwsContext, QueryParams, XmlValue } from '../context.js';
import { AwsError, validationError } from '../errors.js';
import { intParam, requireParam } from '../query.js';
import { recordApiCall, redactParameters } from '../trail-recorder.js';
import { issueRoleSession } from './role-session.js';
import { trustAllows } from './trust-policy.js';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const MAX_DURATION = 43_200;
const CHAINED_MAX_DURATION = 3_600;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A temporary key id, drawn from crypto so that issuing credentials never moves the scenario's seeded source. */
export function temporaryKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'ASIA';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/** A temporary secret access key. */
export function temporarySecret(): string {
  return randomBytes(30).toString('base64');
}

/** An opaque session token in the shape STS returns (base64, a few hundred characters). */
export function sessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(320).toString('base64')}`;
}

/** STS's "1 validation error detected" ValidationError. */
export function constraint(value: string, field: string, rule: string): AwsError {
  return validationError(
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

function validateSessionName(name: string): void {
  if (name.length < 2) throw constraint(name, 'roleSessionName', 'Member must have length greater than or equal to 2');
  if (name.length > 64) throw constraint(name, 'roleSessionName', 'Member must have length less than or equal to 64');
  if (!SESSION_NAME.test(name)) {
    throw constraint(name, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
  }
}

function sessionDuration(ctx: AwsContext, params: QueryParams, role: IamRole): number {
  const chained = ctx.caller.principal.kind === 'role-session';
  const duration = intParam(params, 'DurationSeconds', 3600);
  if (duration < 900)
    throw constraint(String(duration), 'durationSeconds', 'Member must have value greater than or equal to 900');
  if (duration > MAX_DURATION) {
    throw constraint(
      String(duration),
      'durationSeconds',
      `Member must have value less than or equal to ${MAX_DURATION}`,
    );
  }
  if (chained && duration > CHAINED_MAX_DURATION) {
    throw validationError(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (duration > role.maxSessionDuration) {
    throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return duration;
}

function denied(ctx: AwsContext, roleArn: string): AwsError {
  return new AwsError(
    'AccessDenied',
    `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
}

function mfaPresent(ctx: AwsContext, params: QueryParams): boolean {
  const serial = params.get('SerialNumber');
  const code = params.get('TokenCode');
  const principal = ctx.caller.principal;
  if (!serial || !code || principal.kind !== 'user') return false;
  if (!/^\d{6}$/.test(code))
    throw constraint(code, 'tokenCode', 'Member must satisfy regular expression pattern: [\\d]*');
  return ctx.caller.account.iam.users.get(principal.userName)?.mfaDevices.includes(serial) ?? false;
}

function roleArnOf(principal: Principal): string | undefined {
  return principal.kind === 'role-session'
    ? `arn:aws:iam::${principal.accountId}:role${principal.rolePath}${principal.roleName}`
    : undefined;
}

/**
 * The session policies of the request: the inline `Policy` and the documents of `PolicyArns` (read when the
 * session starts; AWS reads them at each request, which differs only if they change during the session).
 */
function sessionPolicies(ctx: AwsContext, params: QueryParams): string[] | undefined {
  const out: string[] = [];
  const inline = params.get('Policy');
  if (inline) out.push(inline);
  for (let i = 1; params.has(`PolicyArns.member.${i}.arn`); i++) {
    const arn = params.get(`PolicyArns.member.${i}.arn`)!;
    const aws = awsManagedPolicyByArn(arn)?.document;
    const own = ctx.world.accounts.get(arn.split(':')[4] ?? '')?.iam.policies.get(arn);
    out.push(aws ?? own?.versions.find((v) => v.isDefault)?.document ?? '{}');
  }
  return out.length ? out : undefined;
}

/** Finds and authorizes the role, then issues the session; throws AccessDenied or ValidationError. */
function assume(ctx: AwsContext, params: QueryParams, roleArn: string): XmlValue {
  const sessionName = requireParam(params, 'RoleSessionName');
  validateSessionName(sessionName);
  if (roleArn.length < 20) throw constraint(roleArn, 'roleArn', 'Member must have length greater than or equal to 20');
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validationError('Request ARN is invalid');
  const [, accountId, path, roleName] = match;
  if (ctx.caller.principal.kind === 'root')
    throw new AwsError('AccessDenied', 'Roles may not be assumed by root accounts.', 403);
  const account = ctx.world.accounts.get(accountId);
  const role = account?.iam.roles.get(roleName);
  if (!account || !role || role.path !== path) throw denied(ctx, roleArn);
  const requester = {
    accountId: ctx.caller.accountId,
    arn: ctx.caller.arn,
    roleArn: roleArnOf(ctx.caller.principal),
    externalId: params.get('ExternalId'),
    mfaPresent: mfaPresent(ctx, params),
  };
  if (!trustAllows(role.assumeRolePolicyDocument, requester)) throw denied(ctx, roleArn);
  const duration = sessionDuration(ctx, params, role);

  const issued = issueRoleSession(
    ctx.world,
    accountId,
    role,
    sessionName,
    duration,
    ctx.caller.arn,
    ctx.region,
    sessionPolicies(ctx, params),
  );
  const { accessKeyId, expiration } = issued;
  const assumedRoleUser = { AssumedRoleId: issued.assumedRoleId, Arn: issued.arn };
  const expirationText = expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
  ctx.trail = {
    responseElements: {
      credentials: { accessKeyId, expiration: expirationText },
      assumedRoleUser: { assumedRoleId: assumedRoleUser.AssumedRoleId, arn: assumedRoleUser.Arn },
    },
    resources: [
      { type: 'AWS::IAM::AccessKey', name: accessKeyId },
      { type: 'AWS::STS::AssumedRole', name: sessionName },
      { type: 'AWS::IAM::Role', name: roleArn, arn: roleArn, accountId },
    ],
  };
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      SessionToken: issued.sessionToken,
      Expiration: expirationText,
    },
    AssumedRoleUser: assumedRoleUser,
    ...(params.get('SourceIdentity') ? { SourceIdentity: params.get('SourceIdentity') } : {}),
  };
}

/** The AssumeRole handler; the call is also logged in the role's account when that is another account. */
export function assumeRole(ctx: AwsContext, params: QueryParams): XmlValue {
  const roleArn = requireParam(params, 'RoleArn');
  const roleAccountId = ROLE_ARN.exec(roleArn)?.[1];
  let error: AwsError | undefined;
  try {
    return assume(ctx, params, roleArn);
  } catch (e) {
    if (e instanceof AwsError) error = e;
    throw e;
  } finally {
    if (roleAccountId && roleAccountId !== ctx.caller.accountId && ctx.world.accounts.has(roleAccountId)) {
      logInRoleAccount(ctx, params, roleAccountId, error);
    }
  }
}

function logInRoleAccount(ctx: AwsContext, params: QueryParams, roleAccountId: string, error?: AwsError): void {
  const input: Record<string, unknown> = {};
  for (const [k, v] of params) if (k !== 'Action' && k !== 'Version') input[k] = v;
  recordApiCall(ctx.world, {
    accountId: roleAccountId,
    principal: ctx.caller.principal,
    accessKeyId: ctx.caller.accessKeyId,
    service: 'sts',
    action: ctx.action,
    region: ctx.region,
    sourceIp: ctx.sourceIp,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    requestParameters: redactParameters(input),
    errorCode: error?.code,
    errorMessage: error?.message,
    responseElements: error ? null : ctx.trail?.responseElements,
    resources: error ? undefined : ctx.trail?.resources,
  });
}
