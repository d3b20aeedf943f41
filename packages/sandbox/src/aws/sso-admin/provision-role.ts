/**
 * What provisioning a permission set does in a target account's IAM: the `AWSReservedSSO_<Name>_<16 hex>` role
 * under `/aws-reserved/sso.amazonaws.com/`, trusted through the account's `AWSSSO_<hex>_DO_NOT_DELETE` SAML
 * provider, with the permission set's policies; and removing that role again.
 */
import { createHash } from 'node:crypto';
import { makeAwsId } from '../../rng.js';
import type { IamRole } from '../../world/iam-state.js';
import type { PermissionSet, SsoState } from '../../world/sso-state.js';
import type { AccountState, World } from '../../world/world.js';

function hex16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The role path Identity Center uses (a region segment when the instance is not in us-east-1). */
export function reservedRolePath(sso: SsoState): string {
  return sso.region === 'us-east-1'
    ? '/aws-reserved/sso.amazonaws.com/'
    : `/aws-reserved/sso.amazonaws.com/${sso.region}/`;
}

/** The name of the role a permission set becomes in an account. */
export function reservedRoleName(sso: SsoState, ps: PermissionSet, accountId: string): string {
  return `AWSReservedSSO_${ps.name}_${hex16(`${sso.instanceArn}|${ps.permissionSetArn}|${accountId}`)}`;
}

/** The ARN of the SAML provider Identity Center keeps in each account it provisions to. */
export function ssoSamlProviderArn(sso: SsoState, accountId: string): string {
  return `arn:aws:iam::${accountId}:saml-provider/AWSSSO_${hex16(`${sso.instanceArn}|${accountId}`)}_DO_NOT_DELETE`;
}

/** Seconds in an ISO-8601 duration such as PT1H or PT1H30M (NaN when it is not one). */
export function durationSeconds(duration: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (!m || (!m[1] && !m[2] && !m[3])) return Number.NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function customerPolicyArn(accountId: string, ref: { name: string; path: string }): string {
  return `arn:aws:iam::${accountId}:policy${ref.path}${ref.name}`;
}

function ensureSamlProvider(world: World, sso: SsoState, account: AccountState): string {
  const arn = ssoSamlProviderArn(sso, account.id);
  if (!account.iam.samlProviders.has(arn)) {
    const now = world.clock.now();
    const entityId = `https://portal.sso.${sso.region}.amazonaws.com/saml/assertion/${Buffer.from(
      `${account.id}_${sso.instanceArn.split('/').pop()}`,
    ).toString('base64')}`;
    account.iam.samlProviders.set(arn, {
      arn,
      metadataDocument: `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://portal.sso.${sso.region}.amazonaws.com/saml/logon"/></md:IDPSSODescriptor></md:EntityDescriptor>`,
      createDate: now,
      validUntil: new Date(now.getTime() + 100 * 365 * 24 * 3600 * 1000),
      tags: [],
    });
  }
  return arn;
}

function trustPolicy(samlProviderArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: samlProviderArn },
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
    ],
  });
}

/** Why the permission set cannot be provisioned to this account as it is, or undefined when it can. */
function provisioningBlocker(ps: PermissionSet, account: AccountState): string | undefined {
  const count = ps.managedPolicies.length + ps.customerManagedPolicies.length;
  const quota = account.iam.managedPoliciesPerRole;
  if (count > quota) return `Received a 409 status error: Cannot exceed quota for PoliciesPerRole: ${quota}`;
  const refs = [...ps.customerManagedPolicies];
  const boundaryRef = ps.permissionsBoundary?.customerManagedPolicyReference;
  if (boundaryRef) refs.push(boundaryRef);
  for (const ref of refs) {
    const arn = customerPolicyArn(account.id, ref);
    // The Terraform AWS provider's acceptance test for a missing customer managed policy expects
    // "Received a 404 status error: Not supported policy ... <name>" (TestAccSSOAdminAccountAssignment_missingPolicy).
    if (!account.iam.policies.has(arn)) return `Received a 404 status error: Not supported policy ${arn}.`;
  }
  return undefined;
}

/**
 * Creates or updates the permission set's role in the account and records the revision provisioned there.
 * Returns the failure reason Identity Center would report, or undefined on success.
 */
export function provisionRole(world: World, sso: SsoState, ps: PermissionSet, accountId: string): string | undefined {
  const account = world.accounts.get(accountId);
  const inOrganization = !world.organization || world.organization.accounts.has(accountId);
  if (!account || !inOrganization) return `The account ${accountId} is not a member of the organization.`;
  const blocker = provisioningBlocker(ps, account);
  if (blocker) return blocker;
  const samlArn = ensureSamlProvider(world, sso, account);
  const roleName = reservedRoleName(sso, ps, accountId);
  const existing = account.iam.roles.get(roleName);
  const boundary = ps.permissionsBoundary;
  const role: IamRole = {
    roleName,
    roleId: existing?.roleId ?? makeAwsId(world.rng, 'AROA'),
    path: reservedRolePath(sso),
    createDate: existing?.createDate ?? world.clock.now(),
    assumeRolePolicyDocument: trustPolicy(samlArn),
    description: '',
    maxSessionDuration: durationSeconds(ps.sessionDuration),
    attachedPolicies: [
      ...ps.managedPolicies,
      ...ps.customerManagedPolicies.map((ref) => customerPolicyArn(accountId, ref)),
    ],
    inlinePolicies: new Map(ps.inlinePolicy ? [['AwsSSOInlinePolicy', ps.inlinePolicy]] : []),
    permissionsBoundary: boundary?.managedPolicyArn
      ? boundary.managedPolicyArn
      : boundary?.customerManagedPolicyReference
        ? customerPolicyArn(accountId, boundary.customerManagedPolicyReference)
        : undefined,
    tags: existing?.tags ?? [],
    roleLastUsed: existing?.roleLastUsed,
  };
  account.iam.roles.set(roleName, role);
  world.authzGeneration++;
  ps.provisionedRevision.set(accountId, ps.revision);
  return undefined;
}

/** Removes the permission set's role from the account (when its last assignment there is gone). */
export function deprovisionRole(world: World, sso: SsoState, ps: PermissionSet, accountId: string): void {
  world.accounts.get(accountId)?.iam.roles.delete(reservedRoleName(sso, ps, accountId));
  world.authzGeneration++;
  ps.provisionedRevision.delete(accountId);
}
