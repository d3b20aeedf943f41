/**
 * The IAM writes of `decommission`, one call per typed change. "Not found" on a delete, detach or removal is
 * success (the object is already gone: a resumed run meets what the killed one did), in this one helper.
 */
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  type IAMClient,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  type StatusType,
  UpdateAccessKeyCommand,
  UpdateServiceSpecificCredentialCommand,
  UpdateSigningCertificateCommand,
  UpdateSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import type { IamChange, IamCredentialType } from '../core/reconcile/changes-iam.js';

async function goneIsDone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if ((error as Error).name !== 'NoSuchEntity' && (error as Error).name !== 'NoSuchEntityException') throw error;
  }
}

function setStatus(iam: IAMClient, userName: string, type: IamCredentialType, id: string, Status: StatusType) {
  switch (type) {
    case 'access-key':
      return iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status }));
    case 'service-credential':
      return iam.send(
        new UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: id, Status }),
      );
    case 'ssh-key':
      return iam.send(new UpdateSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: id, Status }));
    case 'signing-certificate':
      return iam.send(new UpdateSigningCertificateCommand({ UserName: userName, CertificateId: id, Status }));
  }
}

function deleteCredential(iam: IAMClient, userName: string, type: IamCredentialType, id: string) {
  switch (type) {
    case 'access-key':
      return iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: id }));
    case 'service-credential':
      return iam.send(
        new DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: id }),
      );
    case 'ssh-key':
      return iam.send(new DeleteSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: id }));
    case 'signing-certificate':
      return iam.send(new DeleteSigningCertificateCommand({ UserName: userName, CertificateId: id }));
  }
}

/**
 * Makes one change. `password` is the new console password of a `iam.login-profile.create` (made by the caller,
 * delivered by it, never stored); the login profile is created with PasswordResetRequired so the person sets their
 * own at the first sign-in (IAM API reference, CreateLoginProfile).
 */
export async function writeIamChange(iam: IAMClient, c: IamChange, password?: string): Promise<void> {
  const UserName = c.userName;
  switch (c.kind) {
    case 'iam.login-profile.delete':
      return goneIsDone(iam.send(new DeleteLoginProfileCommand({ UserName })));
    case 'iam.login-profile.create':
      if (!password) throw new Error('no password to create the login profile with');
      await iam.send(new CreateLoginProfileCommand({ UserName, Password: password, PasswordResetRequired: true }));
      return;
    case 'iam.credential.deactivate':
    case 'iam.credential.activate':
      await setStatus(iam, UserName, c.type, c.id, c.kind.endsWith('deactivate') ? 'Inactive' : 'Active');
      return;
    case 'iam.credential.delete':
      return goneIsDone(deleteCredential(iam, UserName, c.type, c.id));
    case 'iam.mfa.deactivate':
      return goneIsDone(iam.send(new DeactivateMFADeviceCommand({ UserName, SerialNumber: c.serialNumber })));
    case 'iam.mfa.delete-virtual':
      return goneIsDone(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: c.serialNumber })));
    case 'iam.user-policy.delete':
      return goneIsDone(iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName: c.policyName })));
    case 'iam.user-policy.put':
      await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: c.policyName, PolicyDocument: c.document }));
      return;
    case 'iam.user-policy.detach':
      return goneIsDone(iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn: c.policyArn })));
    case 'iam.user-policy.attach':
      await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn: c.policyArn }));
      return;
    case 'iam.group.remove-user':
      return goneIsDone(iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName: c.group })));
    case 'iam.group.add-user':
      await iam.send(new AddUserToGroupCommand({ UserName, GroupName: c.group }));
      return;
    case 'iam.user.delete':
      return goneIsDone(iam.send(new DeleteUserCommand({ UserName })));
    case 'iam.user.create':
      await iam.send(
        new CreateUserCommand({
          UserName,
          Path: c.shape.path,
          Tags: c.shape.tags.length ? c.shape.tags.map((t) => ({ Key: t.key, Value: t.value })) : undefined,
          PermissionsBoundary: c.shape.permissionsBoundary ?? undefined,
        }),
      );
      return;
  }
}
