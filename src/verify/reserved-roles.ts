/**
 * Reads the roles Identity Center provisions into an account (`AWSReservedSSO_<PermissionSet>_<16 hex>` under
 * `/aws-reserved/sso.amazonaws.com/`) through IAM, with the documents of everything that decides what they
 * allow: attached managed policies (GetPolicy, GetPolicyVersion), inline policies (GetRolePolicy), the boundary.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { decodePolicyDocument } from '../aws/iam-authorization.js';

/** The path prefix of every role Identity Center provisions (a region segment may follow). */
export const RESERVED_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/** A managed policy as the role has it: its ARN and default version's document (null when unreadable). */
export type LivePolicy = { arn: string; document: string | null };

/** One Identity Center role as IAM shows it. */
export type LiveRole = {
  accountId: string;
  roleName: string;
  arn: string;
  /** The permission set's name, from the role name. */
  permissionSet: string;
  maxSessionDuration: number;
  managed: LivePolicy[];
  inline: { name: string; document: string }[];
  boundary: LivePolicy | null;
};

/** Managed policy documents by ARN, shared across accounts (customer managed ARNs name their account). */
export type PolicyDocumentCache = Map<string, Promise<string | null>>;

/** The permission set name in an Identity Center role name, or null when it is not one. */
export function permissionSetOfRole(roleName: string): string | null {
  return /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(roleName)?.[1] ?? null;
}

async function policyDocument(iam: IAMClient, arn: string, cache: PolicyDocumentCache): Promise<string | null> {
  let hit = cache.get(arn);
  if (!hit) {
    hit = (async () => {
      try {
        const policy = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
        const version = await iam.send(
          new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }),
        );
        return decodePolicyDocument(version.PolicyVersion?.Document) || null;
      } catch (error) {
        if ((error as Error).name === 'NoSuchEntityException' || (error as Error).name === 'NoSuchEntity') return null;
        throw error;
      }
    })();
    cache.set(arn, hit);
    hit.catch(() => cache.delete(arn));
  }
  return hit;
}

/** Reads every Identity Center role of the account the client acts in, with its policy documents. */
export async function readReservedRoles(
  iam: IAMClient,
  accountId: string,
  cache: PolicyDocumentCache = new Map(),
): Promise<LiveRole[]> {
  const names: string[] = [];
  for await (const page of paginateListRoles({ client: iam }, { PathPrefix: RESERVED_ROLE_PATH }))
    for (const r of page.Roles ?? []) if (r.RoleName && permissionSetOfRole(r.RoleName)) names.push(r.RoleName);
  const out: LiveRole[] = [];
  for (const RoleName of names.sort()) {
    const role = (await iam.send(new GetRoleCommand({ RoleName }))).Role;
    const managed: LivePolicy[] = [];
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName }))
      for (const p of page.AttachedPolicies ?? [])
        if (p.PolicyArn) managed.push({ arn: p.PolicyArn, document: await policyDocument(iam, p.PolicyArn, cache) });
    const inline: LiveRole['inline'] = [];
    for await (const page of paginateListRolePolicies({ client: iam }, { RoleName }))
      for (const PolicyName of page.PolicyNames ?? []) {
        const got = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
        inline.push({ name: PolicyName, document: decodePolicyDocument(got.PolicyDocument) });
      }
    const boundaryArn = role?.PermissionsBoundary?.PermissionsBoundaryArn;
    out.push({
      accountId,
      roleName: RoleName,
      arn: role?.Arn ?? '',
      permissionSet: permissionSetOfRole(RoleName) ?? RoleName,
      maxSessionDuration: role?.MaxSessionDuration ?? 3600,
      managed: managed.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0)),
      inline,
      boundary: boundaryArn ? { arn: boundaryArn, document: await policyDocument(iam, boundaryArn, cache) } : null,
    });
  }
  return out;
}
