/**
 * The mass-change guard of `entra harden --pim`: turning standing admin members into eligible ones removes their
 * standing membership, and dropping members from the plan removes the eligibilities the tool made. More than
 * max(5, 10%) of either in one run is refused without `--allow-mass-delete` (a plan file whose privileged groups or
 * members went wrong must not take everyone's admin access at once). Pure.
 */
import type { PimGroupLive } from './harden-plan.js';
import type { Change } from './reconcile/changes.js';
import { findMassChanges, type MassChange } from './reconcile/guard.js';

/** The removals of a harden run that pass the threshold (empty when the run may go on). */
export function hardenMassChanges(changes: Change[], live: Map<string, PimGroupLive>): MassChange[] {
  const count = (kind: Change['kind']) => changes.filter((c) => c.kind === kind).length;
  const groups = [...live.values()];
  return findMassChanges([
    {
      kind: 'standing admin memberships',
      removals: count('entra.member.remove'),
      owned: groups.reduce((n, g) => n + g.standing.size, 0),
    },
    {
      kind: 'PIM eligibilities',
      removals: count('entra.pim.eligible.remove'),
      owned: groups.reduce((n, g) => n + g.ownedEligible.size, 0),
    },
  ]);
}

/** The refusal people read: what would be removed, why it stops, and how to go on. */
export function describeHardenMass(found: MassChange[]): string {
  const parts = found.map((f) => `${f.removals} of ${f.owned} ${f.kind} (at most ${f.threshold} in one run)`);
  return (
    `refusing to remove ${parts.join(' and ')}: check the privileged groups and their members in the plan ` +
    '(privilegedAccess: and groups:), then run again with --allow-mass-delete. Each standing member removed is made ' +
    'eligible first, so they can still activate.'
  );
}
