/**
 * Explicit adoption in the plan file: existing objects a person names in `adopt:` so that `apply` manages them
 * from then on (makes them match the plan, may later delete them). Without an entry, an object holding a planned
 * name stays a conflict that apply refuses. Pure.
 */
import type { ObjectRef } from './reconcile/changes.js';

/** The kinds of object the plan file may adopt (the same names as `iam2sso adopt`). */
export const ADOPTABLE_KINDS = ['permission-set', 'assignment', 'entra-group', 'store-group', 'store-user'] as const;

/** One `adopt:` entry: a named object, or an account assignment of a permission set to an Identity Store group. */
export type PlannedAdoption =
  | { kind: 'permission-set' | 'entra-group' | 'store-group' | 'store-user'; name: string; reason?: string }
  | { kind: 'assignment'; accountId: string; permissionSet: string; group: string; reason?: string };

const lower = (s: string) => s.toLowerCase();

/** The ownership record an adoption makes (names lower-cased where the cloud compares them so). */
export function adoptionRef(a: PlannedAdoption): ObjectRef {
  if (a.kind === 'assignment')
    return { kind: 'assignment', key: `${a.accountId}|${a.permissionSet}|${lower(a.group)}` };
  return { kind: a.kind, key: a.kind === 'permission-set' ? a.name : lower(a.name) };
}

/** How an adoption reads in the diff and in messages. */
export function adoptionLabel(a: PlannedAdoption): string {
  switch (a.kind) {
    case 'assignment':
      return `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}`;
    case 'permission-set':
      return `permission set ${a.name}`;
    case 'entra-group':
      return `Entra group ${a.name}`;
    case 'store-group':
      return `Identity Store group ${a.name}`;
    case 'store-user':
      return `Identity Store user ${a.name}`;
  }
}
