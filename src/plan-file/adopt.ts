/**
 * The file checks of the `adopt:` section: known kinds, the fields each kind needs, no object adopted twice, and
 * (strictly, for apply) an adopted permission set, group or assignment present in the plan, so that what apply makes
 * the adopted object become is written down and shown in the diff. Whether the object exists, is unique and is not
 * already the tool's is checked against the live state when apply reads it (see core/reconcile/adopt.ts).
 */
import { ADOPTABLE_KINDS, adoptionRef, type PlannedAdoption } from '../core/plan-adopt.js';
import { didYouMean } from './keys.js';
import { accountIdProblem } from './limits.js';

type Path = (string | number)[];
type Obj = Record<string, unknown>;
type Add = (path: Path, message: string) => void;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const lower = (s: string) => s.toLowerCase();
const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** Checks `raw.adopt`; `strict` also requires each adopted set, group and assignment to be in the plan. */
export function checkAdoptSection(raw: Obj, strict: boolean, add: Add): void {
  const value = raw.adopt;
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    add(['adopt'], 'adopt must be a list of {kind, name} entries');
    return;
  }
  const seen = new Map<string, number>();
  for (const [i, entry] of value.entries()) {
    const at = ['adopt', i];
    if (!isObj(entry)) {
      add(at, 'each adopt entry is a mapping: {kind, name} or {kind: assignment, accountId, permissionSet, group}');
      continue;
    }
    if (!ADOPTABLE_KINDS.includes(entry.kind as PlannedAdoption['kind'])) {
      const near = typeof entry.kind === 'string' ? didYouMean(entry.kind, [...ADOPTABLE_KINDS]) : null;
      add(
        [...at, 'kind'],
        `unknown kind ${JSON.stringify(entry.kind)}${near ? ` (did you mean "${near}"?)` : ''}: use one of ${ADOPTABLE_KINDS.join(', ')}`,
      );
      continue;
    }
    if (!fieldsPresent(entry, at, add)) continue;
    const ref = adoptionRef(entry as PlannedAdoption);
    const id = `${ref.kind}\n${ref.key}`;
    const first = seen.get(id);
    if (first !== undefined) {
      add(at, `adopted twice (also adopt[${first}]): keep one entry`);
      continue;
    }
    seen.set(id, i);
    if (strict) checkInPlan(raw, entry as PlannedAdoption, at, add);
  }
}

function fieldsPresent(entry: Obj, at: Path, add: Add): boolean {
  if (entry.kind !== 'assignment') {
    if (text(entry.name)) return true;
    add([...at, 'name'], `name is required: the ${entry.kind}'s name as the cloud shows it`);
    return false;
  }
  let ok = true;
  const problem = accountIdProblem(entry.accountId);
  if (problem) {
    add([...at, 'accountId'], problem);
    ok = false;
  }
  for (const field of ['permissionSet', 'group'])
    if (!text(entry[field])) {
      add([...at, field], `${field} is required for an adopted assignment`);
      ok = false;
    }
  return ok;
}

/** An adopted object must have its target in the plan: apply makes it match what the plan says. */
function checkInPlan(raw: Obj, a: PlannedAdoption, at: Path, add: Add): void {
  const sets = (Array.isArray(raw.permissionSets) ? raw.permissionSets : []).filter(isObj);
  const groups = (Array.isArray(raw.groups) ? raw.groups : []).filter(isObj);
  const group = (name: string) => groups.find((g) => typeof g.name === 'string' && lower(g.name) === lower(name));
  switch (a.kind) {
    case 'permission-set':
      if (!sets.some((p) => p.name === a.name))
        add(
          [...at, 'name'],
          `adopted permission set ${a.name} is not in permissionSets: add it there as it should be (apply makes the adopted set match it), or remove this entry`,
        );
      return;
    case 'entra-group':
    case 'store-group':
      if (!group(a.name))
        add(
          [...at, 'name'],
          `adopted group ${a.name} is not in groups: add it there with the members and assignments it should have, or remove this entry`,
        );
      return;
    case 'assignment': {
      const assignments = group(a.group)?.assignments;
      const planned =
        Array.isArray(assignments) &&
        assignments.some((x) => isObj(x) && x.accountId === a.accountId && x.permissionSet === a.permissionSet);
      if (!planned)
        add(
          at,
          `adopted assignment ${a.accountId} ${a.permissionSet} -> ${a.group} is not in groups[].assignments: add it to group ${a.group}, or remove this entry`,
        );
      return;
    }
    case 'store-user':
      return;
  }
}
