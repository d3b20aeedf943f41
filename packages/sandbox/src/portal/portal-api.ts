/**
 * The portal API (`sso`, `portal.sso.<region>.amazonaws.com`) that the AWS CLI and SDKs call with the access
 * token of `aws sso login` in the `x-amz-sso_bearer_token` header: ListAccounts (`GET /assignment/accounts`),
 * ListAccountRoles (`GET /assignment/roles`), GetRoleCredentials (`GET /federation/credentials`) and Logout
 * (`POST /logout`). Paging with `next_token` / `max_result`. Source: botocore `sso/2019-06-10/service-2.json`.
 * GetRoleCredentials for a role not assigned answers ForbiddenException "No access", as the service does.
 * Each call is a CloudTrail event; role credentials also log AssumeRoleWithSAML in the target account.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxContext } from '../sandbox-context.js';
import { header, type SandboxRequest, type SandboxResponse } from '../server/http-types.js';
import { signinStateOf } from '../signin/state.js';
import { recordSigninEvent } from '../signin/trail.js';
import { appendTrailEvent } from '../world/cloudtrail-state.js';
import type { IdentityStoreUser } from '../world/sso-state.js';
import type { World } from '../world/world.js';
import { accountsOf, issueRoleCredentials, rolesOf } from './access.js';
import { portalError, restJson } from './rest-json.js';
import { tokenUser } from './session.js';

/** The portal API paths and the operation each is. */
export const PORTAL_API_PATHS: Record<string, string> = {
  '/assignment/accounts': 'ListAccounts',
  '/assignment/roles': 'ListAccountRoles',
  '/federation/credentials': 'GetRoleCredentials',
  '/logout': 'Logout',
};

function page<T>(items: T[], q: URLSearchParams): { items: T[]; nextToken: string | null } | null {
  const max = Number(q.get('max_result') ?? 100);
  const start = q.get('next_token') ? Number(Buffer.from(q.get('next_token')!, 'base64url').toString()) : 0;
  if (!Number.isInteger(max) || max < 1 || max > 100 || !Number.isInteger(start) || start < 0) return null;
  const end = start + max;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : null,
  };
}

function federationEvent(
  world: World,
  user: IdentityStoreUser,
  accountId: string,
  roleName: string,
  request: SandboxRequest,
): void {
  const account = world.accounts.get(accountId);
  if (!account) return;
  const time = world.clock.now();
  appendTrailEvent(account.trail, {
    time,
    username: user.userName,
    resources: [],
    record: {
      eventVersion: '1.08',
      userIdentity: { type: 'SAMLUser', principalId: user.userId, userName: user.userName },
      eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithSAML',
      awsRegion: world.sso!.region,
      sourceIPAddress: request.sourceIp,
      userAgent: header(request, 'user-agent') ?? '',
      requestParameters: { roleSessionName: user.userName, permissionSet: roleName },
      responseElements: null,
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
    },
  });
}

function answer(
  sandbox: SandboxContext,
  action: string,
  user: IdentityStoreUser,
  token: string,
  request: SandboxRequest,
): SandboxResponse {
  const q = request.url.searchParams;
  const world = sandbox.world;
  if (action === 'Logout') {
    signinStateOf(world).accessTokens.delete(token);
    return restJson(200, undefined);
  }
  if (action === 'ListAccounts') {
    const p = page(accountsOf(world, user), q);
    return p
      ? restJson(200, { nextToken: p.nextToken, accountList: p.items })
      : portalError(400, 'InvalidRequestException', 'Invalid paging parameters');
  }
  const accountId = q.get('account_id');
  if (!accountId) return portalError(400, 'InvalidRequestException', 'account_id is required');
  if (action === 'ListAccountRoles') {
    const roles = rolesOf(world, user)
      .filter((r) => r.accountId === accountId)
      .map((r) => ({ roleName: r.roleName, accountId }));
    const p = page(roles, q);
    return p
      ? restJson(200, { nextToken: p.nextToken, roleList: p.items })
      : portalError(400, 'InvalidRequestException', 'Invalid paging parameters');
  }
  const roleName = q.get('role_name');
  if (!roleName) return portalError(400, 'InvalidRequestException', 'role_name is required');
  const creds = issueRoleCredentials(world, user, accountId, roleName);
  if (!creds) return portalError(403, 'ForbiddenException', 'No access');
  federationEvent(world, user, accountId, roleName, request);
  return restJson(200, { roleCredentials: creds });
}

/** Serves one portal API call. */
export function servePortalApi(sandbox: SandboxContext, request: SandboxRequest): SandboxResponse {
  const action = PORTAL_API_PATHS[request.url.pathname];
  const wanted = action === 'Logout' ? 'POST' : 'GET';
  if (!action || request.method !== wanted) return portalError(404, 'ResourceNotFoundException', 'Unknown operation');
  const bearer = header(request, 'x-amz-sso_bearer_token');
  const session = tokenUser(sandbox, bearer);
  if (!session) return portalError(401, 'UnauthorizedException', 'Session token not found or invalid');
  const response = answer(sandbox, action, session.user, bearer!, request);
  const failed = response.status >= 400 ? response.headers['x-amzn-errortype'] : undefined;
  recordSigninEvent(sandbox.world, {
    source: 'sso',
    name: action === 'GetRoleCredentials' ? 'Federate' : action,
    user: session.user,
    sourceIp: request.sourceIp,
    userAgent: header(request, 'user-agent') ?? '',
    requestParameters: Object.fromEntries(request.url.searchParams),
    ...(failed ? { errorCode: failed, errorMessage: JSON.parse(String(response.body)).message } : {}),
  });
  return response;
}
