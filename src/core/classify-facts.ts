/** The facts about one user that classification and findings both reason from, computed once. */
import type { Iso, UserRecord } from './model.js';

const DAY_MS = 24 * 3600 * 1000;

export type UserFacts = {
  activeKeys: number;
  /** Newest use of any active key (CloudTrail activity included), or null. */
  lastKeyUse: Iso | null;
  /** Newest console sign-in (password last used or CloudTrail sign-in), or null. */
  lastConsoleUse: Iso | null;
  lastActivity: Iso | null;
  /** Whole days since the last activity, or since creation when never used. */
  idleDays: number;
  neverUsed: boolean;
  ageDays: number;
  hasMfa: boolean;
  hasCredentials: boolean;
};

/** Whole days from `from` to `now` (negative clamps to 0). */
export function daysBetween(from: Iso, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / DAY_MS));
}

function newest(values: (Iso | null | undefined)[]): Iso | null {
  let best: Iso | null = null;
  for (const v of values) if (v && (!best || Date.parse(v) > Date.parse(best))) best = v;
  return best;
}

/** Computes the usage facts of a user at `now`. */
export function userFacts(user: UserRecord, now: Date): UserFacts {
  const active = user.accessKeys.filter((k) => k.status === 'Active');
  const lastKeyUse = newest(active.map((k) => k.lastUsedAt));
  const lastConsoleUse = newest([user.passwordLastUsed, user.activity?.lastConsoleSignIn]);
  const lastActivity = newest([lastKeyUse, user.consoleEnabled ? lastConsoleUse : null]);
  const ageDays = daysBetween(user.createdAt, now);
  return {
    activeKeys: active.length,
    lastKeyUse,
    lastConsoleUse,
    lastActivity,
    idleDays: lastActivity ? daysBetween(lastActivity, now) : ageDays,
    neverUsed: lastActivity === null,
    ageDays,
    hasMfa: user.mfaDevices.length > 0,
    hasCredentials: user.consoleEnabled || active.length > 0,
  };
}
