/**
 * The field guides' rule for the IAM users a migration keeps (break-glass, or a reviewer's `keep`): MFA on every
 * console password, and access keys rotated within 90 days. Checked per user the plan keeps, as plan problems a
 * reviewer sees next to the user. Pure: the snapshot and the time come in.
 */
import { daysBetween, userFacts } from './classify-facts.js';
import type { AuditSnapshot } from './model.js';
import type { MigrationPlan, PlanProblem } from './plan-types.js';

/** Keys older than this many days are not rotated (the CIS benchmark's 90 days). */
export const KEY_ROTATION_DAYS = 90;

/** The problems of the users the plan keeps. */
export function keptUserProblems(plan: MigrationPlan, snapshot: AuditSnapshot, now: Date): PlanProblem[] {
  const byKey = new Map(snapshot.accounts.flatMap((a) => a.users.map((u) => [`${u.accountId}/${u.userName}`, u])));
  const out: PlanProblem[] = [];
  for (const planned of plan.users) {
    if (planned.action !== 'keep') continue;
    const user = byKey.get(`${planned.accountId}/${planned.userName}`);
    if (!user) continue;
    const at = { accountId: user.accountId, userName: user.userName };
    if (user.consoleEnabled && !userFacts(user, now).hasMfa)
      out.push({
        id: 'kept-user.without-mfa',
        message: `${user.userName} in ${user.accountId} is kept and signs in to the console without MFA: enable MFA on it`,
        ...at,
      });
    for (const key of user.accessKeys.filter((k) => k.status === 'Active')) {
      const age = daysBetween(key.createdAt, now);
      if (age > KEY_ROTATION_DAYS)
        out.push({
          id: 'kept-user.key-not-rotated',
          message: `${user.userName} in ${user.accountId} is kept and its key ${key.id} is ${age} days old: rotate it (every ${KEY_ROTATION_DAYS} days)`,
          ...at,
        });
    }
  }
  return out;
}
