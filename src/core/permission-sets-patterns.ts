/**
 * The floor for the number of permission sets: the distinct access patterns among the users who migrate, where
 * two bundles that differ only by account ids inside their ARNs count as one pattern (one set could serve both
 * with a per-account customer managed policy reference), and users whose customer managed policies differ by
 * account are counted as the plan shares them (see permission-sets-reuse). Reported next to the plan's count.
 */
import type { AuditSnapshot } from './model.js';
import { type BundleSubject, chooseBundles } from './permission-sets-reuse.js';
import { createSelfServiceFilter } from './permission-sets-self-service.js';
import { type ManagedPolicyDocuments, userPolicies } from './permission-sets-sources.js';
import { createSubsumer } from './permission-sets-subsume.js';
import type { PlanSettings } from './plan-settings.js';
import type { MigrationPlan } from './plan-types.js';
import type { PolicyCompiler } from './policy/compile.js';
import { policyJson } from './policy/document.js';

/** Permission sets in the plan against the distinct access patterns of its migrating users. */
export type PatternCount = { permissionSets: number; patterns: number; migrating: number };

/** Counts the access patterns of the plan's migrating users in `snapshot`. */
export function countAccessPatterns(
  plan: MigrationPlan,
  snapshot: AuditSnapshot,
  settings: PlanSettings,
  compiler: PolicyCompiler,
  managedDocuments: ManagedPolicyDocuments,
): PatternCount {
  const subsume = createSubsumer(compiler);
  const withoutSelfService = createSelfServiceFilter();
  const accounts = new Map(snapshot.accounts.map((a) => [a.accountId, a]));
  const subjects: BundleSubject[] = [];
  for (const u of plan.users) {
    if (u.action !== 'migrate') continue;
    const account = accounts.get(u.accountId);
    const user = account?.users.find((x) => x.userName === u.userName);
    if (!account || !user) continue;
    const policies = subsume(withoutSelfService(userPolicies(user, account, managedDocuments)).policies).policies;
    subjects.push({ key: `${u.accountId}/${u.userName}`, accountId: u.accountId, policies });
  }
  const patterns = new Set<string>();
  for (const bundle of new Set(chooseBundles(subjects, settings).values())) {
    if (!bundle.managedPolicies.length && !bundle.customerManagedPolicies.length && !bundle.inline.length) continue;
    const shape = JSON.stringify([
      bundle.managedPolicies,
      bundle.customerManagedPolicies,
      bundle.inline.length ? policyJson(bundle.inline) : null,
      bundle.boundary,
    ]);
    patterns.add(shape.replace(/\b\d{12}\b/g, '{account}'));
  }
  const migrating = subjects.length;
  return { permissionSets: plan.permissionSets.length, patterns: patterns.size, migrating };
}
