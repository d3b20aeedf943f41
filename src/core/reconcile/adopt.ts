/**
 * Explicit adoption checked against the live state: each `adopt:` entry must name exactly one existing object that
 * the tool does not own yet. The valid entries become `object.adopt` changes (their own diff lines); an object already
 * adopted is left as it is; anything else is a problem at the entry's path, reported with the file's line. Pure.
 */
import { adoptionLabel, adoptionRef, type PlannedAdoption } from '../plan-adopt.js';
import type { AdoptChange } from './adopt-changes.js';
import type { ObjectRef } from './changes.js';

/** What exists, as the live read saw it (every object of each kind, not only the planned ones). */
export type AdoptionInventory = {
  permissionSets: { name: string; id: string }[];
  entraGroups: { name: string; id: string }[];
  storeGroups: { name: string; id: string }[];
  storeUsers: { name: string; id: string }[];
  /** Assignments to groups of the permission sets the plan names. */
  assignments: { accountId: string; permissionSet: string; group: string }[];
};

/** How an object came to be owned, or null. */
export type OriginOf = (ref: ObjectRef) => 'created' | 'adopted' | null;

/** A problem with one entry, at its path in the plan document. */
export type AdoptionProblem = { path: (string | number)[]; message: string };

const lower = (s: string) => s.toLowerCase();

function candidates(a: PlannedAdoption, inv: AdoptionInventory): { id: string | null; name: string }[] {
  switch (a.kind) {
    case 'permission-set':
      return inv.permissionSets.filter((p) => p.name === a.name);
    case 'entra-group':
      return inv.entraGroups.filter((g) => lower(g.name) === lower(a.name));
    case 'store-group':
      return inv.storeGroups.filter((g) => lower(g.name) === lower(a.name));
    case 'store-user':
      return inv.storeUsers.filter((u) => lower(u.name) === lower(a.name));
    case 'assignment':
      return inv.assignments
        .filter(
          (x) =>
            x.accountId === a.accountId && x.permissionSet === a.permissionSet && lower(x.group) === lower(a.group),
        )
        .map(() => ({ id: null, name: adoptionLabel(a) }));
  }
}

function unknownMessage(a: PlannedAdoption, inv: AdoptionInventory): string {
  const where = a.kind === 'entra-group' ? 'in Entra' : a.kind === 'permission-set' ? 'in Identity Center' : '';
  const base = `no ${adoptionLabel(a)} exists${where ? ` ${where}` : ''}`;
  if (a.kind === 'permission-set') {
    const near = inv.permissionSets.find((p) => lower(p.name) === lower(a.name));
    if (near) return `${base} (names are case-sensitive: did you mean ${near.name}?)`;
  }
  if (a.kind === 'assignment')
    return `${base}: adopt only an assignment Identity Center has (to a group; check account, permission set and group)`;
  return `${base}: check the name, or remove this entry`;
}

/** The adoption changes to make, and every problem (unknown object, ambiguous name, already the tool's). */
export function checkAdoptions(
  adopt: PlannedAdoption[],
  inventory: AdoptionInventory,
  originOf: OriginOf,
): { changes: AdoptChange[]; problems: AdoptionProblem[] } {
  const changes: AdoptChange[] = [];
  const problems: AdoptionProblem[] = [];
  for (const [i, a] of adopt.entries()) {
    const path = ['adopt', i];
    const found = candidates(a, inventory);
    const ref = adoptionRef(a);
    const origin = originOf(ref);
    if (found.length === 0) problems.push({ path, message: unknownMessage(a, inventory) });
    else if (found.length > 1)
      problems.push({
        path,
        message: `${found.length} objects match ${adoptionLabel(a)} (ids ${found.map((f) => f.id).join(', ')}): the name is ambiguous; rename all but one first, then adopt it`,
      });
    else if (origin === 'created')
      problems.push({
        path,
        message: `${adoptionLabel(a)} is already managed by iam2sso (it created it): remove this entry`,
      });
    else if (origin === null)
      changes.push({ kind: 'object.adopt', object: ref, objectId: found[0].id, label: adoptionLabel(a) });
  }
  return { changes, problems };
}

/** The ownership lookup with the plan's adoptions counted as adopted (what the live read compares with). */
export function withAdoptions<T extends { originOf: OriginOf }>(
  owned: T,
  adopt: PlannedAdoption[],
): { originOf: OriginOf } {
  const pending = new Set(
    adopt.map((a) => {
      const r = adoptionRef(a);
      return `${r.kind}\n${r.key}`;
    }),
  );
  return { originOf: (ref) => owned.originOf(ref) ?? (pending.has(`${ref.kind}\n${ref.key}`) ? 'adopted' : null) };
}
