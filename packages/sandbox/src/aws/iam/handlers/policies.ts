/** IAM Query handlers for managed policies and their versions. */

import { listAwsManagedPolicies } from '@iam2sso/managed-policies';
import type { QueryHandler } from '../../context.js';
import { AwsError } from '../../errors.js';
import { boolParam, listParam, requireParam } from '../../query.js';
import {
  createPolicy,
  createPolicyVersion,
  customerPolicyView,
  deletePolicy,
  deletePolicyVersion,
  type IamScope,
  type PolicyView,
  policyAttachments,
  requireCustomerPolicy,
  requireManagedPolicy,
  setDefaultPolicyVersion,
  tagEntity,
  untagEntity,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { policyVersions, policyVersionXml, policyXml, tagsXml } from '../shapes.js';
import { checkPathPrefix } from '../validate.js';
import { scopeOf, tagsParam } from './common.js';

/** ARNs used anywhere in the account: attached as permissions, or as a permissions boundary. */
export function usedPolicyArns(scope: IamScope): { attached: Set<string>; boundaries: Set<string> } {
  const iam = scope.account.iam;
  const attached = new Set<string>();
  const boundaries = new Set<string>();
  for (const u of iam.users.values()) {
    for (const a of u.attachedPolicies) attached.add(a);
    if (u.permissionsBoundary) boundaries.add(u.permissionsBoundary);
  }
  for (const g of iam.groups.values()) for (const a of g.attachedPolicies) attached.add(a);
  for (const r of iam.roles.values()) {
    for (const a of r.attachedPolicies) attached.add(a);
    if (r.permissionsBoundary) boundaries.add(r.permissionsBoundary);
  }
  return { attached, boundaries };
}

function byName(a: PolicyView, b: PolicyView): number {
  return a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : a.arn < b.arn ? -1 : 1;
}

/** Handlers for the managed policy calls. */
export const policyHandlers: Record<string, QueryHandler> = {
  CreatePolicy: (ctx, params) => {
    const scope = scopeOf(ctx);
    const policy = createPolicy(scope, {
      policyName: requireParam(params, 'PolicyName'),
      path: params.get('Path'),
      document: requireParam(params, 'PolicyDocument'),
      description: params.get('Description'),
      tags: tagsParam(params),
    });
    const xml = policyXml(scope, customerPolicyView(policy), false) as Record<string, unknown>;
    return { Policy: { ...xml, Tags: tagsXml(policy.tags) } as never };
  },

  GetPolicy: (ctx, params) => {
    const scope = scopeOf(ctx);
    return { Policy: policyXml(scope, requireManagedPolicy(scope, requireParam(params, 'PolicyArn')), true) };
  },

  ListPolicies: (ctx, params) => {
    const scope = scopeOf(ctx);
    const which = params.get('Scope') ?? 'All';
    if (!['All', 'AWS', 'Local'].includes(which))
      throw new AwsError('ValidationError', `Value '${which}' at 'scope' failed to satisfy constraint`);
    const prefix = checkPathPrefix(params.get('PathPrefix'));
    const onlyAttached = boolParam(params, 'OnlyAttached', false);
    const usage = params.get('PolicyUsageFilter');
    const used = onlyAttached ? usedPolicyArns(scope) : undefined;
    let all: PolicyView[] = [];
    if (which !== 'Local') all.push(...listAwsManagedPolicies().map((p) => ({ ...p, awsManaged: true })));
    if (which !== 'AWS') all.push(...[...scope.account.iam.policies.values()].map(customerPolicyView));
    all = all.filter((p) => p.path.startsWith(prefix));
    if (used) {
      all = all.filter((p) =>
        usage === 'PermissionsBoundary'
          ? used.boundaries.has(p.arn)
          : usage === 'PermissionsPolicy'
            ? used.attached.has(p.arn)
            : used.attached.has(p.arn) || used.boundaries.has(p.arn),
      );
    }
    all.sort(byName);
    const page = pageOf(all, params);
    return { Policies: page.items.map((p) => policyXml(scope, p, false)), ...pageFields(page) };
  },

  GetPolicyVersion: (ctx, params) => {
    const scope = scopeOf(ctx);
    const policy = requireManagedPolicy(scope, requireParam(params, 'PolicyArn'));
    const versionId = requireParam(params, 'VersionId');
    const version = policyVersions(policy).find((v) => v.versionId === versionId);
    if (!version) throw new AwsError('NoSuchEntity', `Policy ${policy.arn} version ${versionId} does not exist.`, 404);
    return { PolicyVersion: policyVersionXml(version, true) };
  },

  ListPolicyVersions: (ctx, params) => {
    const scope = scopeOf(ctx);
    const policy = requireManagedPolicy(scope, requireParam(params, 'PolicyArn'));
    const versions = [...policyVersions(policy)].sort(
      (a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)),
    );
    const page = pageOf(versions, params);
    return { Versions: page.items.map((v) => policyVersionXml(v, false)), ...pageFields(page) };
  },

  CreatePolicyVersion: (ctx, params) => {
    const version = createPolicyVersion(
      scopeOf(ctx),
      requireParam(params, 'PolicyArn'),
      requireParam(params, 'PolicyDocument'),
      boolParam(params, 'SetAsDefault', false),
    );
    return { PolicyVersion: policyVersionXml(version, false) };
  },

  DeletePolicyVersion: (ctx, params) => {
    deletePolicyVersion(scopeOf(ctx), requireParam(params, 'PolicyArn'), requireParam(params, 'VersionId'));
    return {};
  },

  SetDefaultPolicyVersion: (ctx, params) => {
    setDefaultPolicyVersion(scopeOf(ctx), requireParam(params, 'PolicyArn'), requireParam(params, 'VersionId'));
    return {};
  },

  DeletePolicy: (ctx, params) => {
    deletePolicy(scopeOf(ctx), requireParam(params, 'PolicyArn'));
    return {};
  },

  ListEntitiesForPolicy: (ctx, params) => {
    const scope = scopeOf(ctx);
    const iam = scope.account.iam;
    const policy = requireManagedPolicy(scope, requireParam(params, 'PolicyArn'));
    const filter = params.get('EntityFilter');
    const prefix = checkPathPrefix(params.get('PathPrefix'));
    const usage = params.get('PolicyUsageFilter');
    const a = policyAttachments(scope, policy.arn);
    type Entry = { kind: 'User' | 'Group' | 'Role'; name: string; id: string };
    const entries: Entry[] = [];
    const wantPolicy = usage !== 'PermissionsBoundary';
    const wantBoundary = usage !== 'PermissionsPolicy';
    if (!filter || filter === 'Group') {
      for (const name of wantPolicy ? a.groups : []) {
        const g = iam.groups.get(name)!;
        if (g.path.startsWith(prefix)) entries.push({ kind: 'Group', name, id: g.groupId });
      }
    }
    if (!filter || filter === 'User') {
      for (const u of iam.users.values()) {
        const hit =
          (wantPolicy && a.users.includes(u.userName)) || (wantBoundary && u.permissionsBoundary === policy.arn);
        if (hit && u.path.startsWith(prefix)) entries.push({ kind: 'User', name: u.userName, id: u.userId });
      }
    }
    if (!filter || filter === 'Role') {
      for (const r of iam.roles.values()) {
        const hit =
          (wantPolicy && a.roles.includes(r.roleName)) || (wantBoundary && r.permissionsBoundary === policy.arn);
        if (hit && r.path.startsWith(prefix)) entries.push({ kind: 'Role', name: r.roleName, id: r.roleId });
      }
    }
    const page = pageOf(entries, params);
    const of = (kind: Entry['kind']) => page.items.filter((e) => e.kind === kind);
    return {
      PolicyGroups: of('Group').map((e) => ({ GroupName: e.name, GroupId: e.id })),
      PolicyUsers: of('User').map((e) => ({ UserName: e.name, UserId: e.id })),
      PolicyRoles: of('Role').map((e) => ({ RoleName: e.name, RoleId: e.id })),
      ...pageFields(page),
    };
  },

  TagPolicy: (ctx, params) => {
    const policy = requireCustomerPolicy(scopeOf(ctx), requireParam(params, 'PolicyArn'));
    policy.tags = tagEntity(policy.tags, tagsParam(params));
    return {};
  },

  UntagPolicy: (ctx, params) => {
    const policy = requireCustomerPolicy(scopeOf(ctx), requireParam(params, 'PolicyArn'));
    policy.tags = untagEntity(policy.tags, listParam(params, 'TagKeys'));
    return {};
  },

  ListPolicyTags: (ctx, params) => {
    const policy = requireCustomerPolicy(scopeOf(ctx), requireParam(params, 'PolicyArn'));
    const page = pageOf(policy.tags, params);
    return { Tags: tagsXml(page.items) ?? [], ...pageFields(page) };
  },
};
