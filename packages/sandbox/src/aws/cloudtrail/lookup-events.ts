/**
 * CloudTrail LookupEvents over the caller's account history: at most one lookup attribute, 1-50 results per
 * page (default 50), newest first, only the last 90 days of virtual time, tokens bound to the query that made
 * them, AWS's limit of 2 requests per second per account and region (on unless the faults turn it off with
 * `lookupEventsPerSecond: 0`), and a delivery delay: an event shows only some virtual minutes after the call
 * (the scenario's `cloudTrailDeliveryDelayMs`).
 */
import { createHash } from 'node:crypto';
import {
  isWithinRetention,
  TRAIL_RETENTION_MS,
  type TrailEvent,
  type TrailState,
} from '../../world/cloudtrail-state.js';
import type { AwsContext, JsonHandler } from '../context.js';
import { AwsError } from '../errors.js';

const MAX_RESULTS = 50;
/** "The rate of lookup requests is limited to two per second, per account, per Region" (API_LookupEvents). */
export const LOOKUP_EVENTS_PER_SECOND = 2;
/** How long after a call its event shows in LookupEvents unless the scenario says otherwise (GUESSES.md). */
export const DEFAULT_DELIVERY_DELAY_MS = 5 * 60_000;
const ATTRIBUTE_KEYS = new Set([
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
]);

type Attribute = { key: string; value: string };
/** What a NextToken is bound to: the request's own parameters (not the defaults filled in from the clock). */
type Query = { attribute?: Attribute; start?: number; end?: number; region: string };
type Window = { startMs: number; endMs: number };

function invalidAttributes(message: string): AwsError {
  return new AwsError('InvalidLookupAttributesException', message, 400);
}

function parseAttributes(value: unknown): Attribute | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidAttributes('LookupAttributes must be a list.');
  if (value.length === 0) return undefined;
  if (value.length > 1) throw invalidAttributes('You can specify only one lookup attribute.');
  const { AttributeKey: key, AttributeValue: v } = value[0] ?? {};
  if (typeof key !== 'string' || !ATTRIBUTE_KEYS.has(key)) {
    throw invalidAttributes(`The attribute key ${String(key)} is not valid.`);
  }
  if (typeof v !== 'string' || v.length < 1 || v.length > 2000) {
    throw invalidAttributes('The attribute value must be between 1 and 2000 characters.');
  }
  if (key === 'ReadOnly' && v !== 'true' && v !== 'false') {
    throw invalidAttributes('The value for the ReadOnly attribute must be true or false.');
  }
  return { key, value: v };
}

/** JSON timestamps arrive as epoch seconds (SDK, CLI); ISO strings are accepted too. */
function parseTime(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms =
    typeof value === 'number'
      ? value * 1000
      : /^\d+(\.\d+)?$/.test(String(value))
        ? Number(value) * 1000
        : Date.parse(String(value));
  if (!Number.isFinite(ms))
    throw new AwsError('InvalidTimeRangeException', `The ${name} is not a valid timestamp.`, 400);
  return ms;
}

function parseMaxResults(value: unknown): number {
  if (value === undefined || value === null) return MAX_RESULTS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RESULTS) {
    throw new AwsError('InvalidMaxResultsException', `MaxResults must be between 1 and ${MAX_RESULTS}.`, 400);
  }
  return n;
}

function attributeMatches(event: TrailEvent, attribute: Attribute | undefined): boolean {
  if (!attribute) return true;
  const { key, value } = attribute;
  const r = event.record;
  switch (key) {
    case 'EventId':
      return r.eventID === value;
    case 'EventName':
      return r.eventName === value;
    case 'ReadOnly':
      return String(r.readOnly) === value;
    case 'Username':
      return event.username === value;
    case 'ResourceType':
      return event.resources.some((res) => res.resourceType === value);
    case 'ResourceName':
      return event.resources.some((res) => res.resourceName === value);
    case 'EventSource':
      return r.eventSource === value;
    case 'AccessKeyId':
      return r.userIdentity.accessKeyId === value;
    default:
      return false;
  }
}

function queryHash(query: Query): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}

