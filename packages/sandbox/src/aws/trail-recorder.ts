/** Turns served AWS calls (and simulated sign-ins) into CloudTrail events in the right account. */
import { randomUUID } from 'node:crypto';
import {
  appendTrailEvent,
  type TrailEvent,
  type TrailRecord,
  type TrailResource,
  type UserIdentity,
} from '../world/cloudtrail-state.js';
import type { Principal, World } from '../world/world.js';
import { describePrincipal } from './caller.js';
import { routeTrailRecord } from './events/from-trail.js';

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
  /** What the call returned, as CloudTrail logs it (secrets left out). */
  responseElements?: Record<string, unknown> | null;
  /** Resources the call acted on (LookupEvents' Resources; the record's `resources` for those with an ARN). */
  resources?: TrailResource[];
  /** Fixed event id, for deterministic history; a random UUID otherwise. */
  eventId?: string;
};

/** Records one API call as CloudTrail does, in the account of the resources it acted on. */
export function recordApiCall(world: World, call: ApiCallEvent): void {
  const account = world.accounts.get(call.accountId);
  if (!account) return;
  const time = call.time ?? world.clock.now();
  const withArn = (call.resources ?? []).filter((r) => r.arn);
  const record: TrailRecord = {
    eventVersion: '1.09',
    userIdentity: userIdentityFor(world, call.principal, call.accessKeyId),
    eventTime: trailTime(time),
    eventSource: `${call.service}.amazonaws.com`,
    eventName: call.action,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: call.errorMessage } : {}),
    requestParameters: call.requestParameters,
    responseElements: call.responseElements ?? null,
    requestID: call.requestId,
    eventID: call.eventId ?? randomUUID(),
    readOnly: READ_ONLY.test(call.action),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.accountId,
    eventCategory: 'Management',
    ...(withArn.length
      ? { resources: withArn.map((r) => ({ ARN: r.arn, accountId: r.accountId ?? call.accountId, type: r.type })) }
      : {}),
  };
  appendTrailEvent(account.trail, {
    time,
    record,
    username: lookupUsername(call.principal),
    resources: lookupResources(call.resources),
  });
  routeTrailRecord(world, record);
}

/** CloudTrail's eventTime: ISO-8601 to the second. */
function trailTime(time: Date): string {
  const second = Math.floor(time.getTime() / 1000);
  if (second !== lastTrailSecond) {
    lastTrailSecond = second;
    lastTrailTime = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastTrailTime;
}

/** The last eventTime formatted: calls come many per second, so most reuse it. */
let lastTrailSecond = Number.NaN;
let lastTrailTime = '';

function lookupResources(resources: TrailResource[] | undefined): TrailEvent['resources'] {
  return (resources ?? []).map((r) => ({ resourceType: r.type, resourceName: r.name }));
}

export type ConsoleSignIn = {
  accountId: string;
  /** The IAM user signing in, or null for the root user. */
  userName: string | null;
  success: boolean;
  mfaUsed: boolean;
  sourceIp: string;
  userAgent: string;
  time?: Date;
  /** The console URL signed in to (AdditionalEventData.LoginTo). */
  loginTo?: string;
  mobileVersion?: boolean;
  /** When false, a failed sign-in names a user that does not exist: CloudTrail hides the name. */
  knownUser?: boolean;
  eventId?: string;
};

const DEFAULT_LOGIN_TO = 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true';

/**
 * Records a console sign-in (ConsoleLogin, eventType AwsConsoleSignIn) as CloudTrail does, in the account
 * signed in to, and notes a successful IAM user sign-in as the password's last use.
 */
export function recordConsoleSignIn(world: World, signIn: ConsoleSignIn): void {
  const account = world.accounts.get(signIn.accountId);
  if (!account) return;
  const time = signIn.time ?? world.clock.now();
  const hidden = signIn.knownUser === false;
  const principal: Principal =
    signIn.userName === null
      ? { kind: 'root', accountId: signIn.accountId }
      : { kind: 'user', accountId: signIn.accountId, userName: signIn.userName };
  const identity: UserIdentity = hidden
    ? { type: 'IAMUser', accountId: signIn.accountId, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' }
    : { ...userIdentityFor(world, principal), accessKeyId: '' };
  const record: TrailRecord = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: trailTime(time),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: world.region,
    sourceIPAddress: signIn.sourceIp,
    userAgent: signIn.userAgent,
    ...(signIn.success ? {} : { errorMessage: 'Failed authentication' }),
    requestParameters: null,
    responseElements: { ConsoleLogin: signIn.success ? 'Success' : 'Failure' },
    additionalEventData: {
      LoginTo: signIn.loginTo ?? DEFAULT_LOGIN_TO,
      MobileVersion: signIn.mobileVersion ? 'Yes' : 'No',
      MFAUsed: signIn.mfaUsed ? 'Yes' : 'No',
    },
    eventID: signIn.eventId ?? randomUUID(),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: signIn.accountId,
    eventCategory: 'Management',
  };
  const username = hidden ? 'HIDDEN_DUE_TO_SECURITY_REASONS' : lookupUsername(principal);
  appendTrailEvent(account.trail, { time, record, username, resources: [] });
  routeTrailRecord(world, record);
  if (!signIn.success || hidden) return;
  if (signIn.userName === null) account.iam.root.passwordLastUsed = time;
  else {
    const user = account.iam.users.get(signIn.userName);
    if (user) user.passwordLastUsed = time;
  }
}

export type RefusedCall = Omit<ApiCallEvent, 'accountId' | 'principal' | 'requestParameters'> & {
  accessKeyId: string;
  errorCode: string;
  errorMessage: string;
  requestParameters?: Record<string, unknown> | null;
};

/**
 * Records a call refused at authentication (an inactive or deleted key, an expired session) in the account
 * that owns the credentials, as CloudTrail does. Returns false when the key was never issued here.
 */
export function recordFailedAuthentication(world: World, call: RefusedCall): boolean {
  const owner = world.keyOwners.get(call.accessKeyId);
  let principal: Principal | undefined;
  if (owner) {
    principal =
      owner.userName === null
        ? { kind: 'root', accountId: owner.accountId }
        : { kind: 'user', accountId: owner.accountId, userName: owner.userName };
  } else {
    principal = world.sessions.get(call.accessKeyId)?.principal;
  }
  if (!principal || !world.accounts.has(principal.accountId)) return false;
  recordApiCall(world, {
    ...call,
    requestParameters: call.requestParameters ?? null,
    accountId: principal.accountId,
    principal,
  });
  return true;
}
