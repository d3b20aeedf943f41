/**
 * Identity Center reads behind apply's port: permission sets with their settings and tags, their policies,
 * the accounts they are provisioned to, and account assignments.
 */
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  GetPermissionsBoundaryForPermissionSetCommand,
  ListTagsForResourceCommand,
  paginateListAccountAssignments,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
} from '@aws-sdk/client-sso-admin';
import type { AssignmentRef, IdentityCenterReader, PermissionSetInfo, PermissionSetPolicies } from '../apply/ports.js';
import type { BoundaryRef } from '../core/reconcile/desired.js';
import type { InstanceScope } from './identity-center-instance.js';

/** The synchronous reads of the port (asynchronous request status is in identity-center-async.ts). */
export type PermissionSetReads = Pick<
  IdentityCenterReader,
  'listPermissionSets' | 'readPolicies' | 'provisionedAccounts' | 'listAssignments'
>;

function boundaryOf(b: {
  ManagedPolicyArn?: string;
  CustomerManagedPolicyReference?: { Name?: string; Path?: string };
}): BoundaryRef {
  if (b.ManagedPolicyArn) return { managedPolicyArn: b.ManagedPolicyArn };
  const ref = b.CustomerManagedPolicyReference ?? {};
  return { customerManagedPolicy: { name: ref.Name ?? '', path: ref.Path ?? '/' } };
}

/** Permission set and assignment reads over an instance-bound client. */
export function permissionSetReads({ client, arn, ps }: InstanceScope): PermissionSetReads {
  const listPermissionSets = async (): Promise<PermissionSetInfo[]> => {
    const InstanceArn = await arn();
    const out: PermissionSetInfo[] = [];
    for await (const page of paginateListPermissionSets({ client }, { InstanceArn }))
      for (const psArn of page.PermissionSets ?? []) {
        const d = await client.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn: psArn }));
        const tags: Record<string, string> = {};
        const t = await client.send(new ListTagsForResourceCommand({ InstanceArn, ResourceArn: psArn }));
        for (const tag of t.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
        const p = d.PermissionSet ?? {};
        out.push({
          arn: psArn,
          name: p.Name ?? '',
          description: p.Description ?? '',
          sessionDuration: p.SessionDuration ?? 'PT1H',
          tags,
          relayState: p.RelayState ?? null,
        });
      }
    return out;
  };

  const readPolicies = async (psArn: string): Promise<PermissionSetPolicies> => {
    const input = await ps(psArn);
    const managedPolicies: string[] = [];
    for await (const page of paginateListManagedPoliciesInPermissionSet({ client }, input))
      for (const p of page.AttachedManagedPolicies ?? []) if (p.Arn) managedPolicies.push(p.Arn);
    const customerManagedPolicies: { name: string; path: string }[] = [];
    for await (const page of paginateListCustomerManagedPolicyReferencesInPermissionSet({ client }, input))
      for (const r of page.CustomerManagedPolicyReferences ?? [])
        customerManagedPolicies.push({ name: r.Name ?? '', path: r.Path ?? '/' });
    const inline = await client.send(new GetInlinePolicyForPermissionSetCommand(input));
    let permissionsBoundary: BoundaryRef | null = null;
    try {
      const b = await client.send(new GetPermissionsBoundaryForPermissionSetCommand(input));
      if (b.PermissionsBoundary) permissionsBoundary = boundaryOf(b.PermissionsBoundary);
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    return {
      managedPolicies,
      customerManagedPolicies,
      inlinePolicy: inline.InlinePolicy ? inline.InlinePolicy : null,
      permissionsBoundary,
    };
  };

  return {
    listPermissionSets,
    readPolicies,
    async provisionedAccounts(psArn, outdated) {
      const ids: string[] = [];
      const input = {
        ...(await ps(psArn)),
        ...(outdated ? { ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' as const } : {}),
      };
      for await (const page of paginateListAccountsForProvisionedPermissionSet({ client }, input))
        ids.push(...(page.AccountIds ?? []));
      return ids;
    },
    async listAssignments(accountId, psArn) {
      const out: AssignmentRef[] = [];
      const input = { ...(await ps(psArn)), AccountId: accountId };
      for await (const page of paginateListAccountAssignments({ client }, input))
        for (const a of page.AccountAssignments ?? [])
          out.push({
            accountId,
            permissionSetArn: psArn,
            principalType: a.PrincipalType as 'GROUP' | 'USER',
            principalId: a.PrincipalId ?? '',
          });
      return out;
    },
  };
}
