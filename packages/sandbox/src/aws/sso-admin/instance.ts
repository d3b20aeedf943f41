/** The Identity Center instance as SSO Admin sees it: ListInstances, DescribeInstance and the instance check. */

import type { SsoState } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { pageOf } from './paging.js';
import { maxResults, requireString } from './validation.js';

/** The instance ARN pattern of the API reference. */
export const INSTANCE_ARN =
  /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;

/**
 * The instance visible to the caller: the organization instance, seen from its owner (management) account, in the
 * one region it was enabled in. SSO Admin is a regional API: ListInstances in another region lists nothing, and an
 * instance ARN used there is not found ("IAM Identity Center ... is a Regional service", IAM Identity Center User
 * Guide, "Region availability": https://docs.aws.amazon.com/singlesignon/latest/userguide/regions.html).
 */
function visibleInstance(ctx: AwsContext): SsoState | undefined {
  const sso = ctx.world.sso;
  return sso && sso.ownerAccountId === ctx.caller.accountId && sso.region === ctx.region ? sso : undefined;
}

/** The instance named by `InstanceArn`; ValidationException / ResourceNotFoundException otherwise. */
export function requireInstance(ctx: AwsContext, input: Record<string, unknown>): SsoState {
  const arn = requireString(input, 'InstanceArn', { min: 10, max: 1224, pattern: INSTANCE_ARN });
  const sso = visibleInstance(ctx);
  if (!sso || sso.instanceArn !== arn) {
    throw new AwsError('ResourceNotFoundException', `Instance ${arn} does not exist.`);
  }
  return sso;
}

function describe(sso: SsoState) {
  return {
    InstanceArn: sso.instanceArn,
    IdentityStoreId: sso.identityStoreId,
    OwnerAccountId: sso.ownerAccountId,
    Name: sso.name,
    CreatedDate: sso.createdDate,
    Status: 'ACTIVE',
  };
}

/** ListInstances: empty when Identity Center is not enabled (or the caller is not its owner account). */
export function listInstances(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = visibleInstance(ctx);
  const page = pageOf(sso ? [describe(sso)] : [], input, maxResults(input) ?? 100, 'instances');
  return { Instances: page.items, NextToken: page.nextToken };
}

/** DescribeInstance. */
export function describeInstance(ctx: AwsContext, input: Record<string, unknown>) {
  return describe(requireInstance(ctx, input));
}
