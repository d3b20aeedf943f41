/** Turns served AWS calls (and simulated sign-ins) into CloudTrail events in the right account. */
import { randomUUID } from 'node:crypto';
import { appendTrailEvent, type TrailRecord, type UserIdentity } from '../world/cloudtrail-state.js';
import type { Principal, World } from '../world/world.js';
import { describePrincipal } from './caller.js';

const SECRET_FIELD = /password|secret|token|privatekey|credentials/i;
const READ_ONLY = /^(Get|List|Describe|Lookup|Generate|Is|Search|Simulate)/;

/** CloudTrail's userIdentity block for a principal calling with `accessKeyId`. */
export function userIdentityFor(world: World, principal: Principal, accessKeyId?: string): UserIdentity {
  const { arn, userId } = describePrincipal(world, principal);
  switch (principal.kind) {
    case 'root':
      return { type: 'Root', principalId: userId, arn, accountId: principal.accountId, accessKeyId };
    case 'user':
      return {
        type: 'IAMUser',
        principalId: userId,
        arn,
        accountId: principal.accountId,
        accessKeyId,
        userName: principal.userName,
      };
    case 'role-session':
      return {
        type: 'AssumedRole',
        principalId: userId,
        arn,
        accountId: principal.accountId,
        accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: principal.roleId,
            arn: `arn:aws:iam::${principal.accountId}:role${principal.rolePath}${principal.roleName}`,
            accountId: principal.accountId,
            userName: principal.roleName,
          },
          attributes: {
            creationDate: new Date(principal.expiration.getTime() - 3600_000).toISOString(),
            mfaAuthenticated: 'false',
          },
        },
      };
  }
}

/** The Username LookupEvents reports for a principal. */
export function lookupUsername(principal: Principal): string {
  if (principal.kind === 'user') return principal.userName;
  if (principal.kind === 'role-session') return principal.sessionName;
  return 'root';
}

/** Copies request parameters with CloudTrail's camelCase names and secrets hidden. */
export function redactParameters(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    const name = k.charAt(0).toLowerCase() + k.slice(1);
    out[name] = SECRET_FIELD.test(k) ? 'HIDDEN_DUE_TO_SECURITY_REASONS' : v;
  }
  return out;
}

export type ApiCallEvent = {
  accountId: string;
  principal: Principal;
  accessKeyId?: string;
  service: string;
  action: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  requestId: string;
  requestParameters: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  time?: Date;
};

/** Records one API call as CloudTrail does, in the account of the resources it acted on. */
export function recordApiCall(world: World, call: ApiCallEvent): void {
  const account = world.accounts.get(call.accountId);
  if (!account) return;
  const time = call.time ?? world.clock.now();
  const record: TrailRecord = {
    eventVersion: '1.09',
    userIdentity: userIdentityFor(world, call.principal, call.accessKeyId),
    eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: `${call.service}.amazonaws.com`,
    eventName: call.action,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: call.errorMessage } : {}),
    requestParameters: call.requestParameters,
    responseElements: null,
    requestID: call.requestId,
    eventID: randomUUID(),
    readOnly: READ_ONLY.test(call.action),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.accountId,
    eventCategory: 'Management',
  };
  appendTrailEvent(account.trail, { time, record, username: lookupUsername(call.principal), resources: [] });
}
