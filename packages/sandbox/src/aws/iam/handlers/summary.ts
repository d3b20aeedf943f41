/** GetAccountSummary: IAM entity usage and quotas of the account (the SummaryMap). */
import type { QueryHandler, XmlValue } from '../../context.js';
import {
  ACCESS_KEYS_PER_USER,
  ATTACHED_POLICIES_QUOTA,
  CERTIFICATES_PER_USER,
  GROUPS_PER_USER,
  INLINE_POLICY_SIZE,
  MANAGED_POLICY_SIZE,
  MAX_POLICY_VERSIONS,
  TRUST_POLICY_SIZE,
} from '../ops.js';

/** Handler for GetAccountSummary. */
export const summaryHandlers: Record<string, QueryHandler> = {
  GetAccountSummary: (ctx) => {
    const iam = ctx.caller.account.iam;
    let versions = 0;
    for (const p of iam.policies.values()) versions += p.versions.length;
    const inUse = [...iam.mfaDevices.values()].filter((d) => d.userName).length;
    const entries: [string, number][] = [
      ['Users', iam.users.size],
      ['UsersQuota', 5000],
      ['Groups', iam.groups.size],
      ['GroupsQuota', 300],
      ['Roles', iam.roles.size],
      ['RolesQuota', 1000],
      ['Policies', iam.policies.size],
      ['PoliciesQuota', 1500],
      ['PolicySizeQuota', MANAGED_POLICY_SIZE],
      ['PolicyVersionsInUse', versions],
      ['PolicyVersionsInUseQuota', 10000],
      ['VersionsPerPolicyQuota', MAX_POLICY_VERSIONS],
      ['UserPolicySizeQuota', INLINE_POLICY_SIZE.user],
      ['GroupPolicySizeQuota', INLINE_POLICY_SIZE.group],
      ['RolePolicySizeQuota', INLINE_POLICY_SIZE.role],
      ['AssumeRolePolicySizeQuota', TRUST_POLICY_SIZE],
      ['GroupsPerUserQuota', GROUPS_PER_USER],
      ['AttachedPoliciesPerUserQuota', ATTACHED_POLICIES_QUOTA],
      ['AttachedPoliciesPerGroupQuota', ATTACHED_POLICIES_QUOTA],
      ['AttachedPoliciesPerRoleQuota', iam.managedPoliciesPerRole],
      ['AccessKeysPerUserQuota', ACCESS_KEYS_PER_USER],
      ['SigningCertificatesPerUserQuota', CERTIFICATES_PER_USER],
      ['MFADevices', iam.mfaDevices.size],
      ['MFADevicesInUse', inUse],
      ['AccountMFAEnabled', iam.root.mfaActive ? 1 : 0],
      ['AccountAccessKeysPresent', iam.root.accessKeys.length > 0 ? 1 : 0],
      ['AccountSigningCertificatesPresent', 0],
      ['Providers', iam.samlProviders.size],
      ['InstanceProfiles', 0],
      ['InstanceProfilesQuota', 1000],
      ['ServerCertificates', 0],
      ['ServerCertificatesQuota', 20],
      ['GlobalEndpointTokenVersion', 1],
    ];
    return { SummaryMap: new Map<string, XmlValue>(entries) };
  },
};
