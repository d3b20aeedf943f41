/**
 * OData collection handling shared by the Graph handlers: `$filter`, `$search`, `$orderby`, `$select`, `$top`,
 * `$count` (with `ConsistencyLevel: eventual`), and server-driven paging with `@odata.nextLink` and a
 * `$skiptoken` cursor (a token the sandbox did not issue is refused, as Graph refuses it).
 */
import { type GraphRequest, type GraphResult, graphError } from '../graph-types.js';
import { isEventual, orderRecords, requireAdvancedFilter, searchRecords } from './advanced-query.js';
import { FilterError, parseFilter } from './filter.js';

export type GraphRecord = Record<string, unknown> & { id: string };

/** How a collection of one resource type is listed. */
export type CollectionSpec = {
  /** OData type name for messages, e.g. `microsoft.graph.user`. */
  type: string;
  /** `@odata.context` suffix, e.g. `users` or `directoryObjects`. */
  context: string;
  /** Properties returned without `$select`. */
  defaultSelect: readonly string[];
  /** For mixed collections (members): the default properties per `@odata.type`. */
  defaultSelectByType?: Record<string, readonly string[]>;
  /** Every property `$select` may name. */
  selectable: readonly string[];
  /** Properties `$filter` may name. */
  filterable: readonly string[];
  /** Properties `$search` may name (none: `$search` is refused). */
  searchable?: readonly string[];
  /** Properties `$orderby` may name (none: `$orderby` is refused). */
  orderable?: readonly string[];
  defaultTop?: number;
  maxTop?: number;
};

/** Response headers Graph sends with JSON. */
export const ODATA_JSON = {
  'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
};

/** Projects a record onto the requested (or default) properties; throws a GraphResult for unknown names. */
export function selectFields(
  request: GraphRequest,
  record: GraphRecord,
  spec: CollectionSpec,
): Record<string, unknown> {
  const select = request.query.get('$select');
  const names = select
    ? select
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : (spec.defaultSelectByType?.[String(record['@odata.type'])] ?? spec.defaultSelect);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (key.startsWith('@odata.')) out[key] = record[key];
  for (const name of names) {
    if (!spec.selectable.includes(name)) {
      throw graphError(
        400,
        'Request_BadRequest',
        `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${spec.type}'.`,
      );
    }
    out[name] = record[name] ?? null;
  }
  return out;
}

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a token made by this module (skip or delta); null when it is not one. */
export function decodeToken<T>(token: string | null): T | null {
  if (!token) return null;
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return null;
  }
}

/** Encodes a paging or delta token. */
export function encodePagingToken(value: unknown): string {
  return encodeToken(value);
}

/** The page size a request asks for (`$top` or `Prefer: odata.maxpagesize`), checked against the maximum. */
export function pageSize(request: GraphRequest, defaultTop: number, maxTop: number): number {
  const top = request.query.get('$top');
  if (top !== null) {
    const n = Number(top);
    if (!Number.isInteger(n) || n < 1 || n > maxTop) {
      throw graphError(
        400,
        'Request_UnsupportedQuery',
        `Invalid page size specified: '${top}'. Must be between 1 and ${maxTop} inclusive.`,
      );
    }
    return n;
  }
  const prefer = String(request.headers.prefer ?? '');
  const m = /odata\.maxpagesize=(\d+)/.exec(prefer);
  return m ? Math.min(Number(m[1]), maxTop) : defaultTop;
}

/** A URL for the same path with new query parameters (keeping `$select`, `$filter`, `$top`, `$count`). */
export function linkWith(request: GraphRequest, params: Record<string, string>): string {
  const query = new URLSearchParams();
  for (const key of ['$select', '$filter', '$search', '$orderby', '$top', '$count', '$expand']) {
    const value = request.query.get(key);
    if (value !== null) query.set(key, value);
  }
  for (const [k, v] of Object.entries(params)) query.set(k, v);
  return `${request.baseUrl}${request.path}?${query.toString().replace(/%24/g, '$')}`;
}

