/**
 * IAM Query handlers for instance profiles: CreateInstanceProfile, GetInstanceProfile, AddRoleToInstanceProfile,
 * RemoveRoleFromInstanceProfile, DeleteInstanceProfile, ListInstanceProfilesForRole. Sources: IAM API Reference
 * (API_CreateInstanceProfile.html and API_GetInstanceProfile.html return an `InstanceProfile` with Path,
 * InstanceProfileName, InstanceProfileId, Arn, CreateDate, Roles and Tags; API_ListInstanceProfilesForRole.html
 * returns `InstanceProfiles` with IsTruncated/Marker, NoSuchEntity for an unknown role). The rules are in
 * ops/instance-profiles.ts.
 */
import type { QueryHandler } from '../../context.js';
import { requireParam } from '../../query.js';
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  type InstanceProfile,
  instanceProfileArn,
  instanceProfilesForRole,
  removeRoleFromInstanceProfile,
  requireInstanceProfile,
} from '../ops/instance-profiles.js';
import { guardModifiableRole, type IamScope, requireRole } from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { roleXml, tagsXml } from '../shapes.js';
import { scopeOf, tagsParam } from './common.js';

function profileXml(scope: IamScope, p: InstanceProfile) {
  const role = p.roleName ? scope.account.iam.roles.get(p.roleName) : undefined;
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: instanceProfileArn(scope.account.id, p),
    CreateDate: p.createDate,
    Roles: role ? [roleXml(scope, role)] : [],
    Tags: tagsXml(p.tags),
  };
}

/** Handlers for the instance profile calls. */
export const instanceProfileHandlers: Record<string, QueryHandler> = {
  CreateInstanceProfile: (ctx, params) => {
    const scope = scopeOf(ctx);
    const p = createInstanceProfile(
      scope,
      requireParam(params, 'InstanceProfileName'),
      params.get('Path') ?? '/',
      tagsParam(params),
    );
    return { InstanceProfile: profileXml(scope, p) };
  },

  GetInstanceProfile: (ctx, params) => {
    const scope = scopeOf(ctx);
    return {
      InstanceProfile: profileXml(
        scope,
        requireInstanceProfile(scope.account.iam, requireParam(params, 'InstanceProfileName')),
      ),
    };
  },

  AddRoleToInstanceProfile: (ctx, params) => {
    const scope = scopeOf(ctx);
    guardModifiableRole(requireRole(scope.account.iam, requireParam(params, 'RoleName')));
    addRoleToInstanceProfile(scope, requireParam(params, 'InstanceProfileName'), requireParam(params, 'RoleName'));
    return {};
  },

  RemoveRoleFromInstanceProfile: (ctx, params) => {
    removeRoleFromInstanceProfile(
      scopeOf(ctx),
      requireParam(params, 'InstanceProfileName'),
      requireParam(params, 'RoleName'),
    );
    return {};
  },

  DeleteInstanceProfile: (ctx, params) => {
    deleteInstanceProfile(scopeOf(ctx), requireParam(params, 'InstanceProfileName'));
    return {};
  },

  ListInstanceProfilesForRole: (ctx, params) => {
    const scope = scopeOf(ctx);
    const role = requireRole(scope.account.iam, requireParam(params, 'RoleName'));
    const page = pageOf(instanceProfilesForRole(scope.account.iam, role.roleName), params);
    return { InstanceProfiles: page.items.map((p) => profileXml(scope, p)), ...pageFields(page) };
  },
};
