/**
 * Delta queries for users and groups (`/users/delta`, `/groups/delta`): an initial round returns every live
 * object, later rounds the objects changed since the delta link was issued, deleted ones as `@removed`, and
 * groups carry `members@delta`. `$filter=id eq '...'` (joined by `or`) tracks only those objects. Delta links
 * expire after 7 days of virtual time with `syncStateNotFound`, and after a synchronization reset (the
 * control API's `delta-reset`) they answer 410 Gone, as https://learn.microsoft.com/graph/delta-query-overview
 * describes.
 */
import type { EntraState } from '../../world/entra-state.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { ok, READ_GROUPS, READ_USERS, tenantOf } from './context.js';
import { GROUP_SPEC, groupRecord, USER_SPEC, userRecord } from './directory-records.js';
import { FilterError, parseFilter } from './filter.js';
import { type CollectionSpec, decodeToken, encodePagingToken, linkWith, pageSize, selectFields } from './odata.js';

/** Group delta also takes `members` in `$select`: that is how Graph is asked for `members@delta`. */
const GROUP_DELTA_SPEC: CollectionSpec = { ...GROUP_SPEC, selectable: [...GROUP_SPEC.selectable, 'members'] };

/** How long a delta link stays valid (Graph: 7 days for identity resources). */
export const DELTA_LINK_LIFETIME_MS = 7 * 86_400_000;

type Kind = 'user' | 'group';
type SkipState = { k: Kind; from: number; snap: number; after: string | null; t: number };
type DeltaState = { k: Kind; s: number; t: number; g?: number };

