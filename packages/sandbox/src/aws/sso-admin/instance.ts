/**
 * The Identity Center instance as SSO Admin sees it: ListInstances, DescribeInstance, CreateInstance (an account
 * instance) and the instance check.
 */

import { createSsoInstance } from '../../world/bootstrap.js';
import type { SsoState } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { pageOf } from './paging.js';
import { maxResults, optionalString, requireString } from './validation.js';

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

/**
 * CreateInstance: an account instance of Identity Center in the caller's account, in this region. Rejected in an
 * organization's management account and when the account already has an instance, in any region (API reference,
 * CreateInstance: "You can create only one instance per account and across all AWS Regions"; rejected when "the
 * instance is created within the organization management account" or "an instance already exists in the same
 * account"). Name: up to 255 of [\w+=,.@-] (as UpdateInstance takes it). The sandbox holds one instance per world, so
 * a member account of an organization that has one is refused too (ConflictException, saying so).
 */
export function createInstance(ctx: AwsContext, input: Record<string, unknown>) {
  const name = optionalString(input, 'Name', { min: 1, max: 255, pattern: /^[\w+=,.@-]+$/ });
  const caller = ctx.caller.accountId;
  if (ctx.world.organization?.managementAccountId === caller)
    throw new AwsError(
      'ValidationException',
      'An account instance cannot be created in the management account of an organization: enable the organization instance instead.',
    );
  const existing = ctx.world.sso;
  if (existing)
    throw new AwsError(
      'ConflictException',
      existing.ownerAccountId === caller
        ? `An instance of IAM Identity Center already exists in account ${caller}.`
        : 'The sandbox holds one IAM Identity Center instance, and this world already has one.',
    );
  const sso = createSsoInstance(ctx.world, caller);
  sso.region = ctx.region;
  sso.createdDate = ctx.world.clock.now();
  if (name) sso.name = name;
  return { InstanceArn: sso.instanceArn };
}
