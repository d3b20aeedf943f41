/**
 * What an AWS call matched by a fault rule answers: a named error in the service's own protocol shape (Query
 * XML for IAM and STS, JSON 1.1 for the others) with the HTTP status AWS uses for that code, or a failure below
 * the protocol (an HTML 503 page from a load balancer, a reset connection, no answer at all).
 */
import type { SandboxResponse } from '../server/http-types.js';
import type { FaultEffect } from '../world/fault-rules.js';
import { HTML_503_PAGE } from '../world/fault-rules.js';
import type { AwsContext } from './context.js';
import { AwsError } from './errors.js';

/**
 * HTTP status per error code, as the API references list them: IAM's AccessDenied is 403 and its ServiceFailure
 * 500 (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html); the JSON services answer
 * AccessDeniedException, ThrottlingException and validation errors with 400, internal errors with 500.
 */
function statusOf(code: string, protocol: 'query' | 'json'): { status: number; fault: 'Sender' | 'Receiver' } {
  if (/^ServiceUnavailable/.test(code)) return { status: 503, fault: 'Receiver' };
  if (/Internal|ServiceFailure|ServiceException/.test(code)) return { status: 500, fault: 'Receiver' };
  if (code === 'AccessDenied') return { status: 403, fault: 'Sender' };
  if (/^(NoSuchEntity|ResourceNotFound)/.test(code) && protocol === 'query') return { status: 404, fault: 'Sender' };
  return { status: 400, fault: 'Sender' };
}

function messageOf(code: string, ctx: AwsContext): string {
  const action = `${ctx.service === 'sso' ? 'sso' : ctx.service}:${ctx.action}`;
  if (/^AccessDenied/.test(code))
    return `User: ${ctx.caller.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  if (/Throttl|TooManyRequests/.test(code)) return 'Rate exceeded';
  return 'We encountered an internal error. Please try again.';
}

/** The AwsError a named fault raises (the dispatcher answers it in the protocol's shape and records it). */
export function namedFaultError(
  effect: { code: string; status?: number },
  ctx: AwsContext,
  protocol: 'query' | 'json',
) {
  const shape = statusOf(effect.code, protocol);
  return new AwsError(
    effect.code,
    messageOf(effect.code, ctx),
    effect.status ?? shape.status,
    (effect.status ?? shape.status) >= 500 ? 'Receiver' : shape.fault,
  );
}

/** The response for a fault below the protocol, or undefined for a named error. */
export function transportFault(effect: FaultEffect): SandboxResponse | undefined {
  if (effect === 'html503')
    return { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_503_PAGE };
  if (effect === 'reset' || effect === 'timeout') return { status: 0, headers: {}, body: '', abort: effect };
  return undefined;
}