/** Delta's `$filter`: only `id eq '...'`, optionally joined by `or` (Graph allows up to 50 ids). */
function idFilter(request: GraphRequest): ((id: string) => boolean) | null {
  const filter = request.query.get('$filter');
  if (filter === null) return null;
  const clauses = filter.split(/\s+or\s+/i);
  const unsupported = () =>
    graphError(400, 'Request_UnsupportedQuery', `Unsupported filter for delta query: '${filter}'.`);
  if (clauses.length > 50 || !clauses.every((c) => /^\s*id\s+eq\s+'[^']*'\s*$/i.test(c))) throw unsupported();
  try {
    const { predicate } = parseFilter(filter, ['id']);
    return (id) => predicate({ id });
  } catch (e) {
    if (e instanceof FilterError) throw unsupported();
    throw e;
  }
}

/** The 410 Gone Graph answers after a synchronization reset, pointing at a fresh round. */
function resetGone(request: GraphRequest) {
  const gone = graphError(
    410,
    'resyncRequired',
    'The delta token is no longer valid after a synchronization reset. Start a new full synchronization.',
  );
  gone.headers = { ...gone.headers, location: linkWith(request, {}) };
  return gone;
}

function membersDelta(entra: EntraState, groupId: string, from: number, snap: number): Record<string, unknown>[] {
  const type = (id: string) => (entra.groups.has(id) ? '#microsoft.graph.group' : '#microsoft.graph.user');
  if (from < 0) {
    const group = entra.groups.get(groupId)!;
    return [...group.members].map((id) => ({ '@odata.type': type(id), id }));
  }
  const net = new Map<string, boolean>();
  for (const change of entra.memberChanges ?? []) {
    if (change.groupId === groupId && change.seq > from && change.seq <= snap) net.set(change.memberId, change.removed);
  }
  return [...net].map(([id, removed]) =>
    removed ? { '@odata.type': type(id), id, '@removed': { reason: 'deleted' } } : { '@odata.type': type(id), id },
  );
}

function roundItems(request: GraphRequest, state: SkipState, spec: CollectionSpec): Record<string, unknown>[] {
  const entra = tenantOf(request);
  const wanted = idFilter(request);
  const ids: string[] = [];
  for (const [id, change] of entra.changes) {
    if (change.kind !== state.k || change.seq > state.snap) continue;
    if (wanted && !wanted(id)) continue;
    if (state.from >= 0 && change.seq <= state.from) continue;
    ids.push(id);
  }
  ids.sort();
  const out: Record<string, unknown>[] = [];
  for (const id of ids) {
    const object = state.k === 'user' ? entra.users.get(id) : entra.groups.get(id);
    if (!object) continue;
    if (object.deletedDateTime) {
      // Deleted before the initial round: not returned at all, as in Graph.
      if (state.from >= 0) out.push({ id, '@removed': { reason: 'changed' } });
      continue;
    }
    const record = state.k === 'user' ? userRecord(entra.users.get(id)!) : groupRecord(entra.groups.get(id)!);
    const item = selectFields(request, record, spec);
    item.id = id;
    if (state.k === 'group') {
      delete item.members;
      item['members@delta'] = membersDelta(entra, id, state.from, state.snap);
    }
    out.push(item);
  }
  return out;
}

function deltaPage(request: GraphRequest, kind: Kind) {
  const entra = tenantOf(request);
  const spec = kind === 'user' ? USER_SPEC : GROUP_DELTA_SPEC;
  const now = request.sandbox.world.clock.nowMs();
  const context = `${request.baseUrl}/$metadata#${spec.context}`;
  let state: SkipState;
  const deltaToken = request.query.get('$deltatoken');
  const skipToken = request.query.get('$skiptoken');
  const generation = entra.deltaGeneration ?? 0;
  if (deltaToken === 'latestdelta') {
    const token = encodePagingToken({ k: kind, s: entra.changeSeq, t: now, g: generation } satisfies DeltaState);
    return ok(200, {
      '@odata.context': context,
      '@odata.deltaLink': linkWith(request, { $deltatoken: token }),
      value: [],
    });
  }
  if (deltaToken) {
    const delta = decodeToken<DeltaState>(deltaToken);
    if (delta && delta.k === kind && (delta.g ?? 0) !== generation) return resetGone(request);
    if (!delta || delta.k !== kind || now - delta.t > DELTA_LINK_LIFETIME_MS) {
      throw graphError(
        400,
        'syncStateNotFound',
        'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
      );
    }
    state = { k: kind, from: delta.s, snap: entra.changeSeq, after: null, t: now };
  } else if (skipToken) {
    const skip = decodeToken<SkipState>(skipToken);
    if (!skip || skip.k !== kind) throw graphError(400, 'Request_BadRequest', 'The skip token is not valid.');
    state = skip;
  } else {
    state = { k: kind, from: -1, snap: entra.changeSeq, after: null, t: now };
  }
  const items = roundItems(request, state, spec);
  const start = state.after ? items.findIndex((i) => String(i.id) > state.after!) : 0;
  const size = pageSize(request, 100, 999);
  const page = start < 0 ? [] : items.slice(start, start + size);
  const body: Record<string, unknown> = { '@odata.context': context };
  const more = start >= 0 && start + size < items.length;
  if (more) {
    const next: SkipState = { ...state, after: String(page[page.length - 1].id) };
    body['@odata.nextLink'] = linkWith(request, { $skiptoken: encodePagingToken(next) });
  } else {
    const token: DeltaState = { k: kind, s: state.snap, t: now, g: generation };
    body['@odata.deltaLink'] = linkWith(request, { $deltatoken: encodePagingToken(token) });
  }
  body.value = page;
  return ok(200, body);
}

/** Handlers for `/users/delta` and `/groups/delta` (also as `microsoft.graph.delta()`). */
export const deltaHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/users\/(?:delta|microsoft\.graph\.delta(?:\(\))?)$/,
    permissions: READ_USERS,
    handle: (request) => deltaPage(request, 'user'),
  },
  {
    method: 'GET',
    pattern: /^\/groups\/(?:delta|microsoft\.graph\.delta(?:\(\))?)$/,
    permissions: READ_GROUPS,
    handle: (request) => deltaPage(request, 'group'),
  },
];
