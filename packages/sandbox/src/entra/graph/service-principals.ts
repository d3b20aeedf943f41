/**
 * Graph `/servicePrincipals` (enterprise apps): list, get, create for an application, update (SAML mode,
 * the active signing key), `addTokenSigningCertificate` (a real self-signed certificate), and
 * `appRoleAssignedTo` (users and groups assigned to the app).
 */
import type { AppRoleAssignment, ServicePrincipal } from '../../world/entra-state.js';
import { createSelfSignedCertificate } from '../crypto/x509.js';
import { findGroup, findUser } from '../directory.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { ASSIGNMENT_SPEC, assignmentRecord, SERVICE_PRINCIPAL_SPEC, servicePrincipalRecord } from './app-records.js';
import { isVisible } from './applications.js';
import { bodyObject, nowOf, ok, READ_APPS, tenantOf, WRITE_APPS, WRITE_ASSIGNMENTS } from './context.js';
import { entityResult, listCollection, notFound } from './odata.js';

const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';
const SSO_MODES = ['saml', 'password', 'oidc', 'notSupported'];

function spOr404(request: GraphRequest, id: string): ServicePrincipal {
  const sp = tenantOf(request).servicePrincipals.get(id);
  if (!sp || !isVisible(request, sp)) throw notFound(id);
  return sp;
}

function applySpProps(sp: ServicePrincipal, body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === 'preferredSingleSignOnMode') {
      if (value !== null && !SSO_MODES.includes(String(value))) {
        throw graphError(
          400,
          'Request_BadRequest',
          `Invalid value specified for property 'preferredSingleSignOnMode': '${String(value)}'.`,
        );
      }
      sp.preferredSingleSignOnMode = value === null ? null : String(value);
    } else if (key === 'preferredTokenSigningKeyThumbprint') {
      const thumbprint = value === null ? null : String(value).toUpperCase();
      if (thumbprint && !sp.signingCertificates.some((c) => c.thumbprint === thumbprint)) {
        throw graphError(
          400,
          'Request_BadRequest',
          `The thumbprint '${thumbprint}' does not match a token signing certificate of the service principal.`,
        );
      }
      sp.preferredTokenSigningKeyThumbprint = thumbprint;
    } else if (key === 'samlSingleSignOnSettings') {
      const relayState = (value as { relayState?: unknown } | null)?.relayState;
      sp.samlSingleSignOnSettings = { relayState: relayState == null ? null : String(relayState) };
    } else if (key === 'displayName') sp.displayName = String(value);
    else if (key === 'accountEnabled') sp.accountEnabled = Boolean(value);
    else if (key === 'appRoleAssignmentRequired') sp.appRoleAssignmentRequired = Boolean(value);
    else if (key === 'loginUrl') sp.loginUrl = value === null ? null : String(value);
    else if (key === 'notificationEmailAddresses') sp.notificationEmailAddresses = (value as string[]) ?? [];
    else if (key === 'tags') sp.tags = (value as string[]) ?? [];
    else if (key === 'appRoles') sp.appRoles = checkedAppRoles(sp, (value as ServicePrincipal['appRoles']) ?? []);
    else {
      throw graphError(
        400,
        'Request_BadRequest',
        `Property '${key}' does not exist on type 'microsoft.graph.servicePrincipal' or is read-only.`,
      );
    }
  }
}

/**
 * A PATCH of `appRoles` replaces the whole list, and Entra refuses one that drops an enabled role: a role is disabled
 * (`isEnabled: false`) in one PATCH and removed in the next (learn.microsoft.com/entra/identity-platform/
 * enterprise-app-role-management; Graph answers 400 CannotDeleteOrUpdateEnabledEntitlement).
 */
