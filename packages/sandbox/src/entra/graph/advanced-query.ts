/**
 * Graph's advanced query rules for directory objects (https://learn.microsoft.com/graph/aad-advanced-queries):
 * `$search` needs `ConsistencyLevel: eventual`; `ne`, `not` and `endsWith` in `$filter` need that header and
 * `$count=true`; `$orderby` works by default on the properties Graph indexes for it (users by displayName and
 * userPrincipalName, groups by displayName), and together with `$filter` only as an advanced query. The error
 * texts are the ones Graph returns, as quoted in its docs and in public client code that matches on them.
 */
import { type GraphRequest, graphError } from '../graph-types.js';
import type { CollectionSpec, GraphRecord } from './odata.js';

/** True when the request carries `ConsistencyLevel: eventual`. */
export function isEventual(request: GraphRequest): boolean {
  return String(request.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

/** `$count=true`, or the `/$count` segment itself. */
function countRequested(request: GraphRequest): boolean {
  return String(request.query.get('$count') ?? '').toLowerCase() === 'true' || request.path.endsWith('/$count');
}

/** Throws Graph's 400 when an advanced-only filter operator comes without the advanced query parameters. */
export function requireAdvancedFilter(request: GraphRequest, operator: string): void {
  if (!isEventual(request)) {
    throw graphError(
      400,
      'Request_UnsupportedQuery',
      `Operator '${operator}' is not supported because the 'ConsistencyLevel:eventual' header is missing.`,
    );
  }
  if (!countRequested(request)) {
    throw graphError(
      400,
      'Request_UnsupportedQuery',
      `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    );
  }
}

type SearchClause = { property: string; term: string };

/** Parses `"prop:term"` clauses joined by AND / OR (OR binds loosest, as in Graph). */
function parseSearch(input: string): SearchClause[][] {
  const groups: SearchClause[][] = [[]];
  for (const token of input.match(/"[^"]*"|\S+/g) ?? []) {
    if (token === 'OR') groups.push([]);
    else if (token !== 'AND') {
      const m = /^"([^":]+):([^"]*)"$/.exec(token);
      if (!m) throw badSearch(input);
      groups[groups.length - 1].push({ property: m[1], term: m[2].toLowerCase() });
    }
  }
  if (groups.some((g) => g.length === 0)) throw badSearch(input);
  return groups;
}

function badSearch(input: string): ReturnType<typeof graphError> {
  return graphError(400, 'Request_UnsupportedQuery', `Syntax error: invalid $search query '${input}'.`);
}

/** Graph's tokenized search: a term matches the start of the value or of any word in it. */
function tokenMatch(value: unknown, term: string): boolean {
  const text = String(value ?? '').toLowerCase();
  if (text.startsWith(term)) return true;
  return text.split(/[\s\-_.@,;:/()]+/).some((word) => word.startsWith(term));
}

/** Applies `$search`; throws Graph's 400 without `ConsistencyLevel: eventual` or for unsearchable properties. */
export function searchRecords(request: GraphRequest, records: GraphRecord[], spec: CollectionSpec): GraphRecord[] {
  const search = request.query.get('$search');
  if (search === null) return records;
  if (!isEventual(request)) {
    throw graphError(
      400,
      'Request_UnsupportedQuery',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  }
  const groups = parseSearch(search.trim());
  for (const clause of groups.flat()) {
    if (!(spec.searchable ?? []).includes(clause.property)) {
      throw graphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid search clause specified for property '${clause.property}' of resource '${spec.type}'.`,
      );
    }
  }
  return records.filter((r) => groups.some((g) => g.every((c) => tokenMatch(r[c.property], c.term))));
}

/**
 * Applies `$orderby` (`prop` or `prop desc`); null when the request has none. Graph answers "Sorting not
 * supported for current query." for other properties, and for `$orderby` with `$filter` or `$search` unless
 * the advanced query parameters are present.
 */
export function orderRecords(
  request: GraphRequest,
  records: GraphRecord[],
  spec: CollectionSpec,
): GraphRecord[] | null {
  const orderby = request.query.get('$orderby');
  if (orderby === null) return null;
  const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
  const advanced = isEventual(request) && countRequested(request);
  const combined = request.query.get('$filter') !== null || request.query.get('$search') !== null;
  if (!m || !(spec.orderable ?? []).includes(m[1]) || (combined && !advanced)) {
    throw graphError(400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
  }
  const [, property, direction] = m;
  const sign = direction?.toLowerCase() === 'desc' ? -1 : 1;
  const key = (r: GraphRecord) => String(r[property] ?? '').toLowerCase();
  return [...records].sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1));
}
