/**
 * Graph `/directory/deletedItems/{id}/restore` for applications and service principals: a deleted object comes back
 * as it was, for 30 days. Deleting an application also deletes its service principal, and restoring the application
 * does not restore the service principal (it is restored by its own call), as Graph v1.0 documents it:
 * https://learn.microsoft.com/graph/api/directory-deleteditems-restore ("restoring an application doesn't restore
 * the associated service principal automatically ... A recently deleted item remains available for up to 30 days");
 * the answer is 200 with the restored object. Also `GET /directory/deletedItems/{id}`.
 */
import type { GraphHandler, GraphRequest } from '../graph-types.js';
import { applicationRecord, servicePrincipalRecord } from './app-records.js';
import { nowOf, ok, READ_APPS, tenantOf, WRITE_APPS } from './context.js';
import { notFound } from './odata.js';

const RETENTION_MS = 30 * 86_400_000;

function deletedObject(request: GraphRequest, id: string) {
  const entra = tenantOf(request);
  const app = entra.applications.get(id);
  const sp = entra.servicePrincipals.get(id);
  const object = app ?? sp;
  const when = object?.deletedDateTime;
  if (!object || !when || nowOf(request).getTime() - when.getTime() > RETENTION_MS) throw notFound(id);
  const record = () =>
    app
      ? { '@odata.type': '#microsoft.graph.application', ...applicationRecord(entra, app) }
      : { '@odata.type': '#microsoft.graph.servicePrincipal', ...servicePrincipalRecord(entra, sp!) };
  return { object, record };
}

/** Handlers for the deleted items of applications and service principals. */
export const deletedItemHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/directory\/deletedItems\/([^/]+)$/,
    permissions: READ_APPS,
    handle: (request, m) => {
      const { object, record } = deletedObject(request, m[1]);
      return ok(200, { ...record(), deletedDateTime: object.deletedDateTime!.toISOString() });
    },
  },
  {
    method: 'POST',
    pattern: /^\/directory\/deletedItems\/([^/]+)\/(?:microsoft\.graph\.)?restore$/,
    permissions: WRITE_APPS,
    handle: (request, m) => {
      const { object, record } = deletedObject(request, m[1]);
      object.deletedDateTime = undefined;
      return ok(200, { '@odata.context': `${request.baseUrl}/$metadata#directoryObjects/$entity`, ...record() });
    },
  },
];
