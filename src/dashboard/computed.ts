/**
 * The results of live-cloud commands the dashboard shows, read from the state database with how fresh they are:
 * the plan's pending diff and a person's explain chain.
 */
import { type Freshness, freshnessOf } from '../core/dashboard-freshness.js';
import type { MigrationPlan } from '../core/plan-types.js';
import { contentHash } from '../core/reconcile/desired.js';
import { loadExplanation, loadPendingDiff, type PendingDiff, type StoredExplanation } from '../store/computed-repo.js';
import type { StateDb } from '../store/db.js';

/** A stored result and its freshness. */
export type Kept<T> = { value: T; freshness: Freshness };

function lastAuditAt(db: StateDb): string | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_runs'").get();
  if (!table) return null;
  const row = db.prepare('SELECT MAX(taken_at) AS at FROM audit_runs').get() as { at: string | null } | undefined;
  return row?.at ?? null;
}

/** The pending diff last computed for the plan file, or null. */
export function readPendingDiff(db: StateDb, planPath: string, plan: MigrationPlan | null): Kept<PendingDiff> | null {
  const value = loadPendingDiff(db, planPath);
  if (!value) return null;
  const changed = plan !== null && contentHash(plan) !== value.planHash;
  return { value, freshness: freshnessOf(value.computedAt, lastAuditAt(db), changed) };
}

/** The explain chain last computed for a person, or null. */
export function readExplanation(db: StateDb, upn: string | null | undefined): Kept<StoredExplanation> | null {
  if (!upn) return null;
  const value = loadExplanation(db, upn);
  return value ? { value, freshness: freshnessOf(value.computedAt, lastAuditAt(db)) } : null;
}
