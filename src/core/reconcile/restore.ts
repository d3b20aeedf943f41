/**
 * What undoing a permission set's delete makes: the set itself, then everything the snapshot recorded before the
 * delete (AWS managed and customer managed policies, the inline policy, the permissions boundary, and its account
 * assignments), as typed changes the executor orders and journals one by one. Pure.
 */
import { type Change, changeId } from './changes.js';

/** The changes that restore a deleted permission set from its snapshot (none for a plain create). */
function restoreOf(c: Extract<Change, { kind: 'ps.create' }>): Change[] {
  const s = c.snapshot;
  if (!s) return [];
  const name = c.name;
  return [
    ...s.managedPolicies.map((policyArn): Change => ({ kind: 'ps.attach-managed', name, policyArn })),
    ...s.customerManagedPolicies.map((policy): Change => ({ kind: 'ps.attach-customer-managed', name, policy })),
    ...(s.inlinePolicy ? [{ kind: 'ps.put-inline', name, document: s.inlinePolicy, previous: null } as Change] : []),
    ...(s.permissionsBoundary
      ? [{ kind: 'ps.put-boundary', name, boundary: s.permissionsBoundary, previous: null } as Change]
      : []),
    ...(s.assignments ?? []).map(
      (a): Change => ({ kind: 'assignment.create', accountId: a.accountId, permissionSet: name, group: a.group }),
    ),
  ];
}

/** The undos with every restored permission set expanded, each change once. */
export function restoreChanges(undos: Change[]): Change[] {
  const out = new Map<string, Change>();
  for (const u of undos) {
    out.set(changeId(u), u);
    if (u.kind === 'ps.create') for (const r of restoreOf(u)) if (!out.has(changeId(r))) out.set(changeId(r), r);
  }
  return [...out.values()];
}