function encodeToken(query: Query, window: Window, event: TrailEvent): string {
  const cursor = {
    q: queryHash(query),
    s: window.startMs,
    e: window.endMs,
    t: event.time.getTime(),
    id: event.record.eventID,
  };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Index of the newest event at or before `ms` (-1 when none). */
function lastIndexAtOrBefore(events: TrailEvent[], ms: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].time.getTime() <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Where the page after a token starts (just older than the event it names), and the window of its first page. */
function resume(events: TrailEvent[], query: Query, token: string): { index: number; window: Window } {
  const invalid = new AwsError('InvalidNextTokenException', 'Invalid NextToken.', 400);
  let cursor: { q?: string; s?: number; e?: number; t?: number; id?: string };
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const { q, s, e, t, id } = cursor;
  if (q !== queryHash(query) || typeof s !== 'number' || typeof e !== 'number' || typeof t !== 'number') throw invalid;
  for (let i = lastIndexAtOrBefore(events, t); i >= 0 && events[i].time.getTime() === t; i--) {
    if (events[i].record.eventID === id) return { index: i - 1, window: { startMs: s, endMs: e } };
  }
  throw invalid;
}

function eventView(event: TrailEvent) {
  const r = event.record;
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: String(r.readOnly),
    ...(r.userIdentity.accessKeyId ? { AccessKeyId: r.userIdentity.accessKeyId } : {}),
    EventTime: event.time,
    EventSource: r.eventSource,
    ...(event.username ? { Username: event.username } : {}),
    Resources: event.resources.map((res) => ({ ResourceType: res.resourceType, ResourceName: res.resourceName })),
    CloudTrailEvent: JSON.stringify(r),
  };
}

/** Refuses the call past AWS's per-account LookupEvents rate (2 per second unless the faults change it). */
function throttle(ctx: AwsContext, trail: TrailState): void {
  const limit = ctx.world.faults.lookupEventsPerSecond ?? LOOKUP_EVENTS_PER_SECOND;
  if (limit <= 0) return;
  const now = ctx.world.clock.nowMs();
  trail.lookupCalls = trail.lookupCalls.filter((t) => t > now - 1000);
  if (trail.lookupCalls.length >= limit) throw new AwsError('ThrottlingException', 'Rate exceeded', 429);
  trail.lookupCalls.push(now);
}

/** The LookupEvents handler. */
export const lookupEvents: JsonHandler = (ctx, input) => {
  const trail = ctx.caller.account.trail;
  throttle(ctx, trail);
  const attribute = parseAttributes(input.LookupAttributes);
  const maxResults = parseMaxResults(input.MaxResults);
  const nowMs = ctx.world.clock.nowMs();
  const end = parseTime(input.EndTime, 'EndTime');
  const start = parseTime(input.StartTime, 'StartTime');
  if (start !== undefined && start > (end ?? nowMs)) {
    throw new AwsError('InvalidTimeRangeException', 'Start time must not be after end time.', 400);
  }
  if (input.EventCategory !== undefined && input.EventCategory !== null) {
    if (input.EventCategory !== 'insight') {
      throw new AwsError('InvalidEventCategoryException', 'The event category is not valid.', 400);
    }
    // The sandbox has no Insights events.
    return { Events: [] };
  }
  const query: Query = { attribute, start, end, region: ctx.region };
  const events = trail.events;
  const token = typeof input.NextToken === 'string' && input.NextToken ? input.NextToken : undefined;
  const first: Window = { startMs: start ?? nowMs - TRAIL_RETENTION_MS, endMs: end ?? nowMs };
  const deliveredBefore = nowMs - (ctx.world.cloudTrailDeliveryDelayMs ?? DEFAULT_DELIVERY_DELAY_MS);
  const resumed = token ? resume(events, query, token) : undefined;
  const window = resumed?.window ?? first;
  const { startMs, endMs } = window;
  let i = resumed ? resumed.index : lastIndexAtOrBefore(events, endMs);
  const page: TrailEvent[] = [];
  let more = false;
  for (; i >= 0; i--) {
    const event = events[i];
    if (event.time.getTime() < startMs || !isWithinRetention(event, nowMs)) break;
    if (event.time.getTime() > endMs || event.time.getTime() > deliveredBefore) continue;
    if (event.record.awsRegion !== ctx.region || !attributeMatches(event, attribute)) continue;
    if (page.length === maxResults) {
      more = true;
      break;
    }
    page.push(event);
  }
  const result: { Events: unknown[]; NextToken?: string } = { Events: page.map(eventView) };
  if (more) result.NextToken = encodeToken(query, window, page[page.length - 1]);
  return result;
};
