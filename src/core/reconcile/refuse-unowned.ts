/**
 * Planned objects whose name is taken by an object the tool does not own are refused, with what to do, and the rest
 * of the plan goes on: a permission set (never rewritten, whoever is assigned to it), an Entra or Identity Store group
 * (never given members or our permission sets, whose members we do not know). Pure.
 */
import type { LiveApplyState } from './apply-diff.js';
import { type Change, describeChange } from './changes.js';
import type { DesiredState, Skipped } from './desired.js';

const lower = (s: string) => s.toLowerCase();

/** The plan's target without what collides with unowned objects, and the refusals. */
export function refuseUnowned(
  desired: DesiredState,
  live: LiveApplyState,
): { desired: DesiredState; refused: Skipped[] } {
  const refused: Skipped[] = [];
  const takenSets = new Set(live.permissionSets.filter((p) => !p.managedByTool).map((p) => p.name));
  const takenEntra = new Set(live.groups.filter((g) => !g.managedByTool).map((g) => lower(g.name)));
  const takenStore = new Set(live.store.groups.filter((g) => !g.managedByTool).map((g) => lower(g.name)));
  const badSets = new Set<string>();
  const badGroups = new Set<string>();
  for (const p of desired.permissionSets)
    if (takenSets.has(p.name)) {
      badSets.add(p.name);
      refused.push({
        item: `permission set ${p.name}`,
        reason: `permission set ${p.name} exists and is not managed by iam2sso: rename it in the plan, or adopt it with an \`adopt:\` entry in the plan file ({kind: permission-set, name: ${p.name}})`,
      });
    }
  for (const g of desired.groups) {
    const where = takenEntra.has(lower(g.name)) ? 'Entra' : takenStore.has(lower(g.name)) ? 'Identity Store' : null;
    if (!where) continue;
    badGroups.add(lower(g.name));
    const kind = where === 'Entra' ? 'entra-group' : 'store-group';
    refused.push({
      item: `group ${g.name}`,
      reason: `${where} group ${g.name} exists and is not managed by iam2sso: rename it in the plan, or adopt it with an \`adopt:\` entry in the plan file ({kind: ${kind}, name: ${g.name}})`,
    });
  }
  for (const a of desired.assignments)
    if (badSets.has(a.permissionSet) || badGroups.has(lower(a.group)))
      refused.push({
        item: `assignment ${a.accountId} ${a.permissionSet} -> ${a.group}`,
        reason: `its ${badSets.has(a.permissionSet) ? 'permission set' : 'group'} is not managed by iam2sso`,
      });
  return {
    desired: {
      ...desired,
      permissionSets: desired.permissionSets.filter((p) => !badSets.has(p.name)),
      groups: desired.groups.filter((g) => !badGroups.has(lower(g.name))),
      assignments: desired.assignments.filter((a) => !badSets.has(a.permissionSet) && !badGroups.has(lower(a.group))),
    },
    refused,
  };
}

/**
 * While a planned permission set or group is refused, the deletes of its kind wait: the refused one may be what
 * replaces them (a rename onto a name someone else holds must not delete the old group).
 */
export function holdDeletesWhileRefused(changes: Change[], refused: Skipped[]): { changes: Change[]; held: Skipped[] } {
  const sets = refused.some((r) => r.item.startsWith('permission set '));
  const groups = refused.some((r) => r.item.startsWith('group '));
  if (!sets && !groups) return { changes, held: [] };
  const hold = (c: Change) =>
    (c.kind === 'assignment.delete' && (sets || groups)) ||
    (c.kind === 'ps.delete' && sets) ||
    ((c.kind === 'entra.group.delete' || c.kind === 'store.group.delete') && groups);
  return {
    changes: changes.filter((c) => !hold(c)),
    held: changes.filter(hold).map((c) => ({
      item: describeChange(c).slice(2),
      reason: 'held: a planned object was refused (see above), and it may be what replaces this one',
    })),
  };
}
