/**
 * One permission set across accounts for the same role. By default a customer managed policy is merged into the
 * permission set's inline policy, so when its document differs from account to account (a bucket or a role named
 * after the account) every account gets its own set. When users in several accounts would get the same permission
 * set if their customer managed policies were referenced by name (Identity Center resolves a reference in each
 * account it is provisioned to), they get that one set instead; parity is still checked in each user's account.
 */
import { type Bundle, buildBundle } from './permission-sets-bundle.js';
import type { UserPolicies } from './permission-sets-sources.js';
import type { PlanSettings } from './plan-settings.js';

/** A migrating user's reduced policies, by `accountId/userName` key. */
export type BundleSubject = { key: string; accountId: string; policies: UserPolicies };

/** The bundle of each subject (equal bundles are the same object), sharing sets across accounts where it can. */
export function chooseBundles(subjects: BundleSubject[], settings: PlanSettings): Map<string, Bundle> {
  const merged = bundleCache(settings);
  const byReference = bundleCache({ ...settings, customerManagedPolicies: 'reference' });
  const out = new Map<string, Bundle>();
  const candidates = new Map<string, { bundle: Bundle; subjects: BundleSubject[]; merged: Set<string> }>();
  for (const s of subjects) {
    const own = merged(s.policies);
    out.set(s.key, own);
    if (settings.customerManagedPolicies === 'reference') continue;
    if (!s.policies.sources.some((p) => p.kind === 'customer-managed' && p.document !== null)) continue;
    const shared = byReference(s.policies);
    const entry = candidates.get(shared.key) ?? { bundle: shared, subjects: [], merged: new Set<string>() };
    entry.subjects.push(s);
    entry.merged.add(own.key);
    candidates.set(shared.key, entry);
  }
  for (const { bundle, subjects: users, merged: keys } of candidates.values()) {
    const accounts = new Set(users.map((u) => u.accountId));
    // Only when referencing by name saves sets: the merged documents differ, and only between accounts.
    if (keys.size < 2 || accounts.size < 2) continue;
    const names = bundle.customerManagedPolicies.map((p) => `${p.path}${p.name}`).join(', ');
    bundle.notes.push(
      `customer managed ${names} referenced by name (the same name in each of ${accounts.size} accounts, documents differ): one permission set instead of ${keys.size}`,
    );
    for (const u of users) out.set(u.key, bundle);
  }
  return out;
}

/** Builds bundles with `settings`, one object per distinct set of sources. */
function bundleCache(settings: PlanSettings): (policies: UserPolicies) => Bundle {
  const cache = new Map<string, Bundle>();
  return (p) => {
    const signature = JSON.stringify([p.sources.map((x) => [x.kind, x.id, x.via, x.document]), p.boundary]);
    let bundle = cache.get(signature);
    if (!bundle) {
      bundle = buildBundle(p, settings);
      cache.set(signature, bundle);
    }
    return bundle;
  };
}
