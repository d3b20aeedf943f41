/** Graph's JSON shapes for applications, service principals and app role assignments, with their list specs. */
import type { AppRoleAssignment, EntraApplication, EntraState, ServicePrincipal } from '../../world/entra-state.js';
import { graphDate } from './directory-records.js';
import type { CollectionSpec, GraphRecord } from './odata.js';

const APPLICATION_FIELDS = [
  'id',
  'appId',
  'displayName',
  'identifierUris',
  'web',
  'appRoles',
  'createdDateTime',
  'deletedDateTime',
  'signInAudience',
  'keyCredentials',
  'passwordCredentials',
  'requiredResourceAccess',
  'publisherDomain',
  'groupMembershipClaims',
  'tags',
  'description',
  'notes',
];

/** Applications (app registrations): the product filters on appId and displayName. */
export const APPLICATION_SPEC: CollectionSpec = {
  type: 'microsoft.graph.application',
  context: 'applications',
  defaultSelect: APPLICATION_FIELDS,
  selectable: APPLICATION_FIELDS,
  filterable: ['appId', 'displayName', 'id'],
};

const SP_FIELDS = [
  'id',
  'appId',
  'displayName',
  'accountEnabled',
  'appRoleAssignmentRequired',
  'applicationTemplateId',
  'appRoles',
  'createdDateTime',
  'deletedDateTime',
  'keyCredentials',
  'passwordCredentials',
  'loginUrl',
  'notificationEmailAddresses',
  'preferredSingleSignOnMode',
  'preferredTokenSigningKeyThumbprint',
  'samlSingleSignOnSettings',
  'servicePrincipalNames',
  'servicePrincipalType',
  'signInAudience',
  'tags',
  'appOwnerOrganizationId',
  'appDisplayName',
];

/** Service principals (enterprise apps). */
export const SERVICE_PRINCIPAL_SPEC: CollectionSpec = {
  type: 'microsoft.graph.servicePrincipal',
  context: 'servicePrincipals',
  defaultSelect: SP_FIELDS,
  selectable: SP_FIELDS,
  filterable: [
    'appId',
    'displayName',
    'id',
    'applicationTemplateId',
    'servicePrincipalType',
    'preferredSingleSignOnMode',
  ],
};

const ASSIGNMENT_FIELDS = [
  'id',
  'deletedDateTime',
  'appRoleId',
  'createdDateTime',
  'principalDisplayName',
  'principalId',
  'principalType',
  'resourceDisplayName',
  'resourceId',
];

/** App role assignments. */
export const ASSIGNMENT_SPEC: CollectionSpec = {
  type: 'microsoft.graph.appRoleAssignment',
  context: 'appRoleAssignments',
  defaultSelect: ASSIGNMENT_FIELDS,
  selectable: ASSIGNMENT_FIELDS,
  filterable: ['principalId', 'appRoleId', 'principalType', 'resourceId'],
};

/** An application as Graph returns it (secrets never, only their hint). */
export function applicationRecord(entra: EntraState, app: EntraApplication): GraphRecord {
  return {
    id: app.id,
    appId: app.appId,
    displayName: app.displayName,
    identifierUris: [...app.identifierUris],
    web: {
      homePageUrl: null,
      logoutUrl: app.web.logoutUrl,
      redirectUris: [...app.web.redirectUris],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      redirectUriSettings: app.web.redirectUris.map((uri, index) => ({ uri, index })),
    },
    appRoles: app.appRoles.map((r) => ({ ...r })),
    createdDateTime: graphDate(app.createdDateTime),
    deletedDateTime: graphDate(app.deletedDateTime),
    signInAudience: app.signInAudience ?? 'AzureADMyOrg',
    keyCredentials: app.keyCredentials.map((k) => ({
      customKeyIdentifier: null,
      displayName: null,
      endDateTime: graphDate(k.endDateTime),
      key: null,
      keyId: k.keyId,
      startDateTime: null,
      type: k.type,
      usage: k.usage,
    })),
    passwordCredentials: app.passwordCredentials.map((p) => ({
      customKeyIdentifier: null,
      displayName: p.displayName,
      endDateTime: graphDate(p.endDateTime),
      hint: p.secretText.slice(0, 3),
      keyId: p.keyId,
      secretText: null,
      startDateTime: null,
    })),
    requiredResourceAccess: [],
    publisherDomain: entra.domain,
    groupMembershipClaims: null,
    tags: [],
    description: null,
    notes: null,
  };
}

/** A service principal as Graph returns it: signing certificates appear as Sign/Verify key credentials. */
export function servicePrincipalRecord(entra: EntraState, sp: ServicePrincipal): GraphRecord {
  const app = sp.applicationObjectId ? entra.applications.get(sp.applicationObjectId) : undefined;
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    accountEnabled: sp.accountEnabled ?? true,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? false,
    applicationTemplateId: sp.applicationTemplateId,
    appRoles: sp.appRoles.map((r) => ({ ...r, origin: 'Application' })),
    createdDateTime: graphDate(sp.createdDateTime),
    deletedDateTime: graphDate(sp.deletedDateTime),
    keyCredentials: sp.signingCertificates.flatMap((c) =>
      (['Sign', 'Verify'] as const).map((usage) => ({
        customKeyIdentifier: c.thumbprint,
        displayName: c.displayName,
        endDateTime: graphDate(c.endDateTime),
        key: null,
        keyId: usage === 'Verify' ? c.keyId : `${c.keyId.slice(0, -4)}5160`,
        startDateTime: graphDate(c.startDateTime),
        type: usage === 'Sign' ? 'X509CertAndPassword' : 'AsymmetricX509Cert',
        usage,
      })),
    ),
    passwordCredentials: [],
    loginUrl: sp.loginUrl ?? null,
    notificationEmailAddresses: sp.notificationEmailAddresses ?? [],
    preferredSingleSignOnMode: sp.preferredSingleSignOnMode,
    preferredTokenSigningKeyThumbprint: sp.preferredTokenSigningKeyThumbprint,
    samlSingleSignOnSettings: sp.samlSingleSignOnSettings,
    servicePrincipalNames: [...sp.servicePrincipalNames, ...(app?.identifierUris ?? [])],
    servicePrincipalType: sp.servicePrincipalType ?? 'Application',
    signInAudience: app?.signInAudience ?? 'AzureADMyOrg',
    tags: sp.tags ?? [],
    appOwnerOrganizationId: entra.tenantId,
    appDisplayName: app?.displayName ?? sp.displayName,
  };
}

/** An app role assignment as Graph returns it. */
export function assignmentRecord(assignment: AppRoleAssignment): GraphRecord {
  return {
    id: assignment.id,
    deletedDateTime: null,
    appRoleId: assignment.appRoleId,
    createdDateTime: graphDate(assignment.createdDateTime),
    principalDisplayName: assignment.principalDisplayName,
    principalId: assignment.principalId,
    principalType: assignment.principalType,
    resourceDisplayName: assignment.resourceDisplayName,
    resourceId: assignment.resourceId,
  };
}
