/** Console passwords (login profiles) and access keys of users and of the root user. */
import type { AccessKey, IamUser, LoginProfile } from '../../../world/iam-state.js';
import { AwsError, noSuchEntity } from '../../errors.js';
import { type IamScope, requireUser } from './scope.js';

/** Access keys a user (or the root user) may hold. */
export const ACCESS_KEYS_PER_USER = 2;

/**
 * IAM's default password policy (used when the account sets none): at least 8 characters and three of
 * upper case, lower case, digits and symbols.
 */
export function checkPassword(password: string): void {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 8 || password.length > 128 || classes < 3)
    throw new AwsError('PasswordPolicyViolation', 'Password does not conform to the account password policy.', 400);
}

/** Gives a user a console password; EntityAlreadyExists when it has one. */
export function createLoginProfile(
  scope: IamScope,
  userName: string,
  password: string,
  passwordResetRequired = false,
  createDate?: Date,
): LoginProfile {
  const user = requireUser(scope.account.iam, userName);
  if (user.loginProfile)
    throw new AwsError('EntityAlreadyExists', `Login Profile for user ${user.userName} already exists.`, 409);
  checkPassword(password);
  const now = createDate ?? scope.world.clock.now();
  user.loginProfile = { createDate: now, passwordResetRequired, password, passwordLastChanged: now };
  return user.loginProfile;
}

/** The user's login profile, or NoSuchEntity. */
export function requireLoginProfile(user: IamUser): LoginProfile {
  if (!user.loginProfile) throw noSuchEntity(`Login Profile for User ${user.userName} cannot be found.`);
  return user.loginProfile;
}

/** Changes the password and/or the reset-required flag. */
export function updateLoginProfile(
  scope: IamScope,
  userName: string,
  change: { password?: string; passwordResetRequired?: boolean },
): void {
  const profile = requireLoginProfile(requireUser(scope.account.iam, userName));
  if (change.password !== undefined) {
    checkPassword(change.password);
    profile.password = change.password;
    profile.passwordLastChanged = scope.world.clock.now();
  }
  if (change.passwordResetRequired !== undefined) profile.passwordResetRequired = change.passwordResetRequired;
}

/** Removes the console password. */
export function deleteLoginProfile(scope: IamScope, userName: string): void {
  const user = requireUser(scope.account.iam, userName);
  requireLoginProfile(user);
  user.loginProfile = undefined;
}

function keysOf(scope: IamScope, userName: string | null): { keys: AccessKey[]; owner: string | null } {
  if (userName === null) return { keys: scope.account.iam.root.accessKeys, owner: null };
  const user = requireUser(scope.account.iam, userName);
  return { keys: user.accessKeys, owner: user.userName };
}

/** Creates an access key for a user (null: the root user); LimitExceeded on the third. */
export function createAccessKey(scope: IamScope, userName: string | null, createDate?: Date): AccessKey {
  const { keys, owner } = keysOf(scope, userName);
  if (keys.length >= ACCESS_KEYS_PER_USER)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`, 409);
  const key = scope.world.issueAccessKey(scope.account.id, owner, createDate ?? scope.world.clock.now());
  keys.push(key);
  return key;
}

/** A key of the user (null: root), or NoSuchEntity. */
export function requireAccessKey(scope: IamScope, userName: string | null, accessKeyId: string): AccessKey {
  const { keys } = keysOf(scope, userName);
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return key;
}

/** Activates or deactivates a key; an inactive key is refused with InvalidClientTokenId. */
export function updateAccessKey(
  scope: IamScope,
  userName: string | null,
  accessKeyId: string,
  status: 'Active' | 'Inactive',
): void {
  requireAccessKey(scope, userName, accessKeyId).status = status;
}

/** Deletes a key for good and drops it from the world's key index. */
export function deleteAccessKey(scope: IamScope, userName: string | null, accessKeyId: string): void {
  const { keys } = keysOf(scope, userName);
  const i = keys.findIndex((k) => k.accessKeyId === accessKeyId);
  if (i < 0) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  keys.splice(i, 1);
  scope.world.keyOwners.delete(accessKeyId);
}
