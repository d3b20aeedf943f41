/**
 * The Entra side of the `direct-saml` starting point: one enterprise app per federated account from the gallery's
 * "AWS Single-Account Access" template, set up as Microsoft's tutorial does (saas-apps/amazon-web-service-tutorial):
 * identifier `https://signin.aws.amazon.com/saml#<n>` (unique per app in a tenant), reply URL
 * `https://signin.aws.amazon.com/saml`, SAML single sign-on with its own signing certificate, one app role per IAM
 * role with the value `roleArn,providerArn` (as Entra's provisioning imports them from the account), and the roles
 * assigned to groups (and one user directly). The account's IAM SAML provider holds the app's federation metadata,
 * so assertions the sandbox's Entra issues verify in the sandbox's STS.
 */
import { createSelfSignedCertificate } from '../entra/crypto/x509.js';
import { addMember, markChanged } from '../entra/directory.js';
import { AWS_SINGLE_ACCOUNT_TEMPLATE_ID } from '../entra/graph/templates.js';
import { federationMetadataXml } from '../entra/saml/federation-metadata.js';
import type { AppRole, EntraState, EntraUser, ServicePrincipal } from '../world/entra-state.js';
import type { World } from '../world/world.js';

/** One app role of an account's app and who holds it. */
export type DirectSamlAppRoleTruth = {
  roleName: string;
  appRoleId: string;
  /** The Entra groups assigned the role, with their members' UPNs. */
  groups: { id: string; displayName: string; members: string[] }[];
  /** Users assigned the role directly. */
  users: string[];
};

/** What the seeded app of one account is. */
export type DirectSamlAppTruth = {
  accountId: string;
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  roles: DirectSamlAppRoleTruth[];
};

const SIGN_IN = 'https://signin.aws.amazon.com/saml';

function assignTo(
  sp: ServicePrincipal,
  principal: { id: string; displayName: string },
  kind: 'User' | 'Group',
  roleId: string,
  at: Date,
  id: string,
) {
  sp.appRoleAssignedTo.push({
    id,
    principalId: principal.id,
    principalType: kind,
    principalDisplayName: principal.displayName,
    resourceId: sp.id,
    resourceDisplayName: sp.displayName,
    appRoleId: roleId,
    createdDateTime: at,
  });
}

/** The application and service principal, in SAML mode with a signing certificate and one app role per IAM role. */
function createApp(
  world: World,
  entra: EntraState,
  account: { name: string; n: number },
  providerArn: string,
  roles: Record<string, string>,
): ServicePrincipal {
  const now = world.clock.now();
  const displayName = `AWS ${account.name}`;
  const cert = createSelfSignedCertificate({
    commonName: 'Microsoft Azure Federated SSO Certificate',
    notBefore: now,
    notAfter: new Date(now.getTime() + 3 * 365 * 86_400_000),
  });
  const providerName = providerArn.slice(providerArn.lastIndexOf('/') + 1);
  const appRoles: AppRole[] = Object.entries(roles).map(([roleName, roleArn]) => ({
    id: world.rng.uuid(),
    displayName: `${roleName},${providerName}`,
    value: `${roleArn},${providerArn}`,
    description: `${roleName},${providerName}`,
    allowedMemberTypes: ['User'],
    isEnabled: true,
  }));
  const appId = world.rng.uuid();
  const appObjectId = world.rng.uuid();
  entra.applications.set(appObjectId, {
    id: appObjectId,
    appId,
    displayName,
    identifierUris: [`${SIGN_IN}#${account.n}`],
    web: { redirectUris: [SIGN_IN], logoutUrl: null },
    appRoles,
    createdDateTime: now,
    passwordCredentials: [],
    keyCredentials: [],
    grantedPermissions: [],
    templateId: AWS_SINGLE_ACCOUNT_TEMPLATE_ID,
    signInAudience: 'AzureADMyOrg',
  });
  const sp: ServicePrincipal = {
    id: world.rng.uuid(),
    appId,
    displayName,
    applicationTemplateId: AWS_SINGLE_ACCOUNT_TEMPLATE_ID,
    preferredSingleSignOnMode: 'saml',
    preferredTokenSigningKeyThumbprint: cert.thumbprint,
    appRoles: appRoles.map((r) => ({ ...r })),
    servicePrincipalNames: [appId, `${SIGN_IN}#${account.n}`],
    signingCertificates: [
      {
        keyId: world.rng.uuid(),
        thumbprint: cert.thumbprint,
        certificatePem: cert.certificatePem,
        privateKeyPem: cert.privateKeyPem,
        startDateTime: now,
        endDateTime: new Date(now.getTime() + 3 * 365 * 86_400_000),
        displayName: 'CN=Microsoft Azure Federated SSO Certificate',
      },
    ],
    appRoleAssignedTo: [],
    samlSingleSignOnSettings: { relayState: null },
    createdDateTime: now,
    accountEnabled: true,
    appRoleAssignmentRequired: true,
    servicePrincipalType: 'Application',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'WindowsAzureActiveDirectoryGalleryApplicationPrimaryV1'],
    notificationEmailAddresses: [],
    applicationObjectId: appObjectId,
  };
  entra.servicePrincipals.set(sp.id, sp);
  return sp;
}

/**
 * Creates the app of one account (index `n` for its identifier) whose IAM roles are `roles` (name to ARN) behind
 * `providerArn`; returns the metadata document for the provider and the truth. `people` are the enabled users
 * to draw members from.
 */
export function seedSingleAccountApp(
  world: World,
  entra: EntraState,
  account: { id: string; name: string; n: number },
  providerArn: string,
  roles: Record<string, string>,
  people: EntraUser[],
): { metadata: string; truth: DirectSamlAppTruth } {
  const now = world.clock.now();
  const sp = createApp(world, entra, account, providerArn, roles);
  const truthRoles = sp.appRoles.map((role, i): DirectSamlAppRoleTruth => {
    const roleName = Object.keys(roles)[i];
    const groupId = world.rng.uuid();
    const group = {
      id: groupId,
      displayName: `aws-${account.name}-${roleName.toLowerCase()}`,
      description: `AWS ${account.name}: ${roleName} (Entra app role)`,
      mailNickname: `aws-${account.name}-${roleName}`.toLowerCase(),
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: now,
      members: new Set<string>(),
    };
    entra.groups.set(groupId, group);
    markChanged(entra, groupId, 'group', now);
    const members = [world.rng.pick(people), world.rng.pick(people)];
    for (const m of members) addMember(entra, group, m.id, now);
    assignTo(sp, group, 'Group', role.id, now, world.rng.uuid());
    // The first role is also held directly by one person, as tenants that began before group assignment do.
    const direct = i === 0 ? [world.rng.pick(people)] : [];
    for (const u of direct)
      assignTo(sp, { id: u.id, displayName: u.displayName }, 'User', role.id, now, world.rng.uuid());
    return {
      roleName,
      appRoleId: role.id,
      groups: [
        {
          id: groupId,
          displayName: group.displayName,
          members: [...new Set(members.map((m) => m.userPrincipalName))].sort(),
        },
      ],
      users: direct.map((u) => u.userPrincipalName),
    };
  });
  const metadata = federationMetadataXml(entra, sp, sp.signingCertificates[0], 'https://login.microsoftonline.com');
  return {
    metadata,
    truth: {
      accountId: account.id,
      appId: sp.appId,
      servicePrincipalId: sp.id,
      displayName: sp.displayName,
      roles: truthRoles,
    },
  };
}
