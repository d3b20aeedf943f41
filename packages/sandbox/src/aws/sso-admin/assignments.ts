/** Account assignments: asynchronous create and delete, their status calls, and the listing calls. */

import type { AccountAssignment, AsyncOperation, SsoState } from '../../world/sso-state.js';
import type { AwsContext } from '../context.js';
import { AwsError } from '../errors.js';
import { requireInstance } from './instance.js';
import { startOperation } from './operations.js';
import { pageOf } from './paging.js';
import { matchesProvisioningStatus, requireAccountId, requirePermissionSet } from './permission-sets.js';
import { constraintError, maxResults, requireEnum, requireString } from './validation.js';

const PRINCIPAL_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
const REQUEST_ID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const STATUSES = ['IN_PROGRESS', 'FAILED', 'SUCCEEDED'] as const;

type PrincipalType = 'USER' | 'GROUP';

function principalOf(input: Record<string, unknown>): { principalType: PrincipalType; principalId: string } {
  return {
    principalType: requireEnum(input, 'PrincipalType', ['USER', 'GROUP'] as const),
    principalId: requireString(input, 'PrincipalId', { max: 47, pattern: PRINCIPAL_ID }),
  };
}

function assignmentRequest(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const ps = requirePermissionSet(sso, input);
  const accountId = requireAccountId(input, 'TargetId');
  requireEnum(input, 'TargetType', ['AWS_ACCOUNT'] as const);
  const principal = principalOf(input);
  return { sso, ps, accountId, ...principal };
}

function statusView(op: AsyncOperation) {
  return {
    Status: op.status,
    RequestId: op.requestId,
    FailureReason: op.failureReason,
    TargetId: op.accountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: op.permissionSetArn,
    PrincipalType: op.principalType,
    PrincipalId: op.principalId,
    CreatedDate: op.createdDate,
  };
}

/**
 * CreateAccountAssignment: IN_PROGRESS now; the role appears in the account when it SUCCEEDS. A principal
 * that does not exist is accepted here and fails later with a FailureReason naming it, as AWS does.
 */
export function createAccountAssignment(ctx: AwsContext, input: Record<string, unknown>) {
  const { sso, ps, accountId, principalType, principalId } = assignmentRequest(ctx, input);
  const op = startOperation(ctx.world, sso, {
    kind: 'create-assignment',
    accountId,
    permissionSetArn: ps.permissionSetArn,
    principalType,
    principalId,
  });
  return { AccountAssignmentCreationStatus: statusView(op) };
}

/**
 * DeleteAccountAssignment: IN_PROGRESS now; the last assignment of a permission set in an account removes its
 * role. Deleting an assignment that does not exist is accepted and then FAILS (EntitlementItem doesn't exist).
 */
export function deleteAccountAssignment(ctx: AwsContext, input: Record<string, unknown>) {
  const { sso, ps, accountId, principalType, principalId } = assignmentRequest(ctx, input);
  const wanted: AccountAssignment = { accountId, permissionSetArn: ps.permissionSetArn, principalType, principalId };
  const op = startOperation(ctx.world, sso, { kind: 'delete-assignment', ...wanted });
  return { AccountAssignmentDeletionStatus: statusView(op) };
}

function findOperation(sso: SsoState, input: Record<string, unknown>, field: string, kind: AsyncOperation['kind']) {
  const id = requireString(input, field, { max: 36, pattern: REQUEST_ID });
  const op = sso.operations.get(id);
  if (!op || op.kind !== kind) throw new AwsError('ResourceNotFoundException', `Request ${id} does not exist.`);
  return op;
}

/** DescribeAccountAssignmentCreationStatus. */
export function describeCreationStatus(ctx: AwsContext, input: Record<string, unknown>) {
  const op = findOperation(
    requireInstance(ctx, input),
    input,
    'AccountAssignmentCreationRequestId',
    'create-assignment',
  );
  return { AccountAssignmentCreationStatus: statusView(op) };
}

/** DescribeAccountAssignmentDeletionStatus. */
export function describeDeletionStatus(ctx: AwsContext, input: Record<string, unknown>) {
  const op = findOperation(
    requireInstance(ctx, input),
    input,
    'AccountAssignmentDeletionRequestId',
    'delete-assignment',
  );
  return { AccountAssignmentDeletionStatus: statusView(op) };
}

/** The operations of a kind, filtered by the optional `Filter.Status`, as the List*Status calls return them. */
export function listOperations(sso: SsoState, input: Record<string, unknown>, kind: AsyncOperation['kind']) {
  const filter = input.Filter as Record<string, unknown> | undefined;
  const status =
    filter?.Status !== undefined && filter?.Status !== null ? requireEnum(filter, 'Status', STATUSES) : undefined;
  const ops = [...sso.operations.values()]
    .filter((op) => op.kind === kind && (!status || op.status === status))
    .map((op) => ({ Status: op.status, RequestId: op.requestId, CreatedDate: op.createdDate }));
  return pageOf(ops, input, maxResults(input) ?? 100, `ops-${kind}-${status ?? ''}`);
}

/** ListAccountAssignmentCreationStatus. */
export function listCreationStatus(ctx: AwsContext, input: Record<string, unknown>) {
  const page = listOperations(requireInstance(ctx, input), input, 'create-assignment');
  return { AccountAssignmentsCreationStatus: page.items, NextToken: page.nextToken };
}

/** ListAccountAssignmentDeletionStatus. */
export function listDeletionStatus(ctx: AwsContext, input: Record<string, unknown>) {
  const page = listOperations(requireInstance(ctx, input), input, 'delete-assignment');
  return { AccountAssignmentsDeletionStatus: page.items, NextToken: page.nextToken };
}

function assignmentView(a: AccountAssignment) {
  return {
    AccountId: a.accountId,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  };
}

/** ListAccountAssignments: who has this permission set in this account. */
export function listAccountAssignments(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const accountId = requireAccountId(input);
  const ps = requirePermissionSet(sso, input);
  const all = sso.assignments.filter((a) => a.accountId === accountId && a.permissionSetArn === ps.permissionSetArn);
  const page = pageOf(all.map(assignmentView), input, maxResults(input) ?? 100, `assignments-${accountId}`);
  return { AccountAssignments: page.items, NextToken: page.nextToken };
}

/** ListAccountAssignmentsForPrincipal, optionally filtered to one account. */
export function listAccountAssignmentsForPrincipal(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const { principalType, principalId } = principalOf(input);
  const filter = input.Filter as Record<string, unknown> | undefined;
  if (filter !== undefined && (filter === null || typeof filter !== 'object')) {
    throw constraintError('filter', filter, 'Member must be a structure');
  }
  const accountId = filter?.AccountId !== undefined ? requireAccountId(filter) : undefined;
  const all = sso.assignments.filter(
    (a) =>
      a.principalType === principalType && a.principalId === principalId && (!accountId || a.accountId === accountId),
  );
  const page = pageOf(all.map(assignmentView), input, maxResults(input) ?? 100, `for-${principalId}`);
  return { AccountAssignments: page.items, NextToken: page.nextToken };
}

/** ListAccountsForProvisionedPermissionSet. */
export function listAccountsForProvisionedPermissionSet(ctx: AwsContext, input: Record<string, unknown>) {
  const sso = requireInstance(ctx, input);
  const ps = requirePermissionSet(sso, input);
  const ids = [...ps.provisionedRevision.keys()].filter((id) => matchesProvisioningStatus(ps, id, input)).sort();
  const page = pageOf(ids, input, maxResults(input) ?? 100, `accounts-${ps.permissionSetArn}`);
  return { AccountIds: page.items, NextToken: page.nextToken };
}
