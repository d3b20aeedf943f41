/**
 * IAM Roles Anywhere over its REST-JSON protocol, as far as trust anchors and profiles: CreateTrustAnchor
 * (POST /trustanchors, 201), ListTrustAnchors (GET /trustanchors), GetTrustAnchor and DeleteTrustAnchor
 * (GET/DELETE /trustanchor/{id}), CreateProfile (POST /profiles, 201), ListProfiles (GET /profiles), GetProfile
 * and DeleteProfile (GET/DELETE /profile/{id}). Source: the service model the AWS CLI v2 ships
 * (botocore/data/rolesanywhere/2018-05-10/service-2.json: protocol rest-json, signing name `rolesanywhere`, the
 * paths and response codes above, `{trustAnchor}` / `{profile}` / `{trustAnchors, nextToken}` / `{profiles,
 * nextToken}` bodies, ISO-8601 timestamps (SyntheticTimestamp_date_time), errors ValidationException 400,
 * AccessDeniedException 403, ResourceNotFoundException 404, with `{message}` and the x-amzn-ErrorType header).
 * Requests are authenticated and authorized like every AWS call of the sandbox and recorded in CloudTrail.
 */
import { randomUUID } from 'node:crypto';
import { header, type Route, type SandboxRequest, type SandboxResponse } from '../../server/http-types.js';
import { parseSigV4Header } from '../../server/sigv4.js';
import type { World } from '../../world/world.js';
import { authorize } from '../authz/authorize.js';
import { authError, authenticate } from '../caller.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { recordApiCall } from '../trail-recorder.js';
import {
  checkName,
  checkSource,
  checkTags,
  type RaProfile,
  type RaTag,
  rolesAnywhereOf,
  type TrustAnchor,
  validation,
} from './state.js';

type Body = Record<string, unknown>;
type Operation = { action: string; run(ctx: AwsContext, body: Body, id: string, query: URLSearchParams): unknown };

function notFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'Resource not found', 404);
}

function page<T>(items: T[], query: URLSearchParams): { items: T[]; nextToken?: string } {
  const size = Math.min(Math.max(Number(query.get('pageSize') ?? 50) || 50, 1), 100);
  const start = Number(query.get('nextToken') ?? 0) || 0;
  const next = start + size < items.length ? String(start + size) : undefined;
  return { items: items.slice(start, start + size), nextToken: next };
}

const stateOf = (ctx: AwsContext) => rolesAnywhereOf(ctx.world, ctx.caller.accountId, ctx.region);
const arn = (ctx: AwsContext, kind: string, id: string) =>
  `arn:aws:rolesanywhere:${ctx.region}:${ctx.caller.accountId}:${kind}/${id}`;

function createTrustAnchor(ctx: AwsContext, body: Body): { trustAnchor: Omit<TrustAnchor, 'tags'> } {
  const id = randomUUID();
  const now = ctx.world.clock.now();
  const anchor: TrustAnchor = {
    trustAnchorId: id,
    trustAnchorArn: arn(ctx, 'trust-anchor', id),
    name: checkName(body.name),
    enabled: body.enabled === true,
    source: checkSource(body.source),
    tags: checkTags(body.tags),
    createdAt: now,
    updatedAt: now,
  };
  stateOf(ctx).trustAnchors.set(id, anchor);
  return { trustAnchor: detail(anchor) };
}

function createProfile(ctx: AwsContext, body: Body): { profile: Omit<RaProfile, 'tags'> } {
  const roles = body.roleArns;
  // RoleArnList: at most 250; RoleArn pattern `arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)`.
  if (
    !Array.isArray(roles) ||
    roles.length > 250 ||
    roles.some((r) => typeof r !== 'string' || !/^arn:aws(-[^:]+)?:iam(:.*){2}(:role.*)$/.test(r))
  )
    throw validation('roleArns must be a list of at most 250 IAM role ARNs');
  const duration = body.durationSeconds ?? 3600;
  if (typeof duration !== 'number' || duration < 900 || duration > 43_200)
    throw validation('durationSeconds must be between 900 and 43200');
  const id = randomUUID();
  const now = ctx.world.clock.now();
  const profile: RaProfile = {
    profileId: id,
    profileArn: arn(ctx, 'profile', id),
    name: checkName(body.name),
    enabled: body.enabled === true,
    roleArns: roles as string[],
    managedPolicyArns: Array.isArray(body.managedPolicyArns) ? (body.managedPolicyArns as string[]) : [],
    durationSeconds: duration,
    requireInstanceProperties: body.requireInstanceProperties === true,
    sessionPolicy: typeof body.sessionPolicy === 'string' ? body.sessionPolicy : undefined,
    createdBy: ctx.caller.arn,
    tags: checkTags(body.tags),
    createdAt: now,
    updatedAt: now,
  };
  stateOf(ctx).profiles.set(id, profile);
  return { profile: detail(profile) };
}

/** The detail the model answers with: TrustAnchorDetail and ProfileDetail carry no tags (ListTagsForResource does). */
function detail<T extends { tags: RaTag[] }>(item: T): Omit<T, 'tags'> {
  const { tags: _tags, ...rest } = item;
  return rest;
}

/** ListTagsForResource (GET /ListTagsForResource?resourceArn=ARN): `{tags}` of a trust anchor or profile. */
function listTags(ctx: AwsContext, query: URLSearchParams): { tags: RaTag[] } {
  const target = query.get('resourceArn') ?? '';
  const state = stateOf(ctx);
  const item = [...state.trustAnchors.values(), ...state.profiles.values()].find(
    (i) => ('trustAnchorArn' in i ? i.trustAnchorArn : i.profileArn) === target,
  );
  if (!item) throw notFound();
  return { tags: item.tags };
}

