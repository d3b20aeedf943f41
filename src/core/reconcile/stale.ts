/**
 * Says what moved between the audit a plan was made from and a fresh read of the same accounts: accounts
 * whose fingerprint changed, and inside them the users added, removed or changed (policies, groups, boundary,
 * tags, console access, active keys) and groups or policies that changed. Pure.
 */
import type { AccountSnapshot, AuditSnapshot } from '../model.js';
import { staleAccounts } from '../plan-fingerprint.js';
import type { PlanFingerprint } from '../plan-types.js';
import { stableJson } from './desired.js';

function userFacts(u: AccountSnapshot['users'][number]): Record<string, string> {
  return {
    policies: stableJson(u.attachedPolicies.map((p) => p.arn).sort()),
    'inline policies': stableJson(u.inlinePolicies.map((p) => [p.name, p.document]).sort()),
    groups: stableJson([...u.groups].sort()),
    'permissions boundary': stableJson(u.permissionsBoundary ?? null),
    tags: stableJson(Object.entries(u.tags).sort()),
    'console access': String(u.consoleEnabled),
    'active access keys': stableJson(
      u.accessKeys
        .filter((k) => k.status === 'Active')
        .map((k) => k.id)
        .sort(),
    ),
  };
}

function describeAccount(before: AccountSnapshot | undefined, after: AccountSnapshot | undefined): string[] {
  if (!before) return ['the account is new since the plan'];
  if (after?.status !== 'ok') return [`the account cannot be read now${after?.error ? ` (${after.error})` : ''}`];
  const lines: string[] = [];
  const old = new Map(before.users.map((u) => [u.userName, u]));
  const now = new Map(after.users.map((u) => [u.userName, u]));
  for (const name of now.keys()) if (!old.has(name)) lines.push(`user ${name} was added`);
  for (const name of old.keys()) if (!now.has(name)) lines.push(`user ${name} was removed`);
  for (const [name, u] of now) {
    const prev = old.get(name);
    if (!prev) continue;
    const a = userFacts(prev);
    const b = userFacts(u);
    const moved = Object.keys(a).filter((k) => a[k] !== b[k]);
    if (moved.length) lines.push(`user ${name}: ${moved.join(', ')} changed`);
  }
  const groups = (s: AccountSnapshot) =>
    new Map(s.groups.map((g) => [g.name, stableJson([g.attachedPolicies.map((p) => p.arn).sort(), g.inlinePolicies])]));
  const g0 = groups(before);
  const g1 = groups(after);
  for (const [name, v] of g1)
    if (g0.get(name) !== v) lines.push(`group ${name} ${g0.has(name) ? 'changed' : 'was added'}`);
  for (const name of g0.keys()) if (!g1.has(name)) lines.push(`group ${name} was removed`);
  const docs = (s: AccountSnapshot) => new Map(s.policies.map((p) => [p.arn, `${p.defaultVersionId}`]));
  const p0 = docs(before);
  const p1 = docs(after);
  for (const [arn, v] of p1)
    if (p0.has(arn) && p0.get(arn) !== v) lines.push(`policy ${arn} has a new default version`);
  if (lines.length === 0) lines.push('account settings (name, alias or policies) changed');
  return lines;
}

/**
 * What moved since the plan, per stale account; empty when the plan is current. `planned` is the snapshot the
 * plan was made from when the state database still has it (then the lines say which users changed).
 */
export function describeStalePlan(
  fingerprint: PlanFingerprint,
  fresh: PlanFingerprint,
  planned: AuditSnapshot | null,
  current: AuditSnapshot,
): { accountId: string; moved: string[] }[] {
  return staleAccounts(fingerprint, fresh).map((accountId) => {
    const after = current.accounts.find((a) => a.accountId === accountId);
    if (!planned)
      return { accountId, moved: ['its IAM users, groups or policies changed since the audit the plan was made from'] };
    return {
      accountId,
      moved: describeAccount(
        planned.accounts.find((a) => a.accountId === accountId),
        after,
      ),
    };
  });
}