function checkedAppRoles(sp: ServicePrincipal, next: ServicePrincipal['appRoles']): ServicePrincipal['appRoles'] {
  const dropped = sp.appRoles.filter((r) => r.isEnabled && !next.some((n) => n.id === r.id));
  if (dropped.length > 0)
    throw graphError(
      400,
      'CannotDeleteOrUpdateEnabledEntitlement',
      'Permission (scope or role) cannot be deleted or updated unless disabled first.',
    );
  return next;
}

function addTokenSigningCertificate(request: GraphRequest, sp: ServicePrincipal) {
  const body = (request.body ?? {}) as { displayName?: unknown; endDateTime?: unknown };
  const displayName =
    typeof body.displayName === 'string' ? body.displayName : 'CN=Microsoft Azure Federated SSO Certificate';
  if (!displayName.startsWith('CN=')) {
    throw graphError(400, 'Request_BadRequest', "The displayName must start with 'CN='.");
  }
  const now = nowOf(request);
  const end =
    typeof body.endDateTime === 'string' ? new Date(body.endDateTime) : new Date(now.getTime() + 3 * 365 * 86_400_000);
  if (Number.isNaN(end.getTime()) || end <= now) {
    throw graphError(400, 'Request_BadRequest', "Invalid value specified for property 'endDateTime'.");
  }
  const cert = createSelfSignedCertificate({ commonName: displayName.slice(3), notBefore: now, notAfter: end });
  const keyId = crypto.randomUUID();
  sp.signingCertificates.push({
    keyId,
    thumbprint: cert.thumbprint,
    certificatePem: cert.certificatePem,
    privateKeyPem: cert.privateKeyPem,
    startDateTime: now,
    endDateTime: end,
    displayName,
  });
  return ok(200, {
    '@odata.context': `${request.baseUrl}/$metadata#microsoft.graph.selfSignedCertificate`,
    customKeyIdentifier: cert.thumbprint,
    displayName,
    endDateTime: end.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    key: cert.certificateBase64,
    keyId,
    startDateTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    thumbprint: cert.thumbprint,
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
  });
}

function assign(request: GraphRequest, sp: ServicePrincipal) {
  const body = bodyObject(request);
  const entra = tenantOf(request);
  const principalId = String(body.principalId ?? '');
  const appRoleId = String(body.appRoleId ?? '');
  if (body.resourceId !== undefined && body.resourceId !== sp.id) {
    throw graphError(400, 'Request_BadRequest', 'The resourceId does not match the service principal in the URL.');
  }
  const user = findUser(entra, principalId);
  const group = user ? undefined : findGroup(entra, principalId);
  if (!user && !group) throw notFound(principalId);
  if (appRoleId !== DEFAULT_ACCESS_ROLE && !sp.appRoles.some((r) => r.id === appRoleId && r.isEnabled)) {
    throw graphError(400, 'Request_BadRequest', 'Permission being assigned was not found on application.');
  }
  if (sp.appRoleAssignedTo.some((a) => a.principalId === principalId && a.appRoleId === appRoleId)) {
    throw graphError(400, 'Request_BadRequest', 'Permission being assigned already exists on the object');
  }
  const assignment: AppRoleAssignment = {
    id: Buffer.from(crypto.randomUUID().replace(/-/g, ''), 'hex').toString('base64url').slice(0, 22) + 'Ab',
    principalId,
    principalType: user ? 'User' : 'Group',
    principalDisplayName: (user ?? group)!.displayName,
    resourceId: sp.id,
    resourceDisplayName: sp.displayName,
    appRoleId,
    createdDateTime: nowOf(request),
  };
  sp.appRoleAssignedTo.push(assignment);
  return ok(201, {
    '@odata.context': `${request.baseUrl}/$metadata#appRoleAssignments/$entity`,
    ...assignmentRecord(assignment),
  });
}