function found<T>(map: Map<string, T>, id: string, remove: boolean): T {
  const item = map.get(id);
  if (!item) throw notFound();
  if (remove) map.delete(id);
  return item;
}

/** The operation of a method and path, with the id a path names. */
function route(method: string, path: string): { op: Operation; id: string } | null {
  const [, collection, id = ''] = /^\/([a-zA-Z]+)(?:\/([^/]+))?$/.exec(path) ?? [];
  const table: Record<string, Operation> = {
    'POST trustanchors': { action: 'CreateTrustAnchor', run: (ctx, body) => createTrustAnchor(ctx, body) },
    'GET trustanchors': {
      action: 'ListTrustAnchors',
      run: (ctx, _b, _id, q) => {
        const p = page([...stateOf(ctx).trustAnchors.values()], q);
        return { trustAnchors: p.items.map(detail), nextToken: p.nextToken };
      },
    },
    'GET trustanchor': {
      action: 'GetTrustAnchor',
      run: (ctx, _b, key) => ({ trustAnchor: detail(found(stateOf(ctx).trustAnchors, key, false)) }),
    },
    'DELETE trustanchor': {
      action: 'DeleteTrustAnchor',
      run: (ctx, _b, key) => ({ trustAnchor: detail(found(stateOf(ctx).trustAnchors, key, true)) }),
    },
    'POST profiles': { action: 'CreateProfile', run: (ctx, body) => createProfile(ctx, body) },
    'GET profiles': {
      action: 'ListProfiles',
      run: (ctx, _b, _id, q) => {
        const p = page([...stateOf(ctx).profiles.values()], q);
        return { profiles: p.items.map(detail), nextToken: p.nextToken };
      },
    },
    'GET profile': {
      action: 'GetProfile',
      run: (ctx, _b, key) => ({ profile: detail(found(stateOf(ctx).profiles, key, false)) }),
    },
    'GET ListTagsForResource': { action: 'ListTagsForResource', run: (ctx, _b, _id, q) => listTags(ctx, q) },
    'DELETE profile': {
      action: 'DeleteProfile',
      run: (ctx, _b, key) => ({ profile: detail(found(stateOf(ctx).profiles, key, true)) }),
    },
  };
  const op = collection ? table[`${method} ${collection}`] : undefined;
  const takesId = collection === 'trustanchor' || collection === 'profile';
  if (!op || takesId !== Boolean(id)) return null;
  return { op, id: decodeURIComponent(id) };
}

function respond(status: number, body: unknown, requestId: string, error?: AwsError): SandboxResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId };
  if (error) headers['x-amzn-errortype'] = error.code;
  // Dates go out as ISO-8601 strings (the model's timestamp format), not the JSON protocols' epoch seconds.
  return { status, headers, body: JSON.stringify(body ?? {}) };
}

function serve(world: World, request: SandboxRequest): SandboxResponse {
  const requestId = world.nextRequestId();
  const fail = (e: AwsError) => respond(e.status, { message: e.message }, requestId, e);
  const auth = parseSigV4Header(header(request, 'authorization'));
  const caller = auth ? authenticate(world, request, auth) : 'missing';
  if (typeof caller === 'string') {
    const e = authError(caller, 'json');
    return fail(new AwsError(e.code, e.message, 403));
  }
  const found = route(request.method, request.url.pathname);
  if (!found)
    return fail(
      new AwsError('UnknownOperationException', `no operation at ${request.method} ${request.url.pathname}`, 404),
    );
  const ctx: AwsContext = {
    world,
    caller,
    region: auth!.region,
    service: 'rolesanywhere',
    action: found.op.action,
    requestId,
    sourceIp: request.sourceIp,
    userAgent: header(request, 'user-agent') ?? 'unknown',
  };
  let result: unknown;
  let error: AwsError | undefined;
  let body: Body = {};
  try {
    body = request.body.length ? (JSON.parse(request.body.toString('utf8')) as Body) : {};
    authorize(ctx, body, 'json');
    result = found.op.run(ctx, body, found.id, request.url.searchParams);
  } catch (e) {
    if (e instanceof SyntaxError) error = validation('the request body is not JSON');
    else if (e instanceof AwsError)
      // REST-JSON services answer a denial with 403 (the JSON 1.1 protocols use 400).
      error = e.code === 'AccessDeniedException' ? new AwsError(e.code, e.message, 403) : e;
    else throw e;
  }
  recordApiCall(world, {
    accountId: caller.accountId,
    principal: caller.principal,
    accessKeyId: caller.accessKeyId,
    service: 'rolesanywhere',
    action: found.op.action,
    region: ctx.region,
    sourceIp: ctx.sourceIp,
    userAgent: ctx.userAgent,
    requestId,
    requestParameters: found.id ? { id: found.id } : null,
    errorCode: error?.code,
    errorMessage: error?.message,
    responseElements: null,
  });
  if (error) return fail(error);
  return respond(request.method === 'POST' ? 201 : 200, result, requestId);
}

/** The route for Roles Anywhere requests (signed for the `rolesanywhere` service). */
export function createRolesAnywhereRoute(world: World): Route {
  return {
    name: 'rolesanywhere',
    matches: (request) => /\/rolesanywhere\/aws4_request/.test(header(request, 'authorization') ?? ''),
    handle: (request) => serve(world, request),
  };
}
