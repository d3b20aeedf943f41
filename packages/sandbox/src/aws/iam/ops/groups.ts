/** IAM groups and their memberships. */
import { makeAwsId } from '../../../rng.js';
import type { IamGroup } from '../../../world/iam-state.js';
import { AwsError } from '../../errors.js';
import { checkGroupName, checkPath } from '../validate.js';
import { groupMembers, type IamScope, nameTaken, requireGroup, requireUser } from './scope.js';

/** Groups a user may belong to. */
export const GROUPS_PER_USER = 10;

/** Creates a group; EntityAlreadyExists when the name is taken. */
export function createGroup(scope: IamScope, input: { groupName: string; path?: string; createDate?: Date }): IamGroup {
  const iam = scope.account.iam;
  const groupName = checkGroupName(input.groupName);
  const path = checkPath(input.path);
  if (nameTaken(iam.groups, groupName))
    throw new AwsError('EntityAlreadyExists', `Group with name ${groupName} already exists.`, 409);
  const group: IamGroup = {
    groupName,
    groupId: makeAwsId(scope.world.rng, 'AGPA'),
    path,
    createDate: input.createDate ?? scope.world.clock.now(),
    attachedPolicies: [],
    inlinePolicies: new Map(),
  };
  iam.groups.set(groupName, group);
  return group;
}

/** Renames a group and/or changes its path; members follow the new name. */
export function updateGroup(
  scope: IamScope,
  groupName: string,
  change: { newGroupName?: string; newPath?: string },
): void {
  const iam = scope.account.iam;
  const group = requireGroup(iam, groupName);
  if (change.newPath !== undefined) group.path = checkPath(change.newPath, 'newPath');
  const newName = change.newGroupName;
  if (newName === undefined || newName === group.groupName) return;
  checkGroupName(newName);
  if (newName.toLowerCase() !== group.groupName.toLowerCase() && nameTaken(iam.groups, newName))
    throw new AwsError('EntityAlreadyExists', `Group with name ${newName} already exists.`, 409);
  const old = group.groupName;
  iam.groups.delete(old);
  group.groupName = newName;
  iam.groups.set(newName, group);
  for (const user of iam.users.values()) user.groups = user.groups.map((g) => (g === old ? newName : g));
}

/** Deletes a group once it has no members and no policies. */
export function deleteGroup(scope: IamScope, groupName: string): void {
  const iam = scope.account.iam;
  const group = requireGroup(iam, groupName);
  if (groupMembers(iam, group.groupName).length > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must remove users from group first.', 409);
  if (group.attachedPolicies.length > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
  if (group.inlinePolicies.size > 0)
    throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
  iam.groups.delete(group.groupName);
}

/** Adds a user to a group (a no-op when already a member); LimitExceeded past ten groups. */
export function addUserToGroup(scope: IamScope, groupName: string, userName: string): void {
  const iam = scope.account.iam;
  const group = requireGroup(iam, groupName);
  const user = requireUser(iam, userName);
  if (user.groups.includes(group.groupName)) return;
  if (user.groups.length >= GROUPS_PER_USER)
    throw new AwsError('LimitExceeded', `Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`, 409);
  user.groups.push(group.groupName);
}

/** Removes a user from a group; NoSuchEntity when not a member. */
export function removeUserFromGroup(scope: IamScope, groupName: string, userName: string): void {
  const iam = scope.account.iam;
  const group = requireGroup(iam, groupName);
  const user = requireUser(iam, userName);
  const i = user.groups.indexOf(group.groupName);
  if (i < 0) throw new AwsError('NoSuchEntity', `User ${user.userName} is not in group ${group.groupName}.`, 404);
  user.groups.splice(i, 1);
}
