/**
 * Identity Center's asynchronous operations (account assignment creation and deletion, permission set
 * provisioning): started IN_PROGRESS, they complete once their virtual completion time has passed, and only
 * then change the target account's IAM. At most 15 may be outstanding, as AWS allows.
 */

import type { AccountAssignment, AsyncOperation, SsoState } from '../../world/sso-state.js';
import type { World } from '../../world/world.js';
import { AwsError } from '../errors.js';
import { deprovisionRole, provisionRole } from './provision-role.js';

/** AWS: "write API operations have a limit of 15 outstanding asynchronous calls". */
export const MAX_OUTSTANDING_OPERATIONS = 15;
const DEFAULT_DELAY_MS = 250;

type NewOperation = Omit<AsyncOperation, 'requestId' | 'status' | 'createdDate' | 'completesAt'>;

/** Starts an asynchronous operation; ThrottlingException when 15 are already outstanding. */
export function startOperation(world: World, sso: SsoState, fields: NewOperation): AsyncOperation {
  let outstanding = 0;
  for (const op of sso.operations.values()) if (op.status === 'IN_PROGRESS') outstanding++;
  if (outstanding >= MAX_OUTSTANDING_OPERATIONS) {
    throw new AwsError(
      'ThrottlingException',
      `Too many outstanding asynchronous requests (limit ${MAX_OUTSTANDING_OPERATIONS}). Wait for some to complete and retry.`,
    );
  }
  const now = world.clock.now();
  const delay = sso.asyncDelayMs ?? DEFAULT_DELAY_MS;
  const op: AsyncOperation = {
    ...fields,
    requestId: world.nextRequestId(),
    status: 'IN_PROGRESS',
    createdDate: now,
    completesAt: new Date(now.getTime() + delay),
  };
  sso.operations.set(op.requestId, op);
  // Also settle on real time, so IAM reads see the role without an SSO call in between.
  setTimeout(() => settleOperations(world), delay + 5).unref();
  return op;
}

/** Completes every operation whose time has come, oldest first. */
export function settleOperations(world: World): void {
  const sso = world.sso;
  if (!sso) return;
  const now = world.clock.nowMs();
  const due = [...sso.operations.values()]
    .filter((op) => op.status === 'IN_PROGRESS' && op.completesAt.getTime() <= now)
    .sort((a, b) => a.completesAt.getTime() - b.completesAt.getTime());
  for (const op of due) {
    const reason = complete(world, sso, op);
    op.status = reason ? 'FAILED' : 'SUCCEEDED';
    if (reason) op.failureReason = reason;
  }
}

function complete(world: World, sso: SsoState, op: AsyncOperation): string | undefined {
  const ps = op.permissionSetArn ? sso.permissionSets.get(op.permissionSetArn) : undefined;
  if (!ps) return `Permission set ${op.permissionSetArn} does not exist.`;
  switch (op.kind) {
    case 'create-assignment': {
      const exists = op.principalType === 'USER' ? sso.users.has(op.principalId!) : sso.groups.has(op.principalId!);
      // Seen in public reports of CloudFormation AWS::SSO::Assignment failures (GUESSES.md).
      if (!exists)
        return `Received a 404 status error: the ${op.principalType} assignee ${op.principalId} was not found in directory ${sso.identityStoreId}`;
      const reason = provisionRole(world, sso, ps, op.accountId!);
      if (reason) return reason;
      const a: AccountAssignment = {
        accountId: op.accountId!,
        permissionSetArn: ps.permissionSetArn,
        principalType: op.principalType!,
        principalId: op.principalId!,
      };
      if (!sso.assignments.some((b) => sameAssignment(a, b))) sso.assignments.push(a);
      return undefined;
    }
    case 'delete-assignment': {
      const a = { ...op, permissionSetArn: ps.permissionSetArn } as AccountAssignment;
      if (!sso.assignments.some((b) => sameAssignment(a, b))) return missingEntitlement(sso, a);
      sso.assignments = sso.assignments.filter((b) => !sameAssignment(a, b));
      if (!sso.assignments.some((b) => b.accountId === a.accountId && b.permissionSetArn === a.permissionSetArn)) {
        deprovisionRole(world, sso, ps, a.accountId);
      }
      return undefined;
    }
    case 'provision': {
      const accounts =
        op.targetType === 'ALL_PROVISIONED_ACCOUNTS' ? [...ps.provisionedRevision.keys()] : [op.accountId!];
      let failure: string | undefined;
      for (const accountId of accounts) failure = provisionRole(world, sso, ps, accountId) ?? failure;
      return failure;
    }
    default:
      return undefined;
  }
}

/**
 * The reason a deletion of an assignment that does not exist fails with. The Terraform AWS provider quotes
 * it ("Received a 404 status error: EntitlementItem doesn't exist with the given entitlement key
 * EntitlementKey{...}") with the key's values elided; the values here are a guess (GUESSES.md).
 */
function missingEntitlement(sso: SsoState, a: AccountAssignment): string {
  const key = [
    `accessorId=AccessorId{value=${a.principalId}}`,
    `resourceId=ResourceId{value=${a.permissionSetArn.split('/').pop()}}`,
    `auxiliaryResourceId=AuxiliaryResourceId{value=${a.accountId}}`,
    `containerId=ContainerId{value=${sso.instanceArn.split('/').pop()}}`,
  ].join(', ');
  return `Received a 404 status error: EntitlementItem doesn't exist with the given entitlement key EntitlementKey{${key}}`;
}

/** Same account, permission set and principal. */
export function sameAssignment(a: AccountAssignment, b: AccountAssignment): boolean {
  return (
    a.accountId === b.accountId &&
    a.permissionSetArn === b.permissionSetArn &&
    a.principalType === b.principalType &&
    a.principalId === b.principalId
  );
}

/** Drops every assignment of a deleted user or group, removing roles no assignment needs any more. */
export function removePrincipalAssignments(world: World, principalId: string): void {
  const sso = world.sso;
  if (!sso) return;
  const gone = sso.assignments.filter((a) => a.principalId === principalId);
  sso.assignments = sso.assignments.filter((a) => a.principalId !== principalId);
  for (const a of gone) {
    const ps = sso.permissionSets.get(a.permissionSetArn);
    const stillUsed = sso.assignments.some(
      (b) => b.accountId === a.accountId && b.permissionSetArn === a.permissionSetArn,
    );
    if (ps && !stillUsed) deprovisionRole(world, sso, ps, a.accountId);
  }
}

/** True while an asynchronous operation on this permission set is still running. */
export function hasOperationInProgress(
  sso: SsoState,
  permissionSetArn: string,
  kind?: AsyncOperation['kind'],
): boolean {
  for (const op of sso.operations.values()) {
    if (op.status === 'IN_PROGRESS' && op.permissionSetArn === permissionSetArn && (!kind || op.kind === kind)) {
      return true;
    }
  }
  return false;
}
