/**
 * Statuses from the timeline: per person (their IAM users through the plan's identity mapping, their SSO use)
 * and per remaining IAM user (console, each key, console sessions), over a window that ends now. Pure.
 */
import { trailTime } from './track-records.js';
import type { Evidence, TimelineEntry, TrackStatusKind } from './track-types.js';

/** An IAM user the migration is about, with the person it belongs to (the plan's UPN) if any. */
export type TrackedIamUser = { accountId: string; userName: string; upn: string | null; category: string };

/** A key's last use. */
export type KeyActivity = {
  accessKeyId: string;
  lastTime: string;
  lastEventId: string;
  service: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  events: number;
};

/** One IAM user's legacy use in the window. */
export type IamUserTrack = TrackedIamUser & {
  status: 'legacy-only' | 'silent';
  lastConsoleSignIn: (Evidence & { mfa: boolean }) | null;
  lastConsoleSession: Evidence | null;
  keys: KeyActivity[];
  /** Refused sign-ins and calls with a deactivated or deleted key (when CloudTrail logged them). */
  attempts: number;
  lastLegacy: Evidence | null;
};

/** A person's SSO use of one account and permission set ('' when the record does not say). */
export type SsoAccess = { accountId: string; permissionSet: string; first: Evidence; last: Evidence; events: number };

/** One person's status. */
export type PersonTrack = {
  upn: string;
  status: TrackStatusKind;
  /** For sso-only: the day from which only SSO was seen (YYYY-MM-DD). */
  since: string | null;
  iamUsers: string[];
  lastLegacy: Evidence | null;
  firstSso: Evidence | null;
  lastSso: Evidence | null;
  sso: SsoAccess[];
};

/** One person's sign-ins to one role through direct SAML federation (a provider that is not Identity Center's). */
export type DirectSamlUse = {
  upn: string;
  accountId: string;
  role: string;
  first: Evidence;
  last: Evidence;
  events: number;
};

/** Everything `track` concludes. */
export type TrackReport = {
  window: { since: string; until: string };
  people: PersonTrack[];
  iamUsers: IamUserTrack[];
  /** Who still signs in through direct SAML federation, per account and role (what blocks retiring it). */
  directSaml: DirectSamlUse[];
  /** SSO users seen that no plan user maps to (names, or Identity Store user ids not resolved). */
  unmatchedSso: string[];
};

/** The status label users read: `sso-only since 2026-10-01`. */
export function statusLabel(status: TrackStatusKind, since: string | null): string {
  return status === 'sso-only' && since ? `sso-only since ${since}` : status;
}

function later(a: Evidence | null, time: string, eventId: string): Evidence {
  return a && a.time >= time ? a : { time, eventId };
}

function earlier(a: Evidence | null, time: string, eventId: string): Evidence {
  return a && a.time <= time ? a : { time, eventId };
}

function trackIamUser(user: TrackedIamUser, entries: TimelineEntry[]): IamUserTrack {
  const out: IamUserTrack = {
    ...user,
    status: 'silent',
    lastConsoleSignIn: null,
    lastConsoleSession: null,
    keys: [],
    attempts: 0,
    lastLegacy: null,
  };
  const keys = new Map<string, KeyActivity>();
  for (const e of entries) {
    if (e.usage === 'legacy-attempt') {
      out.attempts += e.events;
      continue;
    }
    out.lastLegacy = later(out.lastLegacy, e.lastTime, e.lastEventId);
    if (e.via === 'console-sign-in' && (!out.lastConsoleSignIn || e.lastTime > out.lastConsoleSignIn.time))
      out.lastConsoleSignIn = { time: e.lastTime, eventId: e.lastEventId, mfa: e.mfa ?? false };
    else if (e.via === 'console-session' || e.via === 'temporary-credentials')
      out.lastConsoleSession = later(out.lastConsoleSession, e.lastTime, e.lastEventId);
    else if (e.via === 'access-key') {
      const k = keys.get(e.detail);
      if (!k || e.lastTime > k.lastTime)
        keys.set(e.detail, {
          accessKeyId: e.detail,
          lastTime: e.lastTime,
          lastEventId: e.lastEventId,
          service: e.lastService,
          sourceIp: e.lastSourceIp,
          userAgent: e.lastUserAgent,
          events: e.events + (k?.events ?? 0),
        });
      else k.events += e.events;
    }
  }
  out.keys = [...keys.values()].sort((a, b) => a.accessKeyId.localeCompare(b.accessKeyId));
  out.status = out.lastLegacy ? 'legacy-only' : 'silent';
  return out;
}

