/**
 * Identity Center writes behind apply's port, each idempotent (see identity-center-idempotent.ts): permission
 * sets and their policies, account assignments, provisioning. Asynchronous ones return the request id to poll.
 */
import {
  AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DeletePermissionSetCommand,
  DeletePermissionsBoundaryFromPermissionSetCommand,
  DetachCustomerManagedPolicyReferenceFromPermissionSetCommand,
  DetachManagedPolicyFromPermissionSetCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand,
  UpdatePermissionSetCommand,
} from '@aws-sdk/client-sso-admin';
import type { AssignmentRef, IdentityCenterWriter } from '../apply/ports.js';
import { NotManagedError } from '../core/reconcile/not-managed.js';
import { idempotent } from './identity-center-idempotent.js';
import type { InstanceScope } from './identity-center-instance.js';

/** The writes over an instance-bound client. */
export function identityCenterWrites({ client, arn, ps }: InstanceScope): IdentityCenterWriter {
  const assignment = async (a: AssignmentRef) => ({
    InstanceArn: await arn(),
    TargetId: a.accountId,
    TargetType: 'AWS_ACCOUNT' as const,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  });

  return {
    async createPermissionSet(p) {
      const InstanceArn = await arn();
      const Tags = Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value }));
      // A Conflict means the name is taken: never "created" (ownership is recorded, not inferred from a name).
      try {
        const created = await client.send(
          new CreatePermissionSetCommand({
            InstanceArn,
            Name: p.name,
            Description: p.description,
            SessionDuration: p.sessionDuration,
            ...(p.relayState ? { RelayState: p.relayState } : {}),
            Tags,
          }),
        );
        const arn = created.PermissionSet?.PermissionSetArn;
        if (!arn) throw new Error(`CreatePermissionSet for ${p.name} returned no ARN`);
        return arn;
      } catch (error) {
        if ((error as Error).name === 'ConflictException' && !/in progress|try again/i.test((error as Error).message))
          throw new NotManagedError(`permission set ${p.name}`, `iam2sso adopt permission-set ${p.name}`);
        throw error;
      }
    },
    async updatePermissionSet(psArn, p) {
      const input = { ...(await ps(psArn)), Description: p.description, SessionDuration: p.sessionDuration };
      await idempotent(() => client.send(new UpdatePermissionSetCommand(input)), {});
    },
    async deletePermissionSet(psArn) {
      const input = await ps(psArn);
      await idempotent(() => client.send(new DeletePermissionSetCommand(input)), { missing: true });
    },
    async attachManagedPolicy(psArn, ManagedPolicyArn) {
      const input = { ...(await ps(psArn)), ManagedPolicyArn };
      await idempotent(() => client.send(new AttachManagedPolicyToPermissionSetCommand(input)), { exists: true });
    },
    async detachManagedPolicy(psArn, ManagedPolicyArn) {
      const input = { ...(await ps(psArn)), ManagedPolicyArn };
      await idempotent(() => client.send(new DetachManagedPolicyFromPermissionSetCommand(input)), { missing: true });
    },
    async attachCustomerManagedPolicy(psArn, ref) {
      const input = { ...(await ps(psArn)), CustomerManagedPolicyReference: { Name: ref.name, Path: ref.path } };
      await idempotent(() => client.send(new AttachCustomerManagedPolicyReferenceToPermissionSetCommand(input)), {
        exists: true,
      });
    },
    async detachCustomerManagedPolicy(psArn, ref) {
      const input = { ...(await ps(psArn)), CustomerManagedPolicyReference: { Name: ref.name, Path: ref.path } };
      await idempotent(() => client.send(new DetachCustomerManagedPolicyReferenceFromPermissionSetCommand(input)), {
        missing: true,
      });
    },
    async putInlinePolicy(psArn, InlinePolicy) {
      const input = { ...(await ps(psArn)), InlinePolicy };
      await idempotent(() => client.send(new PutInlinePolicyToPermissionSetCommand(input)), {});
    },
    async deleteInlinePolicy(psArn) {
      const input = await ps(psArn);
      await idempotent(() => client.send(new DeleteInlinePolicyFromPermissionSetCommand(input)), { missing: true });
    },
    async putPermissionsBoundary(psArn, b) {
      const PermissionsBoundary =
        'managedPolicyArn' in b
          ? { ManagedPolicyArn: b.managedPolicyArn }
          : {
              CustomerManagedPolicyReference: {
                Name: b.customerManagedPolicy.name,
                Path: b.customerManagedPolicy.path,
              },
            };
      const input = { ...(await ps(psArn)), PermissionsBoundary };
      await idempotent(() => client.send(new PutPermissionsBoundaryToPermissionSetCommand(input)), {});
    },
    async deletePermissionsBoundary(psArn) {
      const input = await ps(psArn);
      await idempotent(() => client.send(new DeletePermissionsBoundaryFromPermissionSetCommand(input)), {
        missing: true,
      });
    },
    async createAssignment(a) {
      const input = await assignment(a);
      const out = await idempotent(() => client.send(new CreateAccountAssignmentCommand(input)), {});
      return out?.AccountAssignmentCreationStatus?.RequestId ?? '';
    },
    async deleteAssignment(a) {
      const input = await assignment(a);
      const out = await idempotent(() => client.send(new DeleteAccountAssignmentCommand(input)), { missing: true });
      return out?.AccountAssignmentDeletionStatus?.RequestId ?? null;
    },
    async provision(psArn, accountId) {
      const input = { ...(await ps(psArn)), TargetType: 'AWS_ACCOUNT' as const, TargetId: accountId };
      const out = await idempotent(() => client.send(new ProvisionPermissionSetCommand(input)), {});
      return out?.PermissionSetProvisioningStatus?.RequestId ?? '';
    },
  };
}
