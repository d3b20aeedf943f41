/** Graph `/applications`: list, get, create, update (identifierUris, web.redirectUris, keyCredentials), delete. */
import type { EntraApplication, EntraState } from '../../world/entra-state.js';
import { parseCertificate } from '../crypto/x509.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { APPLICATION_SPEC, applicationRecord } from './app-records.js';
import { bodyObject, nowOf, ok, READ_APPS, tenantOf, WRITE_APPS } from './context.js';
import { entityResult, listCollection, notFound } from './odata.js';

/** Whether a gallery-instantiated object is readable yet (Entra replicates it a few seconds later). */
export function isVisible(request: GraphRequest, object: { visibleAfter?: Date; deletedDateTime?: Date }): boolean {
  return !object.deletedDateTime && (!object.visibleAfter || object.visibleAfter <= nowOf(request));
}

function visibleApps(request: GraphRequest): EntraApplication[] {
  return [...tenantOf(request).applications.values()].filter((a) => isVisible(request, a));
}

function appOr404(request: GraphRequest, id: string): EntraApplication {
  const app = tenantOf(request).applications.get(id);
  if (!app || !isVisible(request, app)) throw notFound(id);
  return app;
}

function stringList(key: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw graphError(
      400,
      'Request_BadRequest',
      `Invalid value specified for property '${key}' of resource 'Application'.`,
    );
  }
  return value as string[];
}

function setIdentifierUris(entra: EntraState, app: EntraApplication, uris: string[]): void {
  for (const other of entra.applications.values()) {
    if (other.id !== app.id && !other.deletedDateTime && other.identifierUris.some((u) => uris.includes(u))) {
      throw graphError(
        400,
        'Request_BadRequest',
        'Another object with the same value for property identifierUris already exists.',
      );
    }
  }
  app.identifierUris = [...uris];
}

function setKeyCredentials(request: GraphRequest, app: EntraApplication, value: unknown): void {
  if (!Array.isArray(value))
    throw graphError(400, 'Request_BadRequest', "Invalid value specified for property 'keyCredentials'.");
  app.keyCredentials = value.map((k: Record<string, unknown>) => {
    let cert: ReturnType<typeof parseCertificate>;
    try {
      cert = parseCertificate(String(k.key ?? ''));
    } catch {
      throw graphError(400, 'Request_BadRequest', 'Key credential key is not a valid certificate.');
    }
    return {
      keyId: typeof k.keyId === 'string' ? k.keyId : crypto.randomUUID(),
      type: String(k.type ?? 'AsymmetricX509Cert'),
      usage: String(k.usage ?? 'Verify'),
      certificatePem: cert.toString(),
      endDateTime: new Date(cert.validTo),
    };
  });
  void request;
}

function applyAppProps(request: GraphRequest, app: EntraApplication, body: Record<string, unknown>): void {
  const entra = tenantOf(request);
  for (const [key, value] of Object.entries(body)) {
    if (key === 'displayName') app.displayName = String(value);
    else if (key === 'identifierUris') setIdentifierUris(entra, app, stringList(key, value));
    else if (key === 'web') {
      const web = (value ?? {}) as Record<string, unknown>;
      if (web.redirectUris !== undefined) app.web.redirectUris = stringList('web.redirectUris', web.redirectUris);
      if (web.logoutUrl !== undefined) app.web.logoutUrl = web.logoutUrl === null ? null : String(web.logoutUrl);
    } else if (key === 'signInAudience') app.signInAudience = String(value);
    else if (key === 'keyCredentials') setKeyCredentials(request, app, value);
    else if (key === 'appRoles') {
      if (!Array.isArray(value))
        throw graphError(400, 'Request_BadRequest', "Invalid value specified for property 'appRoles'.");
      app.appRoles = value.map((r) => ({ ...r }));
    } else if (!['requiredResourceAccess', 'tags', 'description', 'notes', 'groupMembershipClaims'].includes(key)) {
      throw graphError(
        400,
        'Request_BadRequest',
        `Property '${key}' does not exist on type 'microsoft.graph.application' or is read-only.`,
      );
    }
  }
}

/** Handlers for `/applications`. */
export const applicationHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/applications$/,
    permissions: READ_APPS,
    handle: (request) =>
      listCollection(
        request,
        visibleApps(request).map((a) => applicationRecord(tenantOf(request), a)),
        APPLICATION_SPEC,
      ),
  },
  {
    method: 'POST',
    pattern: /^\/applications$/,
    permissions: WRITE_APPS,
    handle: (request) => {
      const body = bodyObject(request);
      if (typeof body.displayName !== 'string' || !body.displayName) {
        throw graphError(
          400,
          'Request_BadRequest',
          "Invalid value specified for property 'displayName' of resource 'Application'.",
        );
      }
      const app: EntraApplication = {
        id: crypto.randomUUID(),
        appId: crypto.randomUUID(),
        displayName: body.displayName,
        identifierUris: [],
        web: { redirectUris: [], logoutUrl: null },
        appRoles: [],
        createdDateTime: nowOf(request),
        passwordCredentials: [],
        keyCredentials: [],
        grantedPermissions: [],
      };
      applyAppProps(request, app, body);
      tenantOf(request).applications.set(app.id, app);
      return ok(201, {
        '@odata.context': `${request.baseUrl}/$metadata#applications/$entity`,
        ...applicationRecord(tenantOf(request), app),
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/applications\/([^/]+)$/,
    permissions: READ_APPS,
    handle: (request, m) =>
      entityResult(request, applicationRecord(tenantOf(request), appOr404(request, m[1])), APPLICATION_SPEC),
  },
  {
    method: 'GET',
    pattern: /^\/applications\(appId='([^']+)'\)$/,
    permissions: READ_APPS,
    handle: (request, m) => {
      const app = visibleApps(request).find((a) => a.appId === m[1]);
      if (!app) throw notFound(m[1]);
      return entityResult(request, applicationRecord(tenantOf(request), app), APPLICATION_SPEC);
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/applications\/([^/]+)$/,
    permissions: WRITE_APPS,
    handle: (request, m) => {
      applyAppProps(request, appOr404(request, m[1]), bodyObject(request));
      return ok(204);
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/applications\/([^/]+)$/,
    permissions: WRITE_APPS,
    handle: (request, m) => {
      // Deleting an application deletes its service principal too (both restorable from deleted items).
      const app = appOr404(request, m[1]);
      app.deletedDateTime = nowOf(request);
      for (const sp of tenantOf(request).servicePrincipals.values())
        if (sp.appId === app.appId && !sp.deletedDateTime) sp.deletedDateTime = app.deletedDateTime;
      return ok(204);
    },
  },
];
