/** The app registration the product signs in as, with the Microsoft Graph application permissions it needs. */
import type { EntraState } from '../world/entra-state.js';
import type { World } from '../world/world.js';

/** Graph application permissions granted (with admin consent) to the product's app registration. */
export const PRODUCT_PERMISSIONS = [
  'User.Read.All',
  'Group.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'Synchronization.ReadWrite.All',
  'Directory.Read.All',
  'Policy.Read.All',
  'Policy.ReadWrite.ConditionalAccess',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  'RoleManagementPolicy.ReadWrite.AzureADGroup',
];

/** Creates the product's application and service principal with the tenant's client id and secret. */
export function registerProductApp(world: World, entra: EntraState): void {
  const now = world.clock.now();
  const yearLater = new Date(now.getTime() + 365 * 86_400_000);
  const appObjectId = world.rng.uuid();
  entra.applications.set(appObjectId, {
    id: appObjectId,
    appId: entra.clientId,
    displayName: 'iam2sso',
    identifierUris: [],
    web: { redirectUris: [], logoutUrl: null },
    appRoles: [],
    createdDateTime: now,
    passwordCredentials: [
      {
        keyId: world.rng.uuid(),
        displayName: 'iam2sso sandbox',
        secretText: entra.clientSecret,
        endDateTime: yearLater,
      },
    ],
    keyCredentials: [],
    grantedPermissions: [...PRODUCT_PERMISSIONS],
    signInAudience: 'AzureADMyOrg',
  });
  const spId = world.rng.uuid();
  entra.servicePrincipals.set(spId, {
    id: spId,
    appId: entra.clientId,
    displayName: 'iam2sso',
    applicationTemplateId: null,
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    appRoles: [],
    servicePrincipalNames: [entra.clientId],
    signingCertificates: [],
    appRoleAssignedTo: [],
    samlSingleSignOnSettings: { relayState: null },
    createdDateTime: now,
    accountEnabled: true,
    servicePrincipalType: 'Application',
    tags: [],
    applicationObjectId: appObjectId,
  });
}
