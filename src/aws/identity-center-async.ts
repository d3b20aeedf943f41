/**
 * Identity Center's asynchronous requests (assignment creation and deletion, provisioning): one describe for a
 * request's status and its target, and the list of those still in progress (what a killed apply left running).
 */
import {
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetProvisioningStatusCommand,
  paginateListAccountAssignmentCreationStatus,
  paginateListAccountAssignmentDeletionStatus,
  paginateListPermissionSetProvisioningStatus,
} from '@aws-sdk/client-sso-admin';
import type { AssignmentRef, AsyncKind, AsyncStatus, IdentityCenterReader } from '../apply/ports.js';
import type { InstanceScope } from './identity-center-instance.js';

/** The asynchronous-request reads of the port. */
export type AsyncReads = Pick<IdentityCenterReader, 'asyncStatus' | 'inProgress'>;

type RawStatus = {
  Status?: string;
  FailureReason?: string;
  TargetId?: string;
  PermissionSetArn?: string;
  PrincipalType?: string;
  PrincipalId?: string;
};

/** Status and in-progress reads over an instance-bound client. */
export function asyncReads({ client, arn }: InstanceScope): AsyncReads {
  const describeAsync = async (kind: AsyncKind, requestId: string): Promise<RawStatus> => {
    const InstanceArn = await arn();
    if (kind === 'create-assignment')
      return (
        (
          await client.send(
            new DescribeAccountAssignmentCreationStatusCommand({
              InstanceArn,
              AccountAssignmentCreationRequestId: requestId,
            }),
          )
        ).AccountAssignmentCreationStatus ?? {}
      );
    if (kind === 'delete-assignment')
      return (
        (
          await client.send(
            new DescribeAccountAssignmentDeletionStatusCommand({
              InstanceArn,
              AccountAssignmentDeletionRequestId: requestId,
            }),
          )
        ).AccountAssignmentDeletionStatus ?? {}
      );
    const p = (
      await client.send(
        new DescribePermissionSetProvisioningStatusCommand({ InstanceArn, ProvisionPermissionSetRequestId: requestId }),
      )
    ).PermissionSetProvisioningStatus;
    return { ...p, TargetId: p?.AccountId };
  };

  const asyncStatus = async (kind: AsyncKind, requestId: string): Promise<AsyncStatus> => {
    const s = await describeAsync(kind, requestId);
    // Deleting an assignment that is already gone is accepted and then FAILS with "EntitlementItem doesn't
    // exist" (quoted by the Terraform AWS provider): the assignment is gone, which is what was asked.
    if (
      kind === 'delete-assignment' &&
      s.Status === 'FAILED' &&
      /EntitlementItem doesn't exist/.test(s.FailureReason ?? '')
    )
      return { status: 'SUCCEEDED' };
    return { status: (s.Status ?? 'IN_PROGRESS') as AsyncStatus['status'], failureReason: s.FailureReason };
  };

  const describeTarget = async (kind: AsyncKind, requestId: string): Promise<Partial<AssignmentRef>> => {
    const v = await describeAsync(kind, requestId);
    return {
      accountId: v.TargetId,
      permissionSetArn: v.PermissionSetArn,
      principalType: v.PrincipalType as AssignmentRef['principalType'] | undefined,
      principalId: v.PrincipalId,
    };
  };

  const inProgress = async (kind: AsyncKind) => {
    const InstanceArn = await arn();
    const input = { InstanceArn, Filter: { Status: 'IN_PROGRESS' as const } };
    const ids: string[] = [];
    if (kind === 'create-assignment') {
      for await (const page of paginateListAccountAssignmentCreationStatus({ client }, input))
        for (const s of page.AccountAssignmentsCreationStatus ?? []) if (s.RequestId) ids.push(s.RequestId);
    } else if (kind === 'delete-assignment') {
      for await (const page of paginateListAccountAssignmentDeletionStatus({ client }, input))
        for (const s of page.AccountAssignmentsDeletionStatus ?? []) if (s.RequestId) ids.push(s.RequestId);
    } else {
      for await (const page of paginateListPermissionSetProvisioningStatus({ client }, input))
        for (const s of page.PermissionSetsProvisioningStatus ?? []) if (s.RequestId) ids.push(s.RequestId);
    }
    const out: { requestId: string; target: Partial<AssignmentRef> }[] = [];
    for (const requestId of ids) {
      const target = await describeTarget(kind, requestId);
      out.push({ requestId, target });
    }
    return out;
  };

  return { asyncStatus, inProgress };
}
