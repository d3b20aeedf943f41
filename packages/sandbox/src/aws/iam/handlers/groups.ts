/** IAM Query handlers for groups and memberships. */
import type { QueryHandler } from '../../context.js';
import { requireParam } from '../../query.js';
import {
  addUserToGroup,
  compareNames,
  createGroup,
  deleteGroup,
  groupMembers,
  removeUserFromGroup,
  requireGroup,
  requireUser,
  updateGroup,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { groupXml, userXml } from '../shapes.js';
import { checkPathPrefix } from '../validate.js';
import { scopeOf } from './common.js';

/** Handlers for the group calls. */
export const groupHandlers: Record<string, QueryHandler> = {
  CreateGroup: (ctx, params) => {
    const scope = scopeOf(ctx);
    const group = createGroup(scope, { groupName: requireParam(params, 'GroupName'), path: params.get('Path') });
    return { Group: groupXml(scope, group) };
  },

  GetGroup: (ctx, params) => {
    const scope = scopeOf(ctx);
    const group = requireGroup(scope.account.iam, requireParam(params, 'GroupName'));
    const page = pageOf(groupMembers(scope.account.iam, group.groupName), params);
    return { Group: groupXml(scope, group), Users: page.items.map((u) => userXml(scope, u)), ...pageFields(page) };
  },

  ListGroups: (ctx, params) => {
    const scope = scopeOf(ctx);
    const prefix = checkPathPrefix(params.get('PathPrefix'));
    const groups = [...scope.account.iam.groups.values()]
      .filter((g) => g.path.startsWith(prefix))
      .sort((a, b) => compareNames(a.groupName, b.groupName));
    const page = pageOf(groups, params);
    return { Groups: page.items.map((g) => groupXml(scope, g)), ...pageFields(page) };
  },

  UpdateGroup: (ctx, params) => {
    updateGroup(scopeOf(ctx), requireParam(params, 'GroupName'), {
      newGroupName: params.get('NewGroupName'),
      newPath: params.get('NewPath'),
    });
    return {};
  },

  DeleteGroup: (ctx, params) => {
    deleteGroup(scopeOf(ctx), requireParam(params, 'GroupName'));
    return {};
  },

  AddUserToGroup: (ctx, params) => {
    addUserToGroup(scopeOf(ctx), requireParam(params, 'GroupName'), requireParam(params, 'UserName'));
    return {};
  },

  RemoveUserFromGroup: (ctx, params) => {
    removeUserFromGroup(scopeOf(ctx), requireParam(params, 'GroupName'), requireParam(params, 'UserName'));
    return {};
  },

  ListGroupsForUser: (ctx, params) => {
    const scope = scopeOf(ctx);
    const iam = scope.account.iam;
    const user = requireUser(iam, requireParam(params, 'UserName'));
    const groups = user.groups.map((name) => requireGroup(iam, name));
    const page = pageOf(groups, params);
    return { Groups: page.items.map((g) => groupXml(scope, g)), ...pageFields(page) };
  },
};