/** Checks `$count=true`: Graph wants `ConsistencyLevel: eventual` for it on directory objects. */
export function wantsCount(request: GraphRequest): boolean {
  const count = request.query.get('$count');
  if (count === null || count === 'false') return false;
  if (!isEventual(request)) {
    throw graphError(
      400,
      'Request_BadRequest',
      'Count is not currently supported without the ConsistencyLevel header set to eventual.',
    );
  }
  return true;
}

/** Applies `$filter` to records; throws Graph's 400 for an unsupported filter. */
export function filterRecords(request: GraphRequest, records: GraphRecord[], spec: CollectionSpec): GraphRecord[] {
  const filter = request.query.get('$filter');
  if (!filter) return records;
  try {
    const { predicate, advanced } = parseFilter(filter, spec.filterable);
    if (advanced) requireAdvancedFilter(request, advanced);
    return records.filter((r) => predicate(r));
  } catch (e) {
    if (e instanceof FilterError) throw graphError(400, 'Request_UnsupportedQuery', e.message);
    throw e;
  }
}

/** Skip tokens: after an id (id order) or an offset (`$orderby` order). */
type SkipToken = { after?: string; offset?: number };

/** Where the page a `$skiptoken` asks for starts; Graph's 400 for a token it did not issue. */
function pageStart(request: GraphRequest, records: GraphRecord[], ordered: boolean): number {
  const raw = request.query.get('$skiptoken');
  if (raw === null) return 0;
  const token = decodeToken<SkipToken>(raw);
  if (ordered && Number.isInteger(token?.offset) && token!.offset! >= 0) return token!.offset!;
  if (!ordered && typeof token?.after === 'string') return records.findIndex((r) => r.id > token.after!);
  // Guess (GUESSES.md): the code and text Graph gives for a malformed skip token.
  throw graphError(400, 'Request_BadRequest', `The specified page token value '${raw}' is invalid.`);
}

/** A collection response: filtered, searched, counted, one page of it (by `$orderby` or id), with the next link. */
export function listCollection(request: GraphRequest, records: GraphRecord[], spec: CollectionSpec): GraphResult {
  const count = wantsCount(request);
  const matched = searchRecords(request, filterRecords(request, records, spec), spec);
  const ordered = orderRecords(request, matched, spec);
  const filtered = ordered ?? matched.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const size = pageSize(request, spec.defaultTop ?? 100, spec.maxTop ?? 999);
  const start = pageStart(request, filtered, ordered !== null);
  const page = start < 0 ? [] : filtered.slice(start, start + size);
  const body: Record<string, unknown> = { '@odata.context': `${request.baseUrl}/$metadata#${spec.context}` };
  if (count) body['@odata.count'] = filtered.length;
  const last = page[page.length - 1];
  if (last && start + size < filtered.length) {
    const next: SkipToken = ordered ? { offset: start + size } : { after: last.id };
    body['@odata.nextLink'] = linkWith(request, { $skiptoken: encodeToken(next) });
  }
  body.value = page.map((r) => selectFields(request, r, spec));
  return { status: 200, headers: ODATA_JSON, body };
}

/** A single entity response. */
export function entityResult(request: GraphRequest, record: GraphRecord, spec: CollectionSpec): GraphResult {
  return {
    status: 200,
    headers: ODATA_JSON,
    body: {
      '@odata.context': `${request.baseUrl}/$metadata#${spec.context}/$entity`,
      ...selectFields(request, record, spec),
    },
  };
}

/** `/$count` segments: a plain-text number (needs ConsistencyLevel: eventual). */
export function countResult(request: GraphRequest, records: GraphRecord[], spec: CollectionSpec): GraphResult {
  if (!isEventual(request)) {
    return graphError(
      400,
      'Request_BadRequest',
      'Count is not currently supported without the ConsistencyLevel header set to eventual.',
    );
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/plain;charset=utf-8' },
    body: String(filterRecords(request, records, spec).length),
  };
}

/** The 404 Graph answers for an unknown object id. */
export function notFound(id: string): GraphResult {
  return graphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}