function ssoAccess(entries: TimelineEntry[]): SsoAccess[] {
  const byTarget = new Map<string, SsoAccess>();
  for (const e of entries) {
    if (!e.accountId && !e.detail) continue;
    const key = `${e.accountId}\u0001${e.detail}`;
    const have = byTarget.get(key);
    if (!have) {
      byTarget.set(key, {
        accountId: e.accountId,
        permissionSet: e.detail,
        first: { time: e.firstTime, eventId: e.firstEventId },
        last: { time: e.lastTime, eventId: e.lastEventId },
        events: e.events,
      });
      continue;
    }
    have.first = earlier(have.first, e.firstTime, e.firstEventId);
    have.last = later(have.last, e.lastTime, e.lastEventId);
    have.events += e.events;
  }
  return [...byTarget.values()].sort((a, b) =>
    `${a.accountId}${a.permissionSet}`.localeCompare(`${b.accountId}${b.permissionSet}`),
  );
}

/**
 * Computes the statuses. `idcUsers` maps `identityStoreArn#userId` to the user's name (resolved through the
 * Identity Store), so post-2025 sign-in and portal records count for the person.
 */
export function computeTrack(
  timeline: TimelineEntry[],
  users: TrackedIamUser[],
  window: { since: Date; until: Date },
  idcUsers: Map<string, string> = new Map(),
): TrackReport {
  // Bounds in CloudTrail's format (to the second), the format of the entries' times.
  const since = trailTime(window.since);
  const until = trailTime(window.until);
  const inWindow = timeline.filter((e) => e.lastTime >= since && e.firstTime <= until);
  const byIamUser = new Map<string, TimelineEntry[]>();
  const ssoBySubject = new Map<string, TimelineEntry[]>();
  const directSaml: DirectSamlUse[] = [];
  for (const e of inWindow) {
    if (e.usage === 'direct-saml') {
      directSaml.push({
        upn: e.subject,
        accountId: e.accountId,
        role: e.detail,
        first: { time: e.firstTime, eventId: e.firstEventId },
        last: { time: e.lastTime, eventId: e.lastEventId },
        events: e.events,
      });
      continue;
    }
    if (e.subjectKind === 'iam-user') {
      const list = byIamUser.get(e.subject) ?? [];
      list.push(e);
      byIamUser.set(e.subject, list);
      continue;
    }
    const name = e.subjectKind === 'person' ? e.subject : idcUsers.get(e.subject)?.toLowerCase();
    const key = name ?? `unresolved:${e.subject}`;
    const list = ssoBySubject.get(key) ?? [];
    list.push(e);
    ssoBySubject.set(key, list);
  }
  const iamUsers = users.map((u) => trackIamUser(u, byIamUser.get(`${u.accountId}/${u.userName}`) ?? []));
  const upns = [...new Set(users.filter((u) => u.upn).map((u) => u.upn!.toLowerCase()))].sort();
  const people = upns.map((upn) => trackPerson(upn, iamUsers, ssoBySubject.get(upn) ?? [], since));
  const matched = new Set(upns);
  const unmatchedSso = [...ssoBySubject.keys()].filter((k) => !matched.has(k)).sort();
  directSaml.sort((a, b) => `${a.accountId}/${a.role}/${a.upn}`.localeCompare(`${b.accountId}/${b.role}/${b.upn}`));
  return { window: { since, until }, people, iamUsers, unmatchedSso, directSaml };
}

function trackPerson(upn: string, iamUsers: IamUserTrack[], sso: TimelineEntry[], since: string): PersonTrack {
  const mine = iamUsers.filter((u) => u.upn?.toLowerCase() === upn);
  let lastLegacy: Evidence | null = null;
  for (const u of mine) if (u.lastLegacy) lastLegacy = later(lastLegacy, u.lastLegacy.time, u.lastLegacy.eventId);
  let firstSso: Evidence | null = null;
  let lastSso: Evidence | null = null;
  for (const e of sso) {
    firstSso = earlier(firstSso, e.firstTime, e.firstEventId);
    lastSso = later(lastSso, e.lastTime, e.lastEventId);
  }
  const status: TrackStatusKind = lastLegacy ? (lastSso ? 'dual' : 'legacy-only') : lastSso ? 'sso-only' : 'silent';
  const sinceDay =
    status === 'sso-only' && firstSso ? (firstSso.time < since ? since : firstSso.time).slice(0, 10) : null;
  return {
    upn,
    status,
    since: sinceDay,
    iamUsers: mine.map((u) => `${u.accountId}/${u.userName}`),
    lastLegacy,
    firstSso,
    lastSso,
    sso: ssoAccess(sso),
  };
}
