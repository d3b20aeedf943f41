/**
 * GetAccountAuthorizationDetails: users, groups, roles and managed policies with every policy document
 * (URL-encoded), paged over the concatenation of the four lists as IAM does.
 */
import { iamArn } from '../../../world/iam-state.js';
import type { QueryHandler, XmlValue } from '../../context.js';
import { AwsError } from '../../errors.js';
import { listParam } from '../../query.js';
import { compareNames, customerPolicyView, findManagedPolicy, type IamScope, type PolicyView } from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import {
  attachedPoliciesXml,
  encodeDocument,
  policyVersions,
  policyVersionXml,
  policyXml,
  tagsXml,
} from '../shapes.js';
import { scopeOf } from './common.js';
import { usedPolicyArns } from './policies.js';

const FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

type Item = { list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'; xml: () => XmlValue };

function inlineList(policies: Map<string, string>): XmlValue[] {
  return [...policies.entries()].map(([name, doc]) => ({ PolicyName: name, PolicyDocument: encodeDocument(doc) }));
}

function boundary(arn: string | undefined): XmlValue {
  return arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined;
}

function items(scope: IamScope, filters: Set<string>): Item[] {
  const iam = scope.account.iam;
  const id = scope.account.id;
  const all = filters.size === 0;
  const out: Item[] = [];
  if (all || filters.has('User'))
    for (const u of [...iam.users.values()].sort((a, b) => compareNames(a.userName, b.userName)))
      out.push({
        list: 'UserDetailList',
        xml: () => ({
          Path: u.path,
          UserName: u.userName,
          UserId: u.userId,
          Arn: iamArn(id, 'user', u.path, u.userName),
          CreateDate: u.createDate,
          UserPolicyList: inlineList(u.inlinePolicies),
          GroupList: [...u.groups],
          AttachedManagedPolicies: attachedPoliciesXml(u.attachedPolicies),
          PermissionsBoundary: boundary(u.permissionsBoundary),
          Tags: tagsXml(u.tags),
        }),
      });
  if (all || filters.has('Group'))
    for (const g of [...iam.groups.values()].sort((a, b) => compareNames(a.groupName, b.groupName)))
      out.push({
        list: 'GroupDetailList',
        xml: () => ({
          Path: g.path,
          GroupName: g.groupName,
          GroupId: g.groupId,
          Arn: iamArn(id, 'group', g.path, g.groupName),
          CreateDate: g.createDate,
          GroupPolicyList: inlineList(g.inlinePolicies),
          AttachedManagedPolicies: attachedPoliciesXml(g.attachedPolicies),
        }),
      });
  if (all || filters.has('Role'))
    for (const r of [...iam.roles.values()].sort((a, b) => compareNames(a.roleName, b.roleName)))
      out.push({
        list: 'RoleDetailList',
        xml: () => ({
          Path: r.path,
          RoleName: r.roleName,
          RoleId: r.roleId,
          Arn: iamArn(id, 'role', r.path, r.roleName),
          CreateDate: r.createDate,
          AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument),
          InstanceProfileList: [],
          RolePolicyList: inlineList(r.inlinePolicies),
          AttachedManagedPolicies: attachedPoliciesXml(r.attachedPolicies),
          PermissionsBoundary: boundary(r.permissionsBoundary),
          Tags: tagsXml(r.tags),
          RoleLastUsed: r.roleLastUsed ? { LastUsedDate: r.roleLastUsed.date, Region: r.roleLastUsed.region } : {},
        }),
      });
  const policies: PolicyView[] = [];
  if (all || filters.has('LocalManagedPolicy')) policies.push(...[...iam.policies.values()].map(customerPolicyView));
  if (all || filters.has('AWSManagedPolicy')) {
    const { attached } = usedPolicyArns(scope);
    for (const arn of attached) {
      const view = arn.startsWith('arn:aws:iam::aws:') ? findManagedPolicy(scope, arn) : undefined;
      if (view) policies.push(view);
    }
  }
  policies.sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0));
  for (const p of policies)
    out.push({
      list: 'Policies',
      xml: () => {
        const base = policyXml(scope, p, true) as Record<string, XmlValue>;
        return {
          ...base,
          Tags: undefined,
          PolicyVersionList: policyVersions(p).map((v) => policyVersionXml(v, true)),
        };
      },
    });
  return out;
}

/** Handler for GetAccountAuthorizationDetails. */
export const authorizationDetailsHandlers: Record<string, QueryHandler> = {
  GetAccountAuthorizationDetails: (ctx, params) => {
    const filters = listParam(params, 'Filter');
    for (const f of filters)
      if (!FILTERS.includes(f))
        throw new AwsError(
          'ValidationError',
          `1 validation error detected: Value '[${filters.join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${FILTERS.join(', ')}]]`,
        );
    const page = pageOf(items(scopeOf(ctx), new Set(filters)), params);
    const lists: Record<Item['list'], XmlValue[]> = {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: [],
      Policies: [],
    };
    for (const item of page.items) lists[item.list].push(item.xml());
    return { ...lists, ...pageFields(page) };
  },
};