/** Handlers for `/servicePrincipals`. */
export const servicePrincipalHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/servicePrincipals$/,
    permissions: READ_APPS,
    handle: (request) => {
      const entra = tenantOf(request);
      const sps = [...entra.servicePrincipals.values()].filter((sp) => isVisible(request, sp));
      return listCollection(
        request,
        sps.map((sp) => servicePrincipalRecord(entra, sp)),
        SERVICE_PRINCIPAL_SPEC,
      );
    },
  },
  {
    method: 'POST',
    pattern: /^\/servicePrincipals$/,
    permissions: WRITE_APPS,
    handle: (request) => {
      const entra = tenantOf(request);
      const appId = String(bodyObject(request).appId ?? '');
      const app = [...entra.applications.values()].find((a) => a.appId === appId && isVisible(request, a));
      if (!app)
        throw graphError(
          400,
          'Request_BadRequest',
          `The appId '${appId}' of the service principal does not reference a valid application object.`,
        );
      if ([...entra.servicePrincipals.values()].some((sp) => sp.appId === appId && !sp.deletedDateTime)) {
        throw graphError(
          409,
          'Request_MultipleObjectsWithSameKeyValue',
          'The service principal cannot be created, updated, or restored because the service principal name is already in use.',
        );
      }
      const sp: ServicePrincipal = {
        id: crypto.randomUUID(),
        appId,
        displayName: app.displayName,
        applicationTemplateId: app.templateId ?? null,
        preferredSingleSignOnMode: null,
        preferredTokenSigningKeyThumbprint: null,
        appRoles: app.appRoles.map((r) => ({ ...r })),
        servicePrincipalNames: [appId],
        signingCertificates: [],
        appRoleAssignedTo: [],
        samlSingleSignOnSettings: { relayState: null },
        createdDateTime: nowOf(request),
        applicationObjectId: app.id,
      };
      entra.servicePrincipals.set(sp.id, sp);
      return ok(201, {
        '@odata.context': `${request.baseUrl}/$metadata#servicePrincipals/$entity`,
        ...servicePrincipalRecord(entra, sp),
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/servicePrincipals\/([^/]+)$/,
    permissions: READ_APPS,
    handle: (request, m) =>
      entityResult(request, servicePrincipalRecord(tenantOf(request), spOr404(request, m[1])), SERVICE_PRINCIPAL_SPEC),
  },
  {
    method: 'PATCH',
    pattern: /^\/servicePrincipals\/([^/]+)$/,
    permissions: WRITE_APPS,
    handle: (request, m) => {
      applySpProps(spOr404(request, m[1]), bodyObject(request));
      return ok(204);
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/servicePrincipals\/([^/]+)$/,
    permissions: WRITE_APPS,
    handle: (request, m) => {
      spOr404(request, m[1]).deletedDateTime = nowOf(request);
      return ok(204);
    },
  },
  {
    method: 'POST',
    pattern: /^\/servicePrincipals\/([^/]+)\/(?:microsoft\.graph\.)?addTokenSigningCertificate$/,
    permissions: WRITE_APPS,
    handle: (request, m) => addTokenSigningCertificate(request, spOr404(request, m[1])),
  },
  {
    method: 'GET',
    pattern: /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/,
    permissions: [...READ_APPS, ...WRITE_ASSIGNMENTS],
    handle: (request, m) =>
      listCollection(request, spOr404(request, m[1]).appRoleAssignedTo.map(assignmentRecord), ASSIGNMENT_SPEC),
  },
  {
    method: 'POST',
    pattern: /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/,
    permissions: WRITE_ASSIGNMENTS,
    handle: (request, m) => assign(request, spOr404(request, m[1])),
  },
  {
    method: 'DELETE',
    pattern: /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo\/([^/]+)$/,
    permissions: WRITE_ASSIGNMENTS,
    handle: (request, m) => {
      const sp = spOr404(request, m[1]);
      const index = sp.appRoleAssignedTo.findIndex((a) => a.id === m[2]);
      if (index < 0) throw notFound(m[2]);
      sp.appRoleAssignedTo.splice(index, 1);
      return ok(204);
    },
  },
];
