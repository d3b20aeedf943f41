/**
 * STS AssumeRoleWithWebIdentity (unsigned Query call): the token must be a JWT signed by its issuer (the sandbox
 * verifies its own GitHub-like issuer's tokens), the role's account must have an IAM OIDC provider for the issuer
 * whose client ids include the token's `aud`, the token must not have expired, and the role's trust policy must allow
 * `sts:AssumeRoleWithWebIdentity` for the provider with the token's claims as `<host>:sub`, `<host>:aud`... keys.
 * Source: STS API Reference, API_AssumeRoleWithWebIdentity.html (parameters, the response's
 * SubjectFromWebIdentityToken / Provider / Audience, the errors InvalidIdentityToken, IDPRejectedClaim,
 * ExpiredTokenException, AccessDenied); the messages are AWS's as users report them (GUESSES.md).
 */
import { decodeJwt } from '../../entra/crypto/jwt.js';
import type { SandboxRequest, SandboxResponse } from '../../server/http-types.js';
import type { World } from '../../world/world.js';
import type { QueryParams } from '../context.js';
import { AwsError } from '../errors.js';
import { oidcProvidersOf } from '../iam/handlers/oidc-providers.js';
import { requireParam } from '../query.js';
import { type FederatedTrail, serveFederatedCall } from './federated-call.js';
import { GITHUB_ISSUER, verifyGithubToken } from './github-issuer.js';
import { federatedDuration, issueRoleSession } from './role-session.js';
import { trustAllows } from './trust-policy.js';

/** A role ARN as STS takes it: account id, path and name. */
export const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

function invalidToken(message: string): AwsError {
  return new AwsError('InvalidIdentityToken', message, 400);
}

type Accepted = { result: Record<string, unknown>; accountId: string; claims: Record<string, unknown> };

function accept(world: World, params: QueryParams): Accepted {
  const roleArn = requireParam(params, 'RoleArn');
  const sessionName = requireParam(params, 'RoleSessionName');
  const token = requireParam(params, 'WebIdentityToken');
  const decoded = decodeJwt(token);
  if (!decoded)
    throw invalidToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  const claims = decoded.claims;
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw new AwsError('ValidationError', 'Request ARN is invalid', 400);
  const [, accountId, path, roleName] = match;
  const account = world.accounts.get(accountId);
  const issuer = String(claims.iss ?? '');
  const host = issuer.replace(/^https:\/\//, '').replace(/\/$/, '');
  const providerArn = `arn:aws:iam::${accountId}:oidc-provider/${host}`;
  const provider = account && oidcProvidersOf(account.iam).get(providerArn);
  if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${issuer}`);
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String);
  const audience = audiences.find((a) => provider.clientIds.includes(a));
  if (!audience) throw invalidToken('Incorrect token audience');
  if (issuer !== GITHUB_ISSUER || !verifyGithubToken(token))
    throw invalidToken(
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
  const now = world.clock.now();
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime())
    throw new AwsError(
      'ExpiredTokenException',
      `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${claims.exp}`,
      400,
    );
  const role = account!.iam.roles.get(roleName);
  const keyed: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims))
    if (typeof v !== 'object') keyed[`${host}:${k}`.toLowerCase()] = String(v);
  keyed[`${host}:aud`] = audience;
  const requester = { accountId, arn: '', mfaPresent: false, federated: { providerArn, claims: keyed } };
  if (
    !role ||
    role.path !== path ||
    !trustAllows(role.assumeRolePolicyDocument, requester, 'sts:AssumeRoleWithWebIdentity')
  )
    throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
  const duration = federatedDuration(params.get('DurationSeconds') ?? undefined, role);
  const session = issueRoleSession(world, accountId, role, sessionName, duration, providerArn, world.region);
  return {
    accountId,
    claims,
    result: {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: session.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      SubjectFromWebIdentityToken: String(claims.sub ?? ''),
      AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
      Provider: issuer,
      Audience: audience,
    },
  };
}

/** The record's WebIdentityUser identity, as CloudTrail logs it in the role's account. */
function trailOf(params: QueryParams, ok: Accepted | null): FederatedTrail | null {
  const accountId = ok?.accountId ?? ROLE_ARN.exec(params.get('RoleArn') ?? '')?.[1];
  if (!accountId) return null;
  const claims = ok?.claims ?? decodeJwt(params.get('WebIdentityToken') ?? '')?.claims ?? {};
  return {
    accountId,
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: `${String(claims.iss ?? '').replace(/^https:\/\//, '')}:${claims.aud}:${claims.sub}`,
      userName: String(claims.sub ?? ''),
      identityProvider: String(claims.iss ?? '').replace(/^https:\/\//, ''),
    },
    requestParameters: { roleArn: params.get('RoleArn'), roleSessionName: params.get('RoleSessionName') },
    responseElements: null,
  };
}

/** The unsigned AssumeRoleWithWebIdentity handler of the AWS route. */
export async function assumeRoleWithWebIdentity(
  world: World,
  request: SandboxRequest,
  params: QueryParams,
): Promise<SandboxResponse> {
  return serveFederatedCall(world, request, params, 'AssumeRoleWithWebIdentity', accept, (ok) => trailOf(params, ok));
}
