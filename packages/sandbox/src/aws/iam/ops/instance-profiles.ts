/**
 * IAM instance profiles: the container EC2 hands a role through. Sources: IAM API Reference
 * (API_CreateInstanceProfile.html: name `[\w+=,.@-]+` up to 128 characters, EntityAlreadyExists, ids prefixed
 * AIPA; API_AddRoleToInstanceProfile.html: "An instance profile can contain only one role, and this quota cannot be
 * increased", refused with `LimitExceeded: Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1` (the
 * message AWS sends, as moto's issue #6404 records it); API_DeleteInstanceProfile.html and API_DeleteRole.html:
 * `DeleteConflict: Cannot delete entity, must remove roles from instance profile first.`, as AWS answers in
 * 99designs/iamy#47 and #68). Kept per account, beside the account's IAM state.
 */
import { makeAwsId } from '../../../rng.js';
import type { IamAccountState, Tag } from '../../../world/iam-state.js';
import { AwsError, noSuchEntity } from '../../errors.js';
import { checkPath, checkTags } from '../validate.js';
import { type IamScope, requireRole } from './scope.js';

/** An instance profile and the role in it (at most one). */
export type InstanceProfile = {
  name: string;
  id: string;
  path: string;
  createDate: Date;
  roleName: string | null;
  tags: Tag[];
};

const profiles = new WeakMap<IamAccountState, Map<string, InstanceProfile>>();

/** The instance profiles of an account's IAM, by name. */
export function instanceProfilesOf(iam: IamAccountState): Map<string, InstanceProfile> {
  let map = profiles.get(iam);
  if (!map) {
    map = new Map();
    profiles.set(iam, map);
  }
  return map;
}

/** The instance profile, or NoSuchEntity as IAM words it. */
export function requireInstanceProfile(iam: IamAccountState, name: string): InstanceProfile {
  const p = instanceProfilesOf(iam).get(name);
  if (!p) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return p;
}

/** The ARN of an instance profile. */
export function instanceProfileArn(accountId: string, p: { path: string; name: string }): string {
  return `arn:aws:iam::${accountId}:instance-profile${p.path}${p.name}`;
}

/** Creates an empty instance profile. */
export function createInstanceProfile(scope: IamScope, name: string, path: string, tags: Tag[]): InstanceProfile {
  if (!/^[\w+=,.@-]{1,128}$/.test(name))
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${name}' at 'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  checkPath(path);
  checkTags(tags);
  const map = instanceProfilesOf(scope.account.iam);
  // IAM names are unique without regard to case.
  if ([...map.keys()].some((n) => n.toLowerCase() === name.toLowerCase()))
    throw new AwsError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
  const p: InstanceProfile = {
    name,
    id: makeAwsId(scope.world.rng, 'AIPA'),
    path,
    createDate: scope.world.clock.now(),
    roleName: null,
    tags,
  };
  map.set(name, p);
  return p;
}

/** Puts a role in an instance profile (one role at most). */
export function addRoleToInstanceProfile(scope: IamScope, name: string, roleName: string): void {
  const p = requireInstanceProfile(scope.account.iam, name);
  const role = requireRole(scope.account.iam, roleName);
  if (p.roleName)
    throw new AwsError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
  p.roleName = role.roleName;
}

/** Takes the role out of an instance profile. */
export function removeRoleFromInstanceProfile(scope: IamScope, name: string, roleName: string): void {
  const p = requireInstanceProfile(scope.account.iam, name);
  if (p.roleName !== roleName) {
    requireRole(scope.account.iam, roleName);
    throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  }
  p.roleName = null;
}

/** Deletes an instance profile that holds no role. */
export function deleteInstanceProfile(scope: IamScope, name: string): void {
  const p = requireInstanceProfile(scope.account.iam, name);
  if (p.roleName)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
  instanceProfilesOf(scope.account.iam).delete(name);
}

/** The instance profiles that hold a role. */
export function instanceProfilesForRole(iam: IamAccountState, roleName: string): InstanceProfile[] {
  return [...instanceProfilesOf(iam).values()].filter((p) => p.roleName === roleName);
}
