/**
 * Merging several policy documents into one minified inline policy: statements without Sids, exact
 * duplicates dropped, statements that differ only by actions combined, actions covered by a wildcard in the
 * same statement dropped. The result allows and denies exactly what the documents did together.
 */
import { type PolicyProblem, parsePolicyDocument, type Statement, sortedUnique } from './document.js';
import { globMatches } from './expand.js';

/** Merged statements of many documents, and any problems met while parsing them. */
export type MergedPolicy = { statements: Statement[]; problems: (PolicyProblem & { source: string })[] };

/** Merges the documents (JSON text) into the fewest equivalent statements. */
export function mergePolicies(documents: { source: string; document: string }[]): MergedPolicy {
  const problems: MergedPolicy['problems'] = [];
  const all: Statement[] = [];
  for (const { source, document } of documents) {
    const parsed = parsePolicyDocument(document);
    for (const p of parsed.problems) problems.push({ ...p, source });
    all.push(...parsed.statements);
  }
  return { statements: mergeStatements(all), problems };
}

/** Combines statements sharing effect, resources and condition; keeps NotAction statements as they are. */
export function mergeStatements(statements: Statement[]): Statement[] {
  const byShape = new Map<string, Statement>();
  const kept: Statement[] = [];
  const seen = new Set<string>();
  for (const raw of statements) {
    const s: Statement = { ...raw, sid: null };
    if (s.notActions) {
      const key = JSON.stringify([s.effect, sortedUnique(s.notActions), shapeKey(s)]);
      if (!seen.has(key)) {
        seen.add(key);
        kept.push({ ...s, notActions: sortedUnique(s.notActions) });
      }
      continue;
    }
    const shape = JSON.stringify([s.effect, shapeKey(s)]);
    const existing = byShape.get(shape);
    if (existing) existing.actions = [...(existing.actions ?? []), ...(s.actions ?? [])];
    else {
      const copy: Statement = {
        ...s,
        actions: [...(s.actions ?? [])],
        resources: s.resources ? sortedUnique(s.resources) : null,
        notResources: s.notResources ? sortedUnique(s.notResources) : null,
      };
      byShape.set(shape, copy);
      kept.push(copy);
    }
  }
  for (const s of kept) if (s.actions) s.actions = minifyActions(s.actions);
  return kept;
}

function shapeKey(s: Statement): string {
  return JSON.stringify([
    s.resources ? sortedUnique(s.resources) : null,
    s.notResources ? sortedUnique(s.notResources) : null,
    s.condition,
  ]);
}

/** Drops duplicate actions (case-insensitively) and actions matched by a wildcard in the same list. */
export function minifyActions(actions: string[]): string[] {
  const unique = new Map<string, string>();
  for (const a of actions) if (!unique.has(a.toLowerCase())) unique.set(a.toLowerCase(), a);
  const list = [...unique.values()];
  if (list.some((a) => a === '*')) return ['*'];
  const wildcards = list.filter((a) => /[*?]/.test(a));
  const out = list.filter((a) => !wildcards.some((w) => w !== a && globMatches(w, a)));
  return out.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
}
