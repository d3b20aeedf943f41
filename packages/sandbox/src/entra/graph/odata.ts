/**
 * OData collection handling shared by the Graph handlers: `$filter`, `$select`, `$top`, `$count` (with
 * `ConsistencyLevel: eventual`), and server-driven paging with `@odata.nextLink` and a `$skiptoken` cursor.
 */
import { type GraphRequest, type GraphResult, graphError } from '../graph-types.js';
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
  for (const key of ['$select', '$filter', '$top', '$count', '$expand']) {
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
  if (String(request.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') {
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
    const predicate = parseFilter(filter, spec.filterable);
    return records.filter((r) => predicate(r));
  } catch (e) {
    if (e instanceof FilterError) throw graphError(400, 'Request_UnsupportedQuery', e.message);
    throw e;
  }
}

/** A collection response: filtered, counted, one page of it (ordered by id), with the next page's link. */
export function listCollection(request: GraphRequest, records: GraphRecord[], spec: CollectionSpec): GraphResult {
  const count = wantsCount(request);
  const filtered = filterRecords(request, records, spec).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const size = pageSize(request, spec.defaultTop ?? 100, spec.maxTop ?? 999);
  const after = decodeToken<{ after: string }>(request.query.get('$skiptoken'))?.after;
  const start = after ? filtered.findIndex((r) => r.id > after) : 0;
  const page = start < 0 ? [] : filtered.slice(start, start + size);
  const body: Record<string, unknown> = { '@odata.context': `${request.baseUrl}/$metadata#${spec.context}` };
  if (count) body['@odata.count'] = filtered.length;
  const last = page[page.length - 1];
  if (last && start + size < filtered.length) {
    body['@odata.nextLink'] = linkWith(request, { $skiptoken: encodeToken({ after: last.id }) });
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
  if (String(request.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') {
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
