/**
 * The unsigned STS calls of federation (AssumeRoleWithWebIdentity, AssumeRoleWithSAML): the caller proves itself
 * with a token instead of a signature. Each answers in the Query protocol and is logged in the role's account,
 * failures included, as CloudTrail logs these unauthenticated calls.
 * Source: IAM user guide, "Logging IAM and AWS STS API calls with AWS CloudTrail" (cloudtrail-integration.html).
 */
import { randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../../server/http-types.js';
import { appendTrailEvent, type UserIdentity } from '../../world/cloudtrail-state.js';
import type { World } from '../../world/world.js';
import type { QueryParams } from '../context.js';
import { AwsError } from '../errors.js';
import { routeTrailRecord } from '../events/from-trail.js';
import { queryErrorXml, queryResponseXml } from '../query.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** The parts of the CloudTrail record that differ between the federation calls. */
export type FederatedTrail = {
  accountId: string;
  userIdentity: UserIdentity;
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown> | null;
};

/** Logs the call in the role's account, as CloudTrail does. */
function record(world: World, request: SandboxRequest, action: string, trail: FederatedTrail, error?: AwsError) {
  const account = world.accounts.get(trail.accountId);
  if (!account) return;
  const time = world.clock.now();
  const entry = {
    eventVersion: '1.08',
    userIdentity: trail.userIdentity,
    eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'sts.amazonaws.com',
    eventName: action,
    awsRegion: world.region,
    sourceIPAddress: request.sourceIp,
    userAgent: String(request.headers['user-agent'] ?? 'unknown'),
    ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
    requestParameters: trail.requestParameters,
    responseElements: error ? null : trail.responseElements,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    eventType: 'AwsApiCall' as const,
    managementEvent: true,
    recipientAccountId: trail.accountId,
    eventCategory: 'Management' as const,
  };
  appendTrailEvent(account.trail, { time, record: entry, username: trail.userIdentity.userName, resources: [] });
  routeTrailRecord(world, entry);
}

/**
 * Runs `accept` (which throws AwsError on refusal) and answers; `trailOf` gives the record for the outcome (null
 * when there is no account to log it in).
 */
export function serveFederatedCall<T extends { result: Record<string, unknown> }>(
  world: World,
  request: SandboxRequest,
  params: QueryParams,
  action: string,
  accept: (world: World, params: QueryParams) => T,
  trailOf: (ok: T | null) => FederatedTrail | null,
): SandboxResponse {
  const requestId = randomUUID();
  const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
  try {
    const ok = accept(world, params);
    const trail = trailOf(ok);
    if (trail) record(world, request, action, trail);
    return { status: 200, headers, body: queryResponseXml(action, XMLNS, ok.result as never, requestId) };
  } catch (e) {
    const error = e instanceof AwsError ? e : new AwsError('InternalFailure', String(e), 500, 'Receiver');
    const trail = trailOf(null);
    if (trail) record(world, request, action, trail, error);
    return { status: error.status, headers, body: queryErrorXml(error, XMLNS, requestId) };
  }
}
