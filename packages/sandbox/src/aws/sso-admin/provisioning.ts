/** ProvisionPermissionSet and its status calls: pushes a permission set's current revision to accounts. */

import type { AsyncOperation } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { listOperations } from './assignments.js';
import { requireInstance } from './instance.js';
import { hasOperationInProgress, startOperation } from './operations.js';
import { requireAccountId, requirePermissionSet } from './permission-sets.js';
import { invalid, requireEnum, requireString } from './validation.js';

function statusView(op: AsyncOperation) {
  return {
    Status: op.status,
    RequestId: op.requestId,
    AccountId: op.accountId,
    PermissionSetArn: op.permissionSetArn,
    FailureReason: op.failureReason,
    CreatedDate: op.createdDate,
  };
}

/** ProvisionPermissionSet to one account or to every account it is already provisioned to. */
export function provisionPermissionSet(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const ps = requirePermissionSet(sso, input);
  const targetType = requireEnum(input, 'TargetType', ['AWS_ACCOUNT', 'ALL_PROVISIONED_ACCOUNTS'] as const);
  let accountId: string | undefined;
  if (targetType === 'AWS_ACCOUNT') {
    accountId = requireAccountId(input, 'TargetId');
    if (!ctx.world.accounts.has(accountId)) throw invalid(`The account ${accountId} is not in the organization.`);
  } else if (input.TargetId !== undefined && input.TargetId !== null) {
    throw invalid('TargetId must not be specified when TargetType is ALL_PROVISIONED_ACCOUNTS.');
  }
  if (hasOperationInProgress(sso, ps.permissionSetArn, 'provision')) {
    throw new AwsError('ConflictException', 'A provisioning operation for this permission set is already in progress.');
  }
  const op = startOperation(ctx.world, sso, {
    kind: 'provision',
    permissionSetArn: ps.permissionSetArn,
    accountId,
    targetType,
  });
  return { PermissionSetProvisioningStatus: statusView(op) };
}

/** DescribePermissionSetProvisioningStatus. */
export function describeProvisioningStatus(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const id = requireString(input, 'ProvisionPermissionSetRequestId', { max: 36 });
  const op = sso.operations.get(id);
  if (op?.kind !== 'provision') throw new AwsError('ResourceNotFoundException', `Request ${id} does not exist.`);
  return { PermissionSetProvisioningStatus: statusView(op) };
}

/** ListPermissionSetProvisioningStatus. */
export function listProvisioningStatus(ctx: AwsContext, input: Record<string, unknown>) {
  const page = listOperations(requireInstance(ctx, input), input, 'provision');
  return { PermissionSetsProvisioningStatus: page.items, NextToken: page.nextToken };
}
