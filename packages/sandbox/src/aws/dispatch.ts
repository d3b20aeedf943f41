/**
 * The AWS front end of the sandbox: authenticates each signed request, injects configured faults,
 * routes it by protocol (Query `Action` or JSON `X-Amz-Target`) to a service handler, answers in that
 * protocol's wire format, and records the call in CloudTrail.
 */
import { header, type Route, type SandboxRequest, type SandboxResponse } from '../server/http-types.js';
import { parseSigV4Header, type SigV4Header } from '../server/sigv4.js';
import type { World } from '../world/world.js';
import { authorize } from './authz/authorize.js';
import { type AuthFailure, authError, authenticate } from './caller.js';
import type { AwsContext, Caller, JsonService, QueryService } from './context.js';
import { AwsError } from './errors.js';
import { namedFaultError, transportFault } from './fault-response.js';
import { jsonErrorBody, jsonResultBody } from './json.js';
import { parseQueryBody, queryErrorXml, queryResponseXml } from './query.js';
import { recordApiCall, recordFailedAuthentication, redactParameters } from './trail-recorder.js';

/** Actions that AWS serves without a signature (the caller proves itself with a token instead). */
export type AnonymousHandler = (
  world: World,
  request: SandboxRequest,
  params: Map<string, string>,
) => Promise<SandboxResponse>;

export type AwsServices = {
  query: QueryService[];
  json: JsonService[];
  /** Unsigned Query actions, e.g. STS AssumeRoleWithSAML. */
  anonymous?: Record<string, AnonymousHandler>;
};

/** Per-protocol error codes used for injected faults, as the real services name them. */
const THROTTLE_CODE: Record<string, string> = { organizations: 'TooManyRequestsException' };
const FAULT_CODE: Record<string, string> = {
  iam: 'ServiceFailure',
  sts: 'ServiceUnavailable',
  organizations: 'ServiceException',
  cloudtrail: 'InternalServerError',
};

function xmlResponse(status: number, body: string, requestId: string): SandboxResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

function jsonResponse(status: number, body: string, requestId: string, errorType?: string): SandboxResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': requestId,
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  return { status, headers, body };
}

function injectedFault(world: World, service: string, protocol: 'query' | 'json'): AwsError | undefined {
  const { throttleRate, errorRate } = world.faults;
  if (throttleRate > 0 && Math.random() < throttleRate) {
    const code = THROTTLE_CODE[service] ?? (protocol === 'query' ? 'Throttling' : 'ThrottlingException');
    return new AwsError(code, 'Rate exceeded', 400);
  }
  if (errorRate > 0 && Math.random() < errorRate) {
    const code = FAULT_CODE[service] ?? 'InternalServerException';
    return new AwsError(code, 'An internal error occurred. Try again.', 500, 'Receiver');
  }
  return undefined;
}

