/**
 * The sandbox's authorization of signed AWS calls, as IAM's policy evaluation logic decides it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an explicit deny
 * in any SCP, identity policy, permissions boundary or session policy wins; otherwise every SCP level of a member
 * account, the identity policies, and the boundary and session policies when present must each allow the request.
 * The root user is not evaluated. Independent from the product's own policy engine on purpose.
 */
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { type AuthzRequest, evaluateDocuments } from './policy-document.js';
import { type PolicySet, policySetFor } from './principal-policies.js';
import { passedRole, requestAction, requestContext, requestResource } from './request.js';

/** Operations every authenticated caller may make, whatever its policies say. */
const ALWAYS_ALLOWED = new Set([
  // "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity).
  'sts:GetCallerIdentity',
  // GetSessionToken needs no permission either (STS API reference, "Permissions").
  'sts:GetSessionToken',
]);

type PolicyKind = 'service control policy' | 'identity-based policy' | 'permissions boundary' | 'session policy';

/** Why a request is refused: an explicit deny or a missing allow, and in which kind of policy. */
export type Denial = { explicit: boolean; kind: PolicyKind };

/** Evaluates a request against a policy set; undefined when it is allowed. */
export function decide(policies: PolicySet, request: AuthzRequest): Denial | undefined {
  const scp = (policies.scpLevels ?? []).map((level) => evaluateDocuments(level, request));
  const identity = evaluateDocuments(policies.identity, request);
  const boundary = policies.boundary && evaluateDocuments(policies.boundary, request);
  const session = policies.session && evaluateDocuments(policies.session, request);
  if (scp.includes('deny')) return { explicit: true, kind: 'service control policy' };
  if (identity === 'deny') return { explicit: true, kind: 'identity-based policy' };
  if (boundary === 'deny') return { explicit: true, kind: 'permissions boundary' };
  if (session === 'deny') return { explicit: true, kind: 'session policy' };
  if (scp.includes('none')) return { explicit: false, kind: 'service control policy' };
  if (identity !== 'allow') return { explicit: false, kind: 'identity-based policy' };
  if (boundary && boundary !== 'allow') return { explicit: false, kind: 'permissions boundary' };
  if (session && session !== 'allow') return { explicit: false, kind: 'session policy' };
  return undefined;
}

/**
 * AWS's wording (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
 * "User: ARN is not authorized to perform: ACTION on resource: RESOURCE because no TYPE allows the ACTION action"
 * or "... with an explicit deny in a TYPE"; the resource part is left out when the operation has none.
 */
export function deniedMessage(callerArn: string, request: AuthzRequest, denial: Denial): string {
  const on = request.resource === '*' ? '' : ` on resource: ${request.resource}`;
  const article = denial.kind === 'identity-based policy' ? 'an' : 'a';
  const why = denial.explicit
    ? `with an explicit deny in ${article} ${denial.kind}`
    : `because no ${denial.kind} allows the ${request.action} action`;
  return `User: ${callerArn} is not authorized to perform: ${request.action}${on} ${why}`;
}

/**
 * Throws AWS's access-denied error when the caller may not make this call: `AccessDenied` (HTTP 403) in the
 * Query protocol (IAM, STS), `AccessDeniedException` (HTTP 400) in the JSON protocols.
 */
export function authorize(ctx: AwsContext, input: unknown, protocol: 'query' | 'json'): void {
  const { principal } = ctx.caller;
  if (principal.kind === 'root') return;
  const action = requestAction(ctx);
  if (ALWAYS_ALLOWED.has(action)) return;
  const policies = policySetFor(ctx.world, principal, ctx.caller.accessKeyId);
  if (!policies) return;
  const context = requestContext(ctx, policies);
  const requests: AuthzRequest[] = [{ action, resource: requestResource(ctx, input), context }];
  const passed = passedRole(ctx, input);
  if (passed) requests.push({ action: 'iam:PassRole', resource: passed, context });
  for (const request of requests) {
    const denial = decide(policies, request);
    if (!denial) continue;
    const message = deniedMessage(ctx.caller.arn, request, denial);
    throw protocol === 'query'
      ? new AwsError('AccessDenied', message, 403)
      : new AwsError('AccessDeniedException', message, 400);
  }
}
