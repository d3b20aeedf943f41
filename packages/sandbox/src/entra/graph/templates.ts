/**
 * Entra gallery application templates (`/applicationTemplates`), with the AWS IAM Identity Center template
 * under its real id, and `instantiate`, which creates the application and service principal. As in Entra,
 * the new objects only become readable a few seconds later (404 until then).
 */
import type { AppRole, EntraApplication, ServicePrincipal } from '../../world/entra-state.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { applicationRecord, servicePrincipalRecord } from './app-records.js';
import { bodyObject, nowOf, ok, READ_APPS, tenantOf, WRITE_APPS } from './context.js';
import { type CollectionSpec, entityResult, type GraphRecord, listCollection, notFound } from './odata.js';

/** The AWS IAM Identity Center gallery template's id in every Entra tenant. */
export const AWS_IDENTITY_CENTER_TEMPLATE_ID = '21ed01d2-ec13-4e9e-86c1-cd546719ebc4';

/**
 * The gallery's "AWS Single-Account Access" app (formerly "Amazon Web Services (AWS)"): one per AWS account, its
 * app roles named `roleArn,providerArn`. Microsoft's tutorial: saas-apps/amazon-web-service-tutorial.
 */
export const AWS_SINGLE_ACCOUNT_TEMPLATE_ID = '8b1025e4-1dd2-430b-a150-2ef79cd700f5';

type Template = GraphRecord & { appRoles: AppRole[] };

const USER_ROLE: AppRole = {
  id: '18d14569-c3bd-439b-9a66-3a2aee01d14f',
  displayName: 'User',
  value: null,
  description: 'User',
  allowedMemberTypes: ['User'],
  isEnabled: true,
};

const MSIAM_ACCESS_ROLE: AppRole = {
  id: '7dfd756e-8c27-4472-b2b7-38c17fc5de5e',
  displayName: 'msiam_access',
  value: null,
  description: 'msiam_access',
  allowedMemberTypes: ['User'],
  isEnabled: true,
};

/** The gallery the sandbox knows: AWS IAM Identity Center plus a couple of neighbours for realistic searches. */
export const GALLERY: Template[] = [
  {
    id: AWS_IDENTITY_CENTER_TEMPLATE_ID,
    displayName: 'AWS IAM Identity Center (successor to AWS Single Sign-On)',
    homePageUrl: 'https://aws.amazon.com/',
    supportedSingleSignOnModes: ['saml', 'external'],
    supportedProvisioningTypes: ['sync'],
    logoUrl: `https://az495088.vo.msecnd.net/app-logo/awssinglesignon_215.png`,
    categories: ['developerServices', 'itInfrastructure', 'security'],
    publisher: 'Amazon',
    description: null,
    appRoles: [USER_ROLE, MSIAM_ACCESS_ROLE],
  },
  {
    id: AWS_SINGLE_ACCOUNT_TEMPLATE_ID,
    displayName: 'AWS Single-Account Access',
    homePageUrl: 'https://aws.amazon.com/',
    supportedSingleSignOnModes: ['saml', 'external'],
    supportedProvisioningTypes: ['sync'],
    logoUrl: 'https://az495088.vo.msecnd.net/app-logo/amazonwebservices_215.png',
    categories: ['developerServices', 'itInfrastructure'],
    publisher: 'Amazon',
    description: null,
    appRoles: [USER_ROLE, MSIAM_ACCESS_ROLE],
  },
];

const TEMPLATE_FIELDS = [
  'id',
  'displayName',
  'homePageUrl',
  'supportedSingleSignOnModes',
  'supportedProvisioningTypes',
  'logoUrl',
  'categories',
  'publisher',
  'description',
];

const TEMPLATE_SPEC: CollectionSpec = {
  type: 'microsoft.graph.applicationTemplate',
  context: 'applicationTemplates',
  defaultSelect: TEMPLATE_FIELDS,
  selectable: TEMPLATE_FIELDS,
  filterable: ['displayName', 'id', 'publisher'],
};

function instantiate(request: GraphRequest, templateId: string) {
  const template = GALLERY.find((t) => t.id === templateId);
  if (!template) throw notFound(templateId);
  const body = bodyObject(request);
  if (typeof body.displayName !== 'string' || !body.displayName) {
    throw graphError(
      400,
      'Request_BadRequest',
      "Invalid value specified for property 'displayName' of resource 'ApplicationTemplate'.",
    );
  }
  const entra = tenantOf(request);
  const now = nowOf(request);
  const visibleAfter = new Date(now.getTime() + (entra.instantiateDelayMs ?? 5000));
  const appRoles = template.appRoles.map((r) => ({ ...r }));
  const app: EntraApplication = {
    id: crypto.randomUUID(),
    appId: crypto.randomUUID(),
    displayName: body.displayName,
    identifierUris: [],
    web: { redirectUris: [], logoutUrl: null },
    appRoles,
    createdDateTime: now,
    passwordCredentials: [],
    keyCredentials: [],
    grantedPermissions: [],
    templateId,
    signInAudience: 'AzureADMyOrg',
    visibleAfter,
  };
  const sp: ServicePrincipal = {
    id: crypto.randomUUID(),
    appId: app.appId,
    displayName: body.displayName,
    applicationTemplateId: templateId,
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    appRoles: appRoles.map((r) => ({ ...r })),
    servicePrincipalNames: [app.appId],
    signingCertificates: [],
    appRoleAssignedTo: [],
    samlSingleSignOnSettings: { relayState: null },
    createdDateTime: now,
    visibleAfter,
    accountEnabled: true,
    appRoleAssignmentRequired: true,
    servicePrincipalType: 'Application',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'WindowsAzureActiveDirectoryGalleryApplicationPrimaryV1'],
    notificationEmailAddresses: [],
    applicationObjectId: app.id,
  };
  entra.applications.set(app.id, app);
  entra.servicePrincipals.set(sp.id, sp);
  return ok(201, {
    '@odata.context': `${request.baseUrl}/$metadata#microsoft.graph.applicationServicePrincipal`,
    application: applicationRecord(entra, app),
    servicePrincipal: servicePrincipalRecord(entra, sp),
  });
}

/** Handlers for `/applicationTemplates`. */
export const templateHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/applicationTemplates$/,
    permissions: READ_APPS,
    handle: (request) => listCollection(request, GALLERY, TEMPLATE_SPEC),
  },
  {
    method: 'GET',
    pattern: /^\/applicationTemplates\/([^/]+)$/,
    permissions: READ_APPS,
    handle: (request, m) => {
      const template = GALLERY.find((t) => t.id === m[1]);
      if (!template) throw notFound(m[1]);
      return entityResult(request, template, TEMPLATE_SPEC);
    },
  },
  {
    method: 'POST',
    pattern: /^\/applicationTemplates\/([^/]+)\/(?:microsoft\.graph\.)?instantiate$/,
    permissions: WRITE_APPS,
    handle: (request, m) => instantiate(request, m[1]),
  },
];
