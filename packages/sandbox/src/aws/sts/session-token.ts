/**
 * STS GetSessionToken (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html):
 * temporary credentials that act as the calling IAM user (or root) itself, for 900 to 129,600 seconds
 * (root: at most 3,600), 43,200 by default (root: 3,600). Calls made with session credentials are refused.
 * SerialNumber and TokenCode mark the session as MFA-authenticated when the device is the user's.
 */
import type { AwsContext, QueryParams, XmlValue } from '../context.js';
import { AwsError } from '../errors.js';
import { intParam } from '../query.js';
import { constraint, sessionToken, temporaryKeyId, temporarySecret } from './assume-role.js';

const USER_MAX = 129_600;
const ROOT_MAX = 3_600;

function duration(ctx: AwsContext, params: QueryParams): number {
  const root = ctx.caller.principal.kind === 'root';
  const max = root ? ROOT_MAX : USER_MAX;
  const seconds = intParam(params, 'DurationSeconds', root ? ROOT_MAX : 43_200);
  if (seconds < 900)
    throw constraint(String(seconds), 'durationSeconds', 'Member must have value greater than or equal to 900');
  if (seconds > USER_MAX)
    throw constraint(String(seconds), 'durationSeconds', `Member must have value less than or equal to ${USER_MAX}`);
  return Math.min(seconds, max);
}

function checkMfa(ctx: AwsContext, params: QueryParams): void {
  const serial = params.get('SerialNumber');
  const code = params.get('TokenCode');
  if (!serial && !code) return;
  if (code !== undefined && !/^\d{6}$/.test(code))
    throw constraint(code, 'tokenCode', 'Member must satisfy regular expression pattern: [\\d]*');
  const principal = ctx.caller.principal;
  const devices = principal.kind === 'user' ? ctx.caller.account.iam.users.get(principal.userName)?.mfaDevices : [];
  if (!serial || !code || !devices?.includes(serial)) {
    throw new AwsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);
  }
}

/** The GetSessionToken handler. */
export function getSessionToken(ctx: AwsContext, params: QueryParams): XmlValue {
  if (ctx.caller.principal.kind === 'role-session' || ctx.world.sessions.has(ctx.caller.accessKeyId)) {
    throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
  }
  const seconds = duration(ctx, params);
  checkMfa(ctx, params);
  const now = ctx.world.clock.now();
  const expiration = new Date(Math.floor(now.getTime() / 1000) * 1000 + seconds * 1000);
  const accessKeyId = temporaryKeyId();
  const token = sessionToken();
  const secretAccessKey = temporarySecret();
  ctx.world.sessions.set(accessKeyId, {
    accessKeyId,
    secretAccessKey,
    principal: ctx.caller.principal,
    sessionToken: token,
    expiration,
  });
  const expirationText = expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
  ctx.trail = { responseElements: { credentials: { accessKeyId, expiration: expirationText } } };
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: secretAccessKey,
      SessionToken: token,
      Expiration: expirationText,
    },
  };
}
