/**
 * What changed between two plans, matched on stable ids (permission set and group keys, account and user
 * name), as `{ create, update, delete, unchanged }` per kind and as `+ ~ -` lines for people.
 */
import type { MigrationPlan } from './plan-types.js';

/** Changes of one kind of entry. */
export type EntryDiff = { create: string[]; update: string[]; delete: string[]; unchanged: number };

export type PlanDiff = { permissionSets: EntryDiff; groups: EntryDiff; users: EntryDiff; serviceAccounts: EntryDiff };

/** Diffs `before` (null: no previous plan) against `after`. */
export function diffPlans(before: MigrationPlan | null, after: MigrationPlan): PlanDiff {
  const b = before ?? { permissionSets: [], groups: [], users: [], serviceAccounts: [] };
  return {
    permissionSets: diffBy(
      b.permissionSets,
      after.permissionSets,
      (p) => p.key,
      (p) => p.name,
    ),
    groups: diffBy(
      b.groups,
      after.groups,
      (g) => g.key,
      (g) => g.name,
    ),
    users: diffBy(
      b.users,
      after.users,
      (u) => `${u.accountId}/${u.userName}`,
      (u) => `${u.accountId}/${u.userName}`,
    ),
    serviceAccounts: diffBy(
      b.serviceAccounts,
      after.serviceAccounts,
      (s) => `${s.accountId}/${s.userName}`,
      (s) => `${s.accountId}/${s.userName}`,
    ),
  };
}

function diffBy<T>(before: T[], after: T[], id: (t: T) => string, label: (t: T) => string): EntryDiff {
  const old = new Map(before.map((t) => [id(t), t]));
  const out: EntryDiff = { create: [], update: [], delete: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const t of after) {
    const key = id(t);
    seen.add(key);
    const prev = old.get(key);
    if (!prev) out.create.push(label(t));
    else if (JSON.stringify(prev) !== JSON.stringify(t)) out.update.push(label(t));
    else out.unchanged++;
  }
  for (const [key, t] of old) if (!seen.has(key)) out.delete.push(label(t));
  return out;
}

/** Human-readable lines: `+ permission set X`, `~ user a/b`, `- group Y`, and a count line. */
export function describeDiff(diff: PlanDiff): string[] {
  const lines: string[] = [];
  const kinds: [keyof PlanDiff, string][] = [
    ['permissionSets', 'permission set'],
    ['groups', 'group'],
    ['users', 'user'],
    ['serviceAccounts', 'service account'],
  ];
  for (const [k, word] of kinds) {
    for (const x of diff[k].create) lines.push(`+ ${word} ${x}`);
    for (const x of diff[k].update) lines.push(`~ ${word} ${x}`);
    for (const x of diff[k].delete) lines.push(`- ${word} ${x}`);
  }
  const count = (f: 'create' | 'update' | 'delete') => kinds.reduce((n, [k]) => n + diff[k][f].length, 0);
  lines.push(`${count('create')} to add, ${count('update')} to change, ${count('delete')} to remove`);
  return lines;
}
