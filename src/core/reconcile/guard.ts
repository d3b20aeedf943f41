/**
 * The mass-change guard: a run that would delete or deactivate more than a threshold of the objects the tool owns
 * of one kind (10% of them, at least 5) is refused unless the person asks for it, so an empty or broken source can
 * never turn into "everyone left". Pure.
 */

/** Removals of one kind against what the tool owns of it. */
export type RemovalCount = { kind: string; removals: number; owned: number };

/** A kind whose removals pass the threshold, with the threshold. */
export type MassChange = RemovalCount & { threshold: number };

/** The most removals of a kind allowed without `--allow-mass-delete`: max(5, 10% of the owned objects). */
export function massThreshold(owned: number): number {
  return Math.max(5, Math.floor(owned * 0.1));
}

/** The kinds whose removals pass the threshold (empty when the run may go on). */
export function findMassChanges(counts: RemovalCount[]): MassChange[] {
  return counts.map((c) => ({ ...c, threshold: massThreshold(c.owned) })).filter((c) => c.removals > c.threshold);
}

/** The refusal people read: what the run would do, and how to go on. */
export function describeMassChanges(found: MassChange[]): string {
  const parts = found.map(
    (f) => `${f.removals} ${f.kind} (of ${f.owned} owned; at most ${f.threshold} without the flag)`,
  );
  return `refusing to delete or deactivate ${parts.join(', ')}: check the source is complete, then run again with --allow-mass-delete`;
}
