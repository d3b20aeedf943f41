/** IAM users: create, rename, tag, permissions boundary and the guarded delete. */
import { makeAwsId } from '../../../rng.js';
import { type IamUser, newIamUser, type Tag } from '../../../world/iam-state.js';
import { AwsError } from '../../errors.js';
import { checkPath, checkTags, checkUserName } from '../validate.js';
import { requireManagedPolicy } from './policies.js';
import { type IamScope, nameTaken, requireUser } from './scope.js';

export type CreateUserInput = {
  userName: string;
  path?: string;
  tags?: Tag[];
  permissionsBoundary?: string;
  /** Backdating for scenarios; the clock's now by default. */
  createDate?: Date;
};

/** Creates a user with nothing attached; EntityAlreadyExists when the name is taken (ignoring case). */
export function createUser(scope: IamScope, input: CreateUserInput): IamUser {
  const iam = scope.account.iam;
  const userName = checkUserName(input.userName);
  const path = checkPath(input.path);
  const tags = input.tags ?? [];
  checkTags(tags);
  if (nameTaken(iam.users, userName))
    throw new AwsError('EntityAlreadyExists', `User with name ${userName} already exists.`, 409);
  if (input.permissionsBoundary) requireManagedPolicy(scope, input.permissionsBoundary, 'boundary');
  const user = newIamUser(
    userName,
    makeAwsId(scope.world.rng, 'AIDA'),
    input.createDate ?? scope.world.clock.now(),
    path,
  );
  user.tags = tags.map((t) => ({ ...t }));
  user.permissionsBoundary = input.permissionsBoundary;
  iam.users.set(userName, user);
  return user;
}

/** Renames a user and/or moves it to another path, keeping its keys, groups and devices. */
export function updateUser(
  scope: IamScope,
  userName: string,
  change: { newUserName?: string; newPath?: string },
): void {
  const iam = scope.account.iam;
  const user = requireUser(iam, userName);
  if (change.newPath !== undefined) user.path = checkPath(change.newPath, 'newPath');
  const newName = change.newUserName;
  if (newName === undefined || newName === user.userName) return;
  checkUserName(newName);
  if (newName.toLowerCase() !== user.userName.toLowerCase() && nameTaken(iam.users, newName))
    throw new AwsError('EntityAlreadyExists', `User with name ${newName} already exists.`, 409);
  const old = user.userName;
  iam.users.delete(old);
  user.userName = newName;
  iam.users.set(newName, user);
  for (const key of user.accessKeys)
    scope.world.keyOwners.set(key.accessKeyId, { accountId: scope.account.id, userName: newName });
  for (const device of iam.mfaDevices.values()) if (device.userName === old) device.userName = newName;
}

/** What still blocks deleting a user, in the order IAM checks it; undefined when nothing does. */
export function userDeleteConflict(user: IamUser): string | undefined {
  if (user.loginProfile) return 'Cannot delete entity, must delete login profile first.';
  if (user.accessKeys.length > 0) return 'Cannot delete entity, must delete access keys first.';
  if (user.signingCertificates.length > 0) return 'Cannot delete entity, must delete signing certificates first.';
  if (user.sshPublicKeys.length > 0) return 'Cannot delete entity, must delete SSH public keys first.';
  if (user.serviceSpecificCredentials.length > 0)
    return 'Cannot delete entity, must delete service specific credentials first.';
  if (user.mfaDevices.length > 0) return 'Cannot delete entity, must delete MFA device first.';
  if (user.attachedPolicies.length > 0) return 'Cannot delete entity, must detach all policies first.';
  if (user.inlinePolicies.size > 0) return 'Cannot delete entity, must delete policies first.';
  if (user.groups.length > 0) return 'Cannot delete entity, must remove users from group first.';
  return undefined;
}

/** Deletes a user; DeleteConflict (409) while anything is still attached to it. */
export function deleteUser(scope: IamScope, userName: string): void {
  const iam = scope.account.iam;
  const user = requireUser(iam, userName);
  const conflict = userDeleteConflict(user);
  if (conflict) throw new AwsError('DeleteConflict', conflict, 409);
  iam.users.delete(user.userName);
}

/** Adds or replaces tags (keys compare without case, as IAM does). */
export function tagEntity(tags: Tag[], added: Tag[]): Tag[] {
  checkTags(added);
  const out = tags.filter((t) => !added.some((a) => a.key.toLowerCase() === t.key.toLowerCase()));
  out.push(...added.map((t) => ({ ...t })));
  checkTags(out);
  return out;
}

/** Removes tags by key. */
export function untagEntity(tags: Tag[], keys: string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return tags.filter((t) => !drop.has(t.key.toLowerCase()));
}

/** Sets a user's permissions boundary (a managed policy ARN). */
export function putUserPermissionsBoundary(scope: IamScope, userName: string, policyArn: string): void {
  const user = requireUser(scope.account.iam, userName);
  requireManagedPolicy(scope, policyArn, 'boundary');
  user.permissionsBoundary = policyArn;
}
