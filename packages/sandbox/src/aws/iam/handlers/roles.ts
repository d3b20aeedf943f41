/** IAM Query handlers for roles: CRUD, trust policy, tags, permissions boundary. */
import type { QueryHandler } from '../../context.js';
import { intParam, listParam, requireParam } from '../../query.js';
import {
  compareNames,
  createRole,
  deleteRole,
  guardModifiableRole,
  putRolePermissionsBoundary,
  requireRole,
  tagEntity,
  untagEntity,
  updateAssumeRolePolicy,
  updateRole,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { roleXml, tagsXml } from '../shapes.js';
import { checkPathPrefix } from '../validate.js';
import { scopeOf, tagsParam } from './common.js';

/** Handlers for the role calls. */
export const roleHandlers: Record<string, QueryHandler> = {
  CreateRole: (ctx, params) => {
    const scope = scopeOf(ctx);
    const max = params.get('MaxSessionDuration');
    const role = createRole(scope, {
      roleName: requireParam(params, 'RoleName'),
      path: params.get('Path'),
      assumeRolePolicyDocument: requireParam(params, 'AssumeRolePolicyDocument'),
      description: params.get('Description'),
      maxSessionDuration: max === undefined ? undefined : intParam(params, 'MaxSessionDuration', 3600),
      permissionsBoundary: params.get('PermissionsBoundary'),
      tags: tagsParam(params),
    });
    return { Role: roleXml(scope, role, 'create') };
  },

  GetRole: (ctx, params) => {
    const scope = scopeOf(ctx);
    return { Role: roleXml(scope, requireRole(scope.account.iam, requireParam(params, 'RoleName')), 'get') };
  },

  ListRoles: (ctx, params) => {
    const scope = scopeOf(ctx);
    const prefix = checkPathPrefix(params.get('PathPrefix'));
    const roles = [...scope.account.iam.roles.values()]
      .filter((r) => r.path.startsWith(prefix))
      .sort((a, b) => compareNames(a.roleName, b.roleName));
    const page = pageOf(roles, params);
    return { Roles: page.items.map((r) => roleXml(scope, r)), ...pageFields(page) };
  },

  UpdateRole: (ctx, params) => {
    const scope = scopeOf(ctx);
    guardModifiableRole(requireRole(scope.account.iam, requireParam(params, 'RoleName')));
    const max = params.get('MaxSessionDuration');
    updateRole(scope, requireParam(params, 'RoleName'), {
      description: params.get('Description'),
      maxSessionDuration: max === undefined ? undefined : intParam(params, 'MaxSessionDuration', 3600),
    });
    return {};
  },

  UpdateRoleDescription: (ctx, params) => {
    const scope = scopeOf(ctx);
    const role = requireRole(scope.account.iam, requireParam(params, 'RoleName'));
    guardModifiableRole(role);
    updateRole(scope, role.roleName, { description: params.get('Description') ?? '' });
    return { Role: roleXml(scope, role, 'get') };
  },

  UpdateAssumeRolePolicy: (ctx, params) => {
    const scope = scopeOf(ctx);
    guardModifiableRole(requireRole(scope.account.iam, requireParam(params, 'RoleName')));
    updateAssumeRolePolicy(scope, requireParam(params, 'RoleName'), requireParam(params, 'PolicyDocument'));
    return {};
  },

  DeleteRole: (ctx, params) => {
    const scope = scopeOf(ctx);
    guardModifiableRole(requireRole(scope.account.iam, requireParam(params, 'RoleName')));
    deleteRole(scope, requireParam(params, 'RoleName'));
    return {};
  },

  TagRole: (ctx, params) => {
    const role = requireRole(scopeOf(ctx).account.iam, requireParam(params, 'RoleName'));
    guardModifiableRole(role);
    role.tags = tagEntity(role.tags, tagsParam(params));
    return {};
  },

  UntagRole: (ctx, params) => {
    const role = requireRole(scopeOf(ctx).account.iam, requireParam(params, 'RoleName'));
    guardModifiableRole(role);
    role.tags = untagEntity(role.tags, listParam(params, 'TagKeys'));
    return {};
  },

  ListRoleTags: (ctx, params) => {
    const role = requireRole(scopeOf(ctx).account.iam, requireParam(params, 'RoleName'));
    const page = pageOf(role.tags, params);
    return { Tags: tagsXml(page.items) ?? [], ...pageFields(page) };
  },

  PutRolePermissionsBoundary: (ctx, params) => {
    const scope = scopeOf(ctx);
    guardModifiableRole(requireRole(scope.account.iam, requireParam(params, 'RoleName')));
    putRolePermissionsBoundary(scope, requireParam(params, 'RoleName'), requireParam(params, 'PermissionsBoundary'));
    return {};
  },

  DeleteRolePermissionsBoundary: (ctx, params) => {
    const role = requireRole(scopeOf(ctx).account.iam, requireParam(params, 'RoleName'));
    guardModifiableRole(role);
    role.permissionsBoundary = undefined;
    return {};
  },
};
