/**
 * CloudTrail history that matches the generated state: console sign-ins ending exactly at each password's
 * last use, and API calls with the key's client user agent ending exactly at each key's last use (same
 * service and region). Only the last HISTORY_DAYS days are written; older use leaves no events.
 */
import type { Rng } from '../rng.js';
import { appendTrailEvent, type TrailEvent, type TrailRecord } from '../world/cloudtrail-state.js';
import { type IamUser, iamArn } from '../world/iam-state.js';
import type { AccountState } from '../world/world.js';
import { type ApiAction, BROWSER_AGENTS, clientProfile, GLOBAL_SERVICES } from './clients.js';
import type { KeyUse, MaterializeContext, UserActivity } from './materialize-iam.js';

/** How far back the generated history reaches, in days. */
export const HISTORY_DAYS = 120;

const READ_ONLY = /^(Get|List|Describe|Lookup|Generate|Is|Search|Simulate|Decrypt)/;
const HUMAN_CLIENTS = new Set(['aws-cli', 'terraform', 'boto3-laptop']);

function eventTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `count` instants: `last` and the others spread at random in [from, last), whole seconds, oldest first. */
function instants(rng: Rng, from: number, last: Date, count: number): Date[] {
  const out = [last];
  const span = last.getTime() - from;
  for (let i = 1; i < count && span > 1000; i++)
    out.push(new Date(Math.floor((from + rng.next() * span) / 1000) * 1000));
  return out.sort((a, b) => a.getTime() - b.getTime());
}

function identity(accountId: string, user: IamUser, accessKeyId?: string): TrailRecord['userIdentity'] {
  return {
    type: 'IAMUser',
    principalId: user.userId,
    arn: iamArn(accountId, 'user', user.path, user.userName),
    accountId,
    ...(accessKeyId ? { accessKeyId } : {}),
    userName: user.userName,
  };
}

function signIn(rng: Rng, a: UserActivity, time: Date, agent: string, ip: string, success: boolean): TrailEvent {
  const mfa = a.user.mfaDevices[0];
  const mfaUsed = success && mfa !== undefined;
  const record: TrailRecord = {
    eventVersion: '1.09',
    userIdentity: identity(a.accountId, a.user),
    eventTime: eventTime(time),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent: agent,
    ...(success ? {} : { errorMessage: 'Failed authentication' }),
    requestParameters: null,
    responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
      MobileVersion: 'No',
      ...(mfaUsed ? { MFAIdentifier: mfa } : {}),
      MFAUsed: mfaUsed ? 'Yes' : 'No',
    },
    eventID: rng.uuid(),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: a.accountId,
    eventCategory: 'Management',
  };
  return { time, record, username: a.user.userName, resources: [] };
}

function apiCall(rng: Rng, a: UserActivity, use: KeyUse, call: ApiAction, time: Date, region: string): TrailEvent {
  const record: TrailRecord = {
    eventVersion: '1.09',
    userIdentity: identity(a.accountId, a.user, use.key.accessKeyId),
    eventTime: eventTime(time),
    eventSource: `${call.service}.amazonaws.com`,
    eventName: call.action,
    awsRegion: region,
    sourceIPAddress: rng.pick(a.spec.sourceIps.length ? a.spec.sourceIps : ['203.0.113.1']),
    userAgent: use.userAgent,
    requestParameters: call.params,
    responseElements: null,
    requestID: rng.uuid(),
    eventID: rng.uuid(),
    readOnly: READ_ONLY.test(call.action),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: a.accountId,
    eventCategory: 'Management',
  };
  return { time, record, username: a.user.userName, resources: [] };
}

function signIns(rng: Rng, a: UserActivity, windowStart: number, out: TrailEvent[]): void {
  const { loginProfile, passwordLastUsed } = a.user;
  if (!loginProfile || !passwordLastUsed || passwordLastUsed.getTime() < windowStart) return;
  const category = a.spec.category;
  const count = category === 'human-console' ? rng.int(2, 6) : category === 'break-glass' ? rng.int(1, 2) : 1;
  const from = Math.max(windowStart, loginProfile.createDate.getTime() + 3600_000);
  const agent = rng.pick(BROWSER_AGENTS);
  const ips = a.spec.sourceIps.length ? a.spec.sourceIps : ['203.0.113.1'];
  const times = instants(rng, from, passwordLastUsed, count);
  for (const time of times) out.push(signIn(rng, a, time, agent, rng.pick(ips), true));
  if (rng.chance(0.15)) {
    const failed = new Date(times[0].getTime() - rng.int(20, 120) * 1000);
    out.push(signIn(rng, a, failed, agent, rng.pick(ips), false));
  }
}

function keyCalls(rng: Rng, a: UserActivity, windowStart: number, out: TrailEvent[]): void {
  for (const use of a.keys) {
    const lastUsed = use.key.lastUsed;
    if (!lastUsed || lastUsed.date.getTime() < windowStart) continue;
    const profile = clientProfile(use.client);
    const count = HUMAN_CLIENTS.has(use.client) ? rng.int(3, 8) : rng.int(6, 14);
    const from = Math.max(windowStart, use.key.createDate.getTime() + 60_000);
    const times = instants(rng, from, lastUsed.date, count);
    for (let i = 0; i < times.length - 1; i++) {
      const call = rng.pick(profile.actions);
      out.push(apiCall(rng, a, use, call, times[i], GLOBAL_SERVICES.has(call.service) ? 'us-east-1' : a.region));
    }
    out.push(apiCall(rng, a, use, use.last, lastUsed.date, lastUsed.region));
  }
}

/** Writes the history of every user into its account's trail, oldest first. */
export function generateHistory(ctx: MaterializeContext, accounts: AccountState[], activities: UserActivity[]): void {
  const windowStart = ctx.nowMs - HISTORY_DAYS * 86_400_000;
  const byAccount = new Map<string, TrailEvent[]>(accounts.map((a) => [a.id, []]));
  for (const a of activities) {
    const out = byAccount.get(a.accountId)!;
    signIns(ctx.rng, a, windowStart, out);
    keyCalls(ctx.rng, a, windowStart, out);
  }
  for (const account of accounts) {
    const events = byAccount.get(account.id)!.sort((x, y) => x.time.getTime() - y.time.getTime());
    if (account.trail.events.length === 0) for (const e of events) account.trail.events.push(e);
    else for (const e of events) appendTrailEvent(account.trail, e);
  }
}
