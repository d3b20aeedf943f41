/** The break-glass users a plan file keeps (category `break-glass`), which `scp` leaves able to manage IAM users. */
import type { ExceptedUser } from '../core/scp/document.js';
import { ValidationFailed } from '../errors.js';
import { readPlanFile } from './read.js';

/** Reads the plan file and returns its break-glass users; every problem of an unreadable plan is reported. */
export function breakGlassFromPlan(file: string, quota = 10): ExceptedUser[] {
  const read = readPlanFile(file, { quota, strict: false });
  if (!read.plan) throw new ValidationFailed(read.problems);
  return read.plan.users
    .filter((u) => u.category === 'break-glass')
    .map((u) => ({ accountId: u.accountId, userName: u.userName }));
}
