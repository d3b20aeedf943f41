/**
 * Identity Center's SCIM filter subset: `attr eq "value"` clauses joined by `and`. Every other operator,
 * `or`, `not`, grouping and value paths are refused with a ValidationException, as AWS does.
 */
import { validation } from './scim-errors.js';

export type FilterClause = { attribute: string; value: string };

const CLAUSE = /^\s*([A-Za-z][\w.:-]*)\s+([A-Za-z]{2})\s+("(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*/;

/** Parses a filter into its clauses; throws a 400 for anything outside AWS's subset. */
export function parseFilter(filter: string): FilterClause[] {
  const clauses: FilterClause[] = [];
  let rest = filter.trim();
  if (!rest) throw validation();
  for (;;) {
    const m = CLAUSE.exec(rest);
    if (!m) throw validation();
    if (m[2].toLowerCase() !== 'eq') throw validation(`Unsupported filter operator: ${m[2]}. Only eq is supported.`);
    const raw = m[3];
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    clauses.push({ attribute: m[1], value });
    rest = rest.slice(m[0].length);
    if (!rest) return clauses;
    const join = /^(and)\s+/i.exec(rest);
    if (!join) throw validation(`Unsupported filter: only eq clauses joined by and are supported.`);
    rest = rest.slice(join[0].length);
  }
}

/** Throws unless the clauses name exactly one of the allowed attribute combinations (case-insensitive). */
export function requireCombination(clauses: FilterClause[], allowed: string[][]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const c of clauses) {
    const key = c.attribute.toLowerCase();
    if (byName.has(key)) throw validation();
    byName.set(key, c.value);
  }
  const names = [...byName.keys()].sort().join(',');
  const ok = allowed.some(
    (combo) =>
      combo
        .map((a) => a.toLowerCase())
        .sort()
        .join(',') === names,
  );
  if (!ok) throw validation(`Unsupported filter attribute combination: ${clauses.map((c) => c.attribute).join(', ')}`);
  return byName;
}
