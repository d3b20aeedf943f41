/**
 * The results of commands that read the live clouds, kept for the dashboard: the last pending diff of each plan
 * file and the last explain chain of each person. Each save replaces the previous one.
 */
import { resolve } from 'node:path';
import type { Explanation } from '../explain/chain.js';
import type { StateDb } from './db.js';

/** The last pending diff computed for a plan file. */
export type PendingDiff = {
  planPath: string;
  planHash: string;
  command: string;
  computedAt: string;
  lines: string[];
  skipped: { item: string; reason: string }[];
  summary: string;
};

/** An explanation and when it was computed. */
export type StoredExplanation = { computedAt: string; explanation: Explanation };

function hasTable(db: StateDb, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Saves the pending diff of a plan file (its path made absolute), replacing the previous one. */
export function savePendingDiff(db: StateDb, diff: PendingDiff): void {
  db.prepare(
    `INSERT OR REPLACE INTO pending_diffs (plan_path, plan_hash, command, computed_at, lines_json, skipped_json, summary)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    resolve(diff.planPath),
    diff.planHash,
    diff.command,
    diff.computedAt,
    JSON.stringify(diff.lines),
    JSON.stringify(diff.skipped),
    diff.summary,
  );
}

/** The last pending diff of a plan file, or null (none computed, or a database older than the table). */
export function loadPendingDiff(db: StateDb, planPath: string): PendingDiff | null {
  if (!hasTable(db, 'pending_diffs')) return null;
  const row = db.prepare('SELECT * FROM pending_diffs WHERE plan_path = ?').get(resolve(planPath)) as
    | Record<string, string>
    | undefined;
  if (!row) return null;
  return {
    planPath: row.plan_path,
    planHash: row.plan_hash,
    command: row.command,
    computedAt: row.computed_at,
    lines: JSON.parse(row.lines_json) as string[],
    skipped: JSON.parse(row.skipped_json) as PendingDiff['skipped'],
    summary: row.summary,
  };
}

/** Saves a person's explain chain, replacing the previous one. */
export function saveExplanation(db: StateDb, explanation: Explanation, computedAt: Date): void {
  db.prepare('INSERT OR REPLACE INTO explain_results (upn, computed_at, ok, explanation_json) VALUES (?, ?, ?, ?)').run(
    explanation.upn.toLowerCase(),
    computedAt.toISOString(),
    explanation.ok ? 1 : 0,
    JSON.stringify(explanation),
  );
}

/** A person's last explain chain, by UPN (any case), or null. */
export function loadExplanation(db: StateDb, upn: string): StoredExplanation | null {
  if (!hasTable(db, 'explain_results')) return null;
  const row = db
    .prepare('SELECT computed_at, explanation_json FROM explain_results WHERE upn = ?')
    .get(upn.toLowerCase()) as { computed_at: string; explanation_json: string } | undefined;
  return row ? { computedAt: row.computed_at, explanation: JSON.parse(row.explanation_json) as Explanation } : null;
}
