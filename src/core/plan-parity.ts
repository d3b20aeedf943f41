/**
 * Parity for every migrating user: each user's access today and each permission set's access (per account,
 * since customer managed references resolve in the account), compiled once and cached by content, so
 * thousands of users with the same policies cost one comparison.
 */
import type { AccountSnapshot } from './model.js';
import { compareAccess } from './parity.js';
import type { ManagedPolicyDocuments, UserPolicies } from './permission-sets-sources.js';
import type { PermissionsBoundaryRef, PlannedPermissionSet, UserParity } from './plan-types.js';
import { type Access, accessOf, type SourcedPolicy } from './policy/access.js';
import type { CompiledPolicy, PolicyCompiler } from './policy/compile.js';

/** Computes parity for users, caching accesses and results. */
export type ParityEngine = {
  parityOf(
    policies: UserPolicies,
    sets: PlannedPermissionSet[],
    account: AccountSnapshot,
  ): Omit<UserParity, 'acknowledged'>;
};

/** A parity engine over one compiler and managed-policy lookup. */
export function createParityEngine(compiler: PolicyCompiler, lookup: ManagedPolicyDocuments): ParityEngine {
  const setAccess = new Map<string, { access: Access; missing: string[] }>();
  const results = new Map<string, Omit<UserParity, 'acknowledged'>>();
  const catalog = compiler.expander.catalog;

  const beforeOf = (policies: UserPolicies) => {
    const missing: string[] = [];
    const sourced: SourcedPolicy[] = [];
    for (const s of policies.sources) {
      if (s.document === null) missing.push(`${s.id} (${s.via}): document not available, its access was not compared`);
      else
        sourced.push({
          label: s.via === 'user' ? s.name : `${s.name} via ${s.via}`,
          policy: compiler.compile(s.document),
        });
    }
    const boundary = policies.boundary?.document ? compiler.compile(policies.boundary.document) : null;
    if (policies.boundary && !boundary) missing.push('permissions boundary document not available');
    const signature = [...sourced.map((s) => s.policy.hash), '|', boundary?.hash ?? '-', ...missing].join(',');
    return { sourced, boundary, missing, signature };
  };

  const afterOf = (ps: PlannedPermissionSet, account: AccountSnapshot) => {
    const local =
      ps.customerManagedPolicies.length > 0 ||
      (ps.permissionsBoundary && 'customerManagedPolicy' in ps.permissionsBoundary);
    const cacheKey = local ? `${ps.key}@${account.accountId}` : ps.key;
    let hit = setAccess.get(cacheKey);
    if (!hit) {
      const missing: string[] = [];
      const sourced: SourcedPolicy[] = [];
      for (const arn of ps.managedPolicies) {
        const doc = account.policies.find((p) => p.arn === arn)?.document ?? lookup(arn);
        if (doc)
          sourced.push({ label: `${ps.name}/${arn.slice(arn.lastIndexOf('/') + 1)}`, policy: compiler.compile(doc) });
        else missing.push(`${arn} in ${ps.name}: document not available, its access was not compared`);
      }
      for (const ref of ps.customerManagedPolicies) {
        const doc = account.policies.find((p) => p.name === ref.name && p.path === ref.path)?.document;
        if (doc) sourced.push({ label: `${ps.name}/${ref.name}`, policy: compiler.compile(doc) });
        else
          missing.push(
            `customer managed policy ${ref.path}${ref.name} of ${ps.name} does not exist in ${account.accountId}`,
          );
      }
      if (ps.inlinePolicy) sourced.push({ label: `${ps.name}/inline`, policy: compiler.compile(ps.inlinePolicy) });
      const boundary = boundaryDoc(ps.permissionsBoundary, account, lookup);
      const compiledBoundary: CompiledPolicy | null = boundary ? compiler.compile(boundary) : null;
      hit = { access: accessOf(sourced, compiledBoundary, catalog.size), missing };
      setAccess.set(cacheKey, hit);
    }
    return { hit, cacheKey };
  };

  return {
    parityOf(policies, sets, account) {
      const before = beforeOf(policies);
      const afters = sets.map((ps) => afterOf(ps, account));
      const key = `${before.signature}#${afters.map((a) => a.cacheKey).join(',')}`;
      let result = results.get(key);
      if (!result) {
        const beforeAccess = accessOf(before.sourced, before.boundary, catalog.size);
        const compared = compareAccess(
          beforeAccess,
          afters.map((a) => a.hit.access),
          catalog,
        );
        result = {
          ...compared,
          needsReview: [...compared.needsReview, ...before.missing, ...afters.flatMap((a) => a.hit.missing)],
        };
        results.set(key, result);
      }
      return result;
    },
  };
}

function boundaryDoc(
  ref: PermissionsBoundaryRef | null,
  account: AccountSnapshot,
  lookup: ManagedPolicyDocuments,
): string | null {
  if (!ref) return null;
  if ('managedPolicyArn' in ref)
    return account.policies.find((p) => p.arn === ref.managedPolicyArn)?.document ?? lookup(ref.managedPolicyArn);
  const { name, path } = ref.customerManagedPolicy;
  return account.policies.find((p) => p.name === name && p.path === path)?.document ?? null;
}
