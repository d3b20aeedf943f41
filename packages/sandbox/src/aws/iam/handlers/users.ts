/** IAM Query handlers for users: CRUD, tags, permissions boundary. */
import type { QueryHandler } from '../../context.js';
import { listParam, requireParam } from '../../query.js';
import {
  createUser,
  deleteUser,
  putUserPermissionsBoundary,
  requireUser,
  sortByName,
  tagEntity,
  untagEntity,
  updateUser,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { tagsXml, userXml } from '../shapes.js';
import { checkPathPrefix } from '../validate.js';
import { impliedIamUser, scopeOf, tagsParam } from './common.js';

/** Handlers for the user calls. */
export const userHandlers: Record<string, QueryHandler> = {
  CreateUser: (ctx, params) => {
    const scope = scopeOf(ctx);
    const user = createUser(scope, {
      userName: requireParam(params, 'UserName'),
      path: params.get('Path'),
      tags: tagsParam(params),
      permissionsBoundary: params.get('PermissionsBoundary'),
    });
    return { User: userXml(scope, user, true) };
  },

  GetUser: (ctx, params) => {
    const scope = scopeOf(ctx);
    const name = params.get('UserName');
    const p = ctx.caller.principal;
    if (!name && p.kind === 'root') {
      const root = scope.account.iam.root;
      return {
        User: {
          UserId: scope.account.id,
          Arn: `arn:aws:iam::${scope.account.id}:root`,
          CreateDate: root.createDate,
          PasswordLastUsed: root.passwordLastUsed,
        },
      };
    }
    const user = requireUser(scope.account.iam, impliedIamUser(ctx, params));
    return { User: userXml(scope, user, true) };
  },

  ListUsers: (ctx, params) => {
    const scope = scopeOf(ctx);
    const prefix = checkPathPrefix(params.get('PathPrefix'));
    const all = scope.account.iam.users.values();
    const users = sortByName(
      prefix === '/' ? all : [...all].filter((u) => u.path.startsWith(prefix)),
      (u) => u.userName,
    );
    const page = pageOf(users, params);
    return { Users: page.items.map((u) => userXml(scope, u)), ...pageFields(page) };
  },

  UpdateUser: (ctx, params) => {
    updateUser(scopeOf(ctx), requireParam(params, 'UserName'), {
      newUserName: params.get('NewUserName'),
      newPath: params.get('NewPath'),
    });
    return {};
  },

  DeleteUser: (ctx, params) => {
    deleteUser(scopeOf(ctx), requireParam(params, 'UserName'));
    return {};
  },

  TagUser: (ctx, params) => {
    const user = requireUser(scopeOf(ctx).account.iam, requireParam(params, 'UserName'));
    user.tags = tagEntity(user.tags, tagsParam(params));
    return {};
  },

  UntagUser: (ctx, params) => {
    const user = requireUser(scopeOf(ctx).account.iam, requireParam(params, 'UserName'));
    user.tags = untagEntity(user.tags, listParam(params, 'TagKeys'));
    return {};
  },

  ListUserTags: (ctx, params) => {
    const user = requireUser(scopeOf(ctx).account.iam, requireParam(params, 'UserName'));
    const page = pageOf(user.tags, params);
    return { Tags: tagsXml(page.items) ?? [], ...pageFields(page) };
  },

  PutUserPermissionsBoundary: (ctx, params) => {
    putUserPermissionsBoundary(
      scopeOf(ctx),
      requireParam(params, 'UserName'),
      requireParam(params, 'PermissionsBoundary'),
    );
    return {};
  },

  DeleteUserPermissionsBoundary: (ctx, params) => {
    requireUser(scopeOf(ctx).account.iam, requireParam(params, 'UserName')).permissionsBoundary = undefined;
    return {};
  },
};
