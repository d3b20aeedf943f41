/**
 * CloudTrail evidence for classification: who uses a user's keys (user agents, source IPs, console sign-ins).
 * Bounded on purpose: LookupEvents allows 2 requests per second per account and region, so only users whose
 * keys are in use and who do not sign in to the console (the ones a person cannot tell apart from automation
 * by the credential report) get a lookup, one page of their newest 50 events each.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { ActivityEvidence, UserRecord } from '../core/model.js';
import type { AccountReads } from './account-reads.js';
import { isDenial } from './read-failure.js';

export type ActivityOptions = { activityDays: number; now: () => Date };

/** True when CloudTrail could tell something the credential report does not. */
export function wantsActivity(user: UserRecord, now: Date, days: number): boolean {
  const since = now.getTime() - days * 86_400_000;
  const keyInUse = user.accessKeys.some(
    (k) => k.status === 'Active' && k.lastUsedAt && Date.parse(k.lastUsedAt) >= since,
  );
  const consoleInUse =
    user.consoleEnabled && user.passwordLastUsed !== null && Date.parse(user.passwordLastUsed) >= since;
  return keyInUse && !consoleInUse;
}

/** Summarizes CloudTrail records (the JSON in each event's CloudTrailEvent) into activity evidence. */
export function summarizeEvents(
  records: { eventName?: string; eventTime?: string; userAgent?: string; sourceIPAddress?: string }[],
): ActivityEvidence {
  const agents = new Map<string, number>();
  const ips = new Set<string>();
  let consoleSignIns = 0;
  let lastConsoleSignIn: string | null = null;
  let apiCalls = 0;
  for (const r of records) {
    // iam2sso's own calls (audits run with this user's key) say nothing about who owns the key.
    if (r.userAgent && /\bapp\/iam2sso\b/.test(r.userAgent)) continue;
    if (r.eventName === 'ConsoleLogin') {
      consoleSignIns++;
      if (r.eventTime && (!lastConsoleSignIn || r.eventTime > lastConsoleSignIn)) lastConsoleSignIn = r.eventTime;
      continue;
    }
    apiCalls++;
    if (r.userAgent) agents.set(r.userAgent, (agents.get(r.userAgent) ?? 0) + 1);
    if (r.sourceIPAddress) ips.add(r.sourceIPAddress);
  }
  return {
    consoleSignIns,
    lastConsoleSignIn,
    apiCalls,
    userAgents: [...agents]
      .sort((a, b) => b[1] - a[1])
      .map(([ua]) => ua)
      .slice(0, 10),
    sourceIps: [...ips].slice(0, 10),
  };
}

/** LookupEvents: "limited to two per second, per account, per Region" (CloudTrail API reference). */
const LOOKUPS_PER_SECOND = 2;

/** Waits as needed so that no more than LOOKUPS_PER_SECOND calls start within any second. */
function lookupPacer(): () => Promise<void> {
  const recent: number[] = [];
  return async () => {
    for (;;) {
      const now = Date.now();
      while (recent.length && recent[0] <= now - 1000) recent.shift();
      if (recent.length < LOOKUPS_PER_SECOND) break;
      await sleep(recent[0] + 1000 - now + 5);
    }
    recent.push(Date.now());
  };
}

/**
 * Adds `activity` to the users that need it, one LookupEvents page each, paced to 2 per second per account. A failed
 * lookup leaves that user's activity unknown; after a denial no further lookups are made in the account (each
 * would be refused the same way), and every remaining user's activity is unknown.
 */
export async function collectActivity(
  cloudtrail: CloudTrailClient,
  users: UserRecord[],
  options: ActivityOptions,
  reads: AccountReads,
): Promise<void> {
  const now = options.now();
  const start = new Date(now.getTime() - options.activityDays * 86_400_000);
  let denied = false;
  const pace = lookupPacer();
  for (const user of users) {
    if (!wantsActivity(user, now, options.activityDays)) continue;
    if (!denied) await pace();
    const out = denied
      ? undefined
      : await reads.optional('cloudtrail', 'LookupEvents', 'CloudTrail activity of users whose keys are in use', () =>
          cloudtrail.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: user.userName }],
              StartTime: start,
              EndTime: now,
              MaxResults: 50,
            }),
          ),
        );
    if (!out) {
      user.unknown = [...(user.unknown ?? []), 'activity'];
      denied ||= reads.unread().some((u) => u.operation === 'LookupEvents' && isDenial(u));
      continue;
    }
    const records = (out.Events ?? []).flatMap((e) => {
      try {
        return [JSON.parse(e.CloudTrailEvent ?? '{}')];
      } catch {
        return [];
      }
    });
    user.activity = summarizeEvents(records.filter((r) => r.userIdentity?.type === 'IAMUser'));
  }
}
