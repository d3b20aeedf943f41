/**
 * The fingerprint of the live state a plan was made from: per account, a hash of exactly what the plan depends
 * on (users, their policies, groups, tags, credentials that decide categories). Apply recomputes it from a
 * fresh audit and refuses a plan whose accounts have changed since.
 */
import type { AccountSnapshot, AuditSnapshot } from './model.js';
import type { PlanFingerprint } from './plan-types.js';
import { hashText } from './policy/compile.js';

/** The content hash of one account's plan-relevant state. */
export function fingerprintAccount(account: AccountSnapshot): string {
  const users = [...account.users]
    .sort((a, b) => (a.userName < b.userName ? -1 : 1))
    .map((u) => [
      u.userName,
      u.userId,
      u.attachedPolicies.map((p) => p.arn).sort(),
      u.inlinePolicies.map((p) => [p.name, p.document]).sort(),
      [...u.groups].sort(),
      u.permissionsBoundary,
      Object.entries(u.tags).sort(),
      u.consoleEnabled,
      u.accessKeys
        .filter((k) => k.status === 'Active')
        .map((k) => k.id)
        .sort(),
    ]);
  const groups = [...account.groups]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((g) => [
      g.name,
      g.attachedPolicies.map((p) => p.arn).sort(),
      g.inlinePolicies.map((p) => [p.name, p.document]).sort(),
    ]);
  const policies = [...account.policies]
    .sort((a, b) => (a.arn < b.arn ? -1 : 1))
    .map((p) => [p.arn, p.defaultVersionId, hashText(p.document)]);
  return hashText(JSON.stringify([account.accountId, account.alias, account.name, users, groups, policies]), 32);
}

/** The fingerprint of a snapshot (unreachable accounts are left out: nothing is planned for them). */
export function fingerprintSnapshot(snapshot: AuditSnapshot): PlanFingerprint {
  return {
    runId: snapshot.runId,
    takenAt: snapshot.takenAt,
    accounts: snapshot.accounts
      .filter((a) => a.status !== 'unreachable')
      .map((a) => ({ accountId: a.accountId, hash: fingerprintAccount(a) }))
      .sort((a, b) => (a.accountId < b.accountId ? -1 : 1)),
  };
}

/** Accounts whose state differs from the plan's fingerprint (changed, added, or gone). */
export function staleAccounts(plan: PlanFingerprint, live: PlanFingerprint): string[] {
  const now = new Map(live.accounts.map((a) => [a.accountId, a.hash]));
  const then = new Map(plan.accounts.map((a) => [a.accountId, a.hash]));
  const ids = new Set([...now.keys(), ...then.keys()]);
  return [...ids].filter((id) => now.get(id) !== then.get(id)).sort();
}
