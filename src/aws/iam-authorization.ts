/**
 * GetAccountAuthorizationDetails: users with their groups, attached and inline policies, boundaries and tags;
 * groups; managed policies with their documents; roles. One paginated call instead of five per user.
 */
import { type IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import { trustsDirectSaml } from '../core/direct-saml.js';
import type { GroupRecord, InlinePolicy, ManagedPolicyRecord, PolicyRef, RoleRecord } from '../core/model.js';

/** A user as GetAccountAuthorizationDetails describes it (credentials come from elsewhere). */
export type AuthUser = {
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createdAt: string;
  tags: Record<string, string>;
  attachedPolicies: PolicyRef[];
  inlinePolicies: InlinePolicy[];
  groups: string[];
  permissionsBoundary: string | null;
};

export type AuthorizationDetails = {
  users: AuthUser[];
  groups: GroupRecord[];
  policies: ManagedPolicyRecord[];
  roles: RoleRecord[];
};

/** Policy documents come URL-encoded on the wire; the SDK leaves them that way. */
export function decodePolicyDocument(doc: string | undefined): string {
  if (!doc) return '';
  if (!doc.includes('%')) return doc;
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
}

const refs = (list: { PolicyName?: string; PolicyArn?: string }[] | undefined): PolicyRef[] =>
  (list ?? []).map((p) => ({ arn: p.PolicyArn!, name: p.PolicyName ?? p.PolicyArn!.split('/').pop()! }));

const inline = (list: { PolicyName?: string; PolicyDocument?: string }[] | undefined): InlinePolicy[] =>
  (list ?? []).map((p) => ({ name: p.PolicyName!, document: decodePolicyDocument(p.PolicyDocument) }));

/** Reads the whole authorization picture of the account, every page. */
export async function fetchAuthorizationDetails(iam: IAMClient): Promise<AuthorizationDetails> {
  const out: AuthorizationDetails = { users: [], groups: [], policies: [], roles: [] };
  const pages = paginateGetAccountAuthorizationDetails(
    { client: iam, pageSize: 1000 },
    { Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'] },
  );
  for await (const page of pages) {
    for (const u of page.UserDetailList ?? [])
      out.users.push({
        userName: u.UserName!,
        userId: u.UserId!,
        arn: u.Arn!,
        path: u.Path ?? '/',
        createdAt: (u.CreateDate ?? new Date(0)).toISOString(),
        tags: Object.fromEntries((u.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
        attachedPolicies: refs(u.AttachedManagedPolicies),
        inlinePolicies: inline(u.UserPolicyList),
        groups: u.GroupList ?? [],
        permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      });
    for (const g of page.GroupDetailList ?? [])
      out.groups.push({
        name: g.GroupName!,
        arn: g.Arn!,
        attachedPolicies: refs(g.AttachedManagedPolicies),
        inlinePolicies: inline(g.GroupPolicyList),
      });
    for (const p of page.Policies ?? []) {
      const def = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? p.PolicyVersionList?.[0];
      out.policies.push({
        arn: p.Arn!,
        name: p.PolicyName!,
        path: p.Path ?? '/',
        awsManaged: /^arn:[^:]+:iam::aws:policy\//.test(p.Arn!),
        defaultVersionId: p.DefaultVersionId ?? def?.VersionId ?? 'v1',
        document: decodePolicyDocument(def?.Document),
      });
    }
    for (const r of page.RoleDetailList ?? []) {
      // Service-linked roles (AWSServiceRoleForSSO, ...) belong to AWS services, not to the customer.
      if (r.Path?.startsWith('/aws-service-role/')) continue;
      const trustPolicy = decodePolicyDocument(r.AssumeRolePolicyDocument);
      // Roles a SAML provider other than Identity Center's may assume (direct federation) keep their policies: the
      // plan moves them.
      const saml = trustsDirectSaml(trustPolicy);
      out.roles.push({
        name: r.RoleName!,
        arn: r.Arn!,
        trustPolicy,
        ...(saml
          ? {
              attachedPolicies: refs(r.AttachedManagedPolicies),
              inlinePolicies: inline(r.RolePolicyList),
              permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
            }
          : {}),
      });
    }
  }
  return out;
}

/** Keeps only the managed policies attached to a user, a group or a SAML role (other roles' are not ours to move). */
export function policiesInUse(details: AuthorizationDetails): ManagedPolicyRecord[] {
  const used = new Set<string>();
  for (const u of details.users) for (const p of u.attachedPolicies) used.add(p.arn);
  for (const u of details.users) if (u.permissionsBoundary) used.add(u.permissionsBoundary);
  for (const g of details.groups) for (const p of g.attachedPolicies) used.add(p.arn);
  for (const r of details.roles) {
    for (const p of r.attachedPolicies ?? []) used.add(p.arn);
    if (r.permissionsBoundary) used.add(r.permissionsBoundary);
  }
  return details.policies.filter((p) => used.has(p.arn));
}
