/** Resolves and verifies who signed an AWS request. */

import { header, type SandboxRequest } from '../server/http-types.js';
import { type SigV4Header, verifySigV4 } from '../server/sigv4.js';
import { iamArn } from '../world/iam-state.js';
import type { Principal, World } from '../world/world.js';
import type { Caller } from './context.js';
import { AwsError } from './errors.js';

export type AuthFailure = 'unknown-key' | 'inactive-key' | 'expired-token' | 'bad-signature';

/** Finds the principal behind the request's key and checks the signature; an AuthFailure when refused. */
export function authenticate(world: World, request: SandboxRequest, auth: SigV4Header): Caller | AuthFailure {
  const akid = auth.accessKeyId;
  let principal: Principal;
  let secret: string;
  const longTerm = world.findAccessKey(akid);
  if (longTerm) {
    if (longTerm.key.status !== 'Active') return 'inactive-key';
    secret = longTerm.key.secretAccessKey;
    principal =
      longTerm.userName === null
        ? { kind: 'root', accountId: longTerm.accountId }
        : { kind: 'user', accountId: longTerm.accountId, userName: longTerm.userName };
  } else {
    const session = world.sessions.get(akid);
    if (!session) return 'unknown-key';
    const role = session.principal.kind === 'role-session' ? session.principal : undefined;
    const token = role?.sessionToken ?? session.sessionToken;
    const expiration = role?.expiration ?? session.expiration;
    if (!token || !expiration || header(request, 'x-amz-security-token') !== token) return 'unknown-key';
    if (expiration.getTime() <= world.clock.nowMs()) return 'expired-token';
    secret = session.secretAccessKey;
    principal = session.principal;
  }
  if (!verifySigV4(request, auth, secret)) return 'bad-signature';
  const account = world.accounts.get(principal.accountId);
  if (!account) return 'unknown-key';
  return { accountId: account.id, account, principal, accessKeyId: akid, ...describePrincipal(world, principal) };
}

/** The ARN and user id GetCallerIdentity reports for a principal. */
export function describePrincipal(world: World, principal: Principal): { arn: string; userId: string } {
  switch (principal.kind) {
    case 'root':
      return { arn: `arn:aws:iam::${principal.accountId}:root`, userId: principal.accountId };
    case 'user': {
      const user = world.accounts.get(principal.accountId)?.iam.users.get(principal.userName);
      return {
        arn: iamArn(principal.accountId, 'user', user?.path ?? '/', principal.userName),
        userId: user?.userId ?? principal.userName,
      };
    }
    case 'role-session':
      return {
        arn: `arn:aws:sts::${principal.accountId}:assumed-role/${principal.roleName}/${principal.sessionName}`,
        userId: `${principal.roleId}:${principal.sessionName}`,
      };
  }
}

/** The error each protocol family returns for an authentication failure. */
export function authError(failure: AuthFailure | 'missing', protocol: 'query' | 'json'): AwsError {
  if (failure === 'missing') {
    return protocol === 'query'
      ? new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
      : new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400);
  }
  if (failure === 'bad-signature') {
    const message =
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
    return protocol === 'query'
      ? new AwsError('SignatureDoesNotMatch', message, 403)
      : new AwsError('InvalidSignatureException', message, 400);
  }
  if (failure === 'expired-token') {
    return protocol === 'query'
      ? new AwsError('ExpiredToken', 'The security token included in the request is expired', 403)
      : new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  }
  const message = 'The security token included in the request is invalid.';
  return protocol === 'query'
    ? new AwsError('InvalidClientTokenId', message, 403)
    : new AwsError('UnrecognizedClientException', message, 400);
}