/** The route that serves every AWS request the sandbox understands. */
export function createAwsRoute(world: World, services: AwsServices): Route {
  const byService = new Map(services.query.map((s) => [s.service, s]));
  const byTarget = new Map(services.json.map((s) => [s.targetPrefix, s]));

  async function serve(request: SandboxRequest): Promise<SandboxResponse> {
    const requestId = world.nextRequestId();
    const target = header(request, 'x-amz-target');
    const protocol = target ? 'json' : 'query';
    const auth = parseSigV4Header(header(request, 'authorization'));
    const sourceIp = request.sourceIp;
    const userAgent = header(request, 'user-agent') ?? 'unknown';

    if (world.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, world.faults.latencyMs));

    if (protocol === 'json') {
      const dot = target!.lastIndexOf('.');
      const prefix = target!.slice(0, dot);
      const action = target!.slice(dot + 1);
      const service = byTarget.get(prefix) ?? byTarget.get(prefix.split('.').pop() ?? '');
      if (!service)
        return jsonResponse(
          400,
          jsonErrorBody(new AwsError('UnknownOperationException', '')),
          requestId,
          'UnknownOperationException',
        );
      const fail = (e: AwsError) => jsonResponse(e.status, jsonErrorBody(e), requestId, e.code);
      const caller = auth ? authenticate(world, request, auth) : 'missing';
      if (typeof caller === 'string') {
        const error = authError(caller as AuthFailure | 'missing', 'json');
        if (auth) recordRefusal(auth, service.eventSource, action, error, request, requestId);
        return fail(error);
      }
      let input: unknown;
      try {
        input = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
      } catch {
        return fail(new AwsError('SerializationException', 'Could not parse request body as JSON'));
      }
      const ruled = world.faultRules.take(service.service, action, caller.accountId);
      const transport = ruled && transportFault(ruled);
      if (transport) return transport;
      const ctx = contextFor(world, caller, service.service, action, auth!.region, requestId, sourceIp, userAgent);
      const handler = service.handlers[action];
      const result = await run(ctx, () => {
        if (ruled && typeof ruled === 'object') throw namedFaultError(ruled, ctx, 'json');
        const fault = injectedFault(world, service.service, 'json');
        if (fault) throw fault;
        if (!handler) throw new AwsError('UnknownOperationException', `Unknown operation ${action}`);
        authorize(ctx, input, 'json');
        return handler(ctx, input);
      });
      noteWrite(world, service.service, action, result.error);
      record(ctx, service.eventSource, input as Record<string, unknown>, result.error);
      return result.error ? fail(result.error) : jsonResponse(200, jsonResultBody(result.value), requestId);
    }

    const params = parseQueryBody(
      request.method === 'GET' ? request.url.search.slice(1) : request.body.toString('utf8'),
    );
    const action = params.get('Action') ?? '';
    if (!auth && services.anonymous?.[action]) return services.anonymous[action](world, request, params);
    const service = auth ? byService.get(auth.service) : undefined;
    const xmlns = service?.xmlns ?? 'https://iam.amazonaws.com/doc/2010-05-08/';
    const fail = (e: AwsError) => xmlResponse(e.status, queryErrorXml(e, xmlns, requestId), requestId);
    if (!auth) return fail(authError('missing', 'query'));
    if (!service) return fail(new AwsError('InvalidAction', `Service ${auth.service} is not available in the sandbox`));
    const caller = authenticate(world, request, auth);
    if (typeof caller === 'string') {
      const error = authError(caller, 'query');
      recordRefusal(auth, `${service.service}.amazonaws.com`, action, error, request, requestId);
      return fail(error);
    }
    const ruled = world.faultRules.take(service.service, action, caller.accountId);
    const transport = ruled && transportFault(ruled);
    if (transport) return transport;
    const ctx = contextFor(world, caller, service.service, action, auth.region, requestId, sourceIp, userAgent);
    const handler = service.handlers[action];
    const result = await run(ctx, () => {
      if (ruled && typeof ruled === 'object') throw namedFaultError(ruled, ctx, 'query');
      const fault = injectedFault(world, service.service, 'query');
      if (fault) throw fault;
      if (!handler)
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${service.version}`);
      authorize(ctx, params, 'query');
      return handler(ctx, params);
    });
    noteWrite(world, service.service, action, result.error);
    const input: Record<string, unknown> = {};
    for (const [k, v] of params) if (k !== 'Action' && k !== 'Version') input[k] = v;
    record(ctx, `${service.service}.amazonaws.com`, input, result.error);
    if (result.error) return fail(result.error);
    return xmlResponse(200, queryResponseXml(action, xmlns, result.value as never, requestId), requestId);
  }

  function record(ctx: AwsContext, eventSource: string, input: Record<string, unknown>, error?: AwsError): void {
    recordApiCall(world, {
      accountId: ctx.caller.accountId,
      principal: ctx.caller.principal,
      accessKeyId: ctx.caller.accessKeyId,
      service: eventSource.replace(/\.amazonaws\.com$/, ''),
      action: ctx.action,
      region: ctx.region,
      sourceIp: ctx.sourceIp,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
      requestParameters: input && typeof input === 'object' ? redactParameters(input) : null,
      errorCode: error?.code,
      errorMessage: error?.message,
      responseElements: error ? null : ctx.trail?.responseElements,
      resources: ctx.trail?.resources,
    });
  }

  /** A call refused at authentication still leaves an event in the account that owns the key or session. */
  function recordRefusal(
    auth: SigV4Header,
    eventSource: string,
    action: string,
    error: AwsError,
    request: SandboxRequest,
    requestId: string,
  ): void {
    if (error.code === 'SignatureDoesNotMatch' || error.code === 'InvalidSignatureException') return;
    recordFailedAuthentication(world, {
      accessKeyId: auth.accessKeyId,
      service: eventSource.replace(/\.amazonaws\.com$/, ''),
      action,
      region: auth.region,
      sourceIp: request.sourceIp,
      userAgent: header(request, 'user-agent') ?? 'unknown',
      requestId,
      errorCode: error.code,
      errorMessage: error.message,
    });
  }

  return {
    name: 'aws',
    matches: (request) =>
      request.method === 'POST' &&
      (header(request, 'x-amz-target') !== undefined ||
        /^AWS4-HMAC-SHA256 /.test(header(request, 'authorization') ?? '') ||
        /(^|&)Action=/.test(request.body.toString('utf8', 0, 4096))),
    handle: async (request) => dated(world, await serve(request)),
  };
}

/**
 * Every AWS response carries the server's time in `Date` (RFC 7231), which the AWS SDKs use to correct clock skew
 * (`systemClockOffset`): here it is the virtual clock's, so a client sees the sandbox's time as real AWS's.
 */
function dated(world: World, response: SandboxResponse): SandboxResponse {
  if (response.abort) return response;
  return { ...response, headers: { ...response.headers, date: world.clock.now().toUTCString() } };
}

/** Operations that change nothing a caller's permissions depend on. */
const READ_ONLY = /^(Get|List|Describe|Lookup|Search|Is|Simulate|GenerateCredentialReport|AssumeRole|StartQuery)/;

/**
 * Services whose writes can change a caller's policies: IAM and Organizations (SCPs). Identity Center's roles
 * change when provisioning runs, which bumps the generation itself (sso-admin/provision-role.ts).
 */
const POLICY_SERVICES = new Set(['iam', 'organizations']);

/** A successful write may change what callers are allowed to do: cached policy sets are resolved again. */
function noteWrite(world: World, service: string, action: string, error: AwsError | undefined): void {
  if (!error && POLICY_SERVICES.has(service) && !READ_ONLY.test(action)) world.authzGeneration++;
}

function contextFor(
  world: World,
  caller: Caller,
  service: string,
  action: string,
  region: string,
  requestId: string,
  sourceIp: string,
  userAgent: string,
): AwsContext {
  if (caller.principal.kind === 'user' || caller.principal.kind === 'root') {
    const found = world.findAccessKey(caller.accessKeyId);
    if (found) found.key.lastUsed = { date: world.clock.now(), serviceName: service, region };
  }
  return { world, caller, region, service, action, requestId, sourceIp, userAgent };
}

async function run(_ctx: AwsContext, fn: () => unknown): Promise<{ value?: unknown; error?: AwsError }> {
  try {
    return { value: await fn() };
  } catch (e) {
    if (e instanceof AwsError) return { error: e };
    const message = e instanceof Error ? e.message : String(e);
    return { error: new AwsError('InternalFailure', `sandbox bug: ${message}`, 500, 'Receiver') };
  }
}
