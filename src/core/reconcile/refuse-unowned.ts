/**
 * Planned objects whose name is taken by an object the tool does not own are refused, with what to do, and the rest
 * of the plan goes on: a permission set (never rewritten, whoever is assigned to it), an Entra or Identity Store group
 * (never given members or our permission sets, whose members we do not know). Pure.
 */
import type { LiveApplyState } from './apply-diff.js';
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
        reason: `permission set ${p.name} exists and is not managed by iam2sso: rename it in the plan, or adopt it with \`iam2sso adopt permission-set ${p.name}\``,
      });
    }
  for (const g of desired.groups) {
    const where = takenEntra.has(lower(g.name)) ? 'Entra' : takenStore.has(lower(g.name)) ? 'Identity Store' : null;
    if (!where) continue;
    badGroups.add(lower(g.name));
    const kind = where === 'Entra' ? 'entra-group' : 'store-group';
    refused.push({
      item: `group ${g.name}`,
      reason: `${where} group ${g.name} exists and is not managed by iam2sso: rename it in the plan, or adopt it with \`iam2sso adopt ${kind} "${g.name}"\``,
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
