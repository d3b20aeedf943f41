/**
 * Reads what verification compares with the plan: assignments and memberships from Identity Center and the
 * Identity Store (apply's ports), and every Identity Center role of each planned account from its IAM.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { mapLimit } from '../aws/fan-out.js';
import type { MigrationPlan } from '../core/plan-types.js';
import { type AssignmentFacts, type AssignmentReaders, readAssignmentFacts } from './assignments.js';
import { type LiveRole, type PolicyDocumentCache, readReservedRoles } from './reserved-roles.js';
import { plannedAccounts } from './verify-plan.js';

/** The live facts `verifyPlan` needs. */
export type LiveFacts = { facts: AssignmentFacts; roles: Map<string, LiveRole[]> };

/** Reads the live facts for the plan's accounts; `iamFor` gives an IAM client acting in an account. */
export async function readLiveFacts(
  plan: MigrationPlan,
  readers: AssignmentReaders,
  iamFor: (accountId: string) => Promise<IAMClient>,
  concurrency = 8,
): Promise<LiveFacts> {
  const accounts = plannedAccounts(plan);
  const cache: PolicyDocumentCache = new Map();
  const [facts, roles] = await Promise.all([
    readAssignmentFacts(readers, accounts, concurrency),
    mapLimit(accounts, concurrency, async (id) => readReservedRoles(await iamFor(id), id, cache)),
  ]);
  return { facts, roles: new Map(accounts.map((id, i) => [id, roles[i]])) };
}
