/**
 * Microsoft Graph's synchronization API for enterprise apps (templates, jobs, secrets, validateCredentials,
 * start, pause, restart, provisionOnDemand, schema) and the provisioning logs, served by the sandbox's
 * Entra-like provisioning engine. Every call first runs the cycles that are due on the virtual clock.
 */
import { randomBytes } from 'node:crypto';
import type { ServicePrincipal } from '../../world/entra-state.js';
import type { World } from '../../world/world.js';
import { type GraphHandler, type GraphRequest, type GraphResult, graphError } from '../graph-types.js';
import {
  AWS_GALLERY_TEMPLATE_ID,
  AWS_SYNC_TEMPLATE_ID,
  awsDefaultSchema,
  awsSynchronizationTemplate,
} from './aws-template.js';
import { ensureProvisioningTimer, runDueProvisioningCycles } from './cycle.js';
import { jobJson, provisioningLogJson } from './job-view.js';
import { OnDemandInputError, provisionOnDemand } from './on-demand.js';
import { jobsOf, type SyncJob, secretsOf, syncStateOf } from './sync-state.js';
import { validateCredentials } from './validate-credentials.js';

const READ = ['Synchronization.Read.All', 'Synchronization.ReadWrite.All', 'Application.ReadWrite.OwnedBy'];
const WRITE = ['Synchronization.ReadWrite.All', 'Application.ReadWrite.OwnedBy'];
const AUDIT = ['AuditLog.Read.All'];
/** provisionOnDemand allows 5 requests per 10 seconds. */
export const ON_DEMAND_LIMIT = { requests: 5, windowMs: 10_000 };

const SP = '/servicePrincipals/([^/]+)/synchronization';
const JOB = `${SP}/jobs/([^/]+)`;

const JSON_HEADERS = {
  'content-type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
};

function ok(status: number, body?: unknown): GraphResult {
  return body === undefined ? { status } : { status, headers: JSON_HEADERS, body };
}

type Found<T> = { value: T; error?: undefined } | { value?: undefined; error: GraphResult };

function servicePrincipal(request: GraphRequest, id: string): Found<ServicePrincipal> {
  const world = request.sandbox.world;
  if (!world.entra) return { error: graphError(503, 'ServiceNotAvailable', 'The sandbox has no Entra tenant.') };
  runDueProvisioningCycles(world);
  const sp = world.entra.servicePrincipals.get(decodeURIComponent(id));
  if (!sp || (sp.visibleAfter && sp.visibleAfter.getTime() > world.clock.nowMs()))
    return {
      error: graphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${decodeURIComponent(id)}' does not exist or one of its queried reference-property objects are not present.`,
      ),
    };
  return { value: sp };
}

function job(request: GraphRequest, match: RegExpExecArray): Found<SyncJob> {
  const sp = servicePrincipal(request, match[1]);
  if (sp.error) return sp;
  const found = jobsOf(request.sandbox.world, sp.value.id).get(decodeURIComponent(match[2]));
  if (!found)
    return {
      error: graphError(404, 'NotFound', `The synchronization job '${decodeURIComponent(match[2])}' was not found.`),
    };
  return { value: found };
}

function newJob(world: World, sp: ServicePrincipal, templateId: string): SyncJob {
  return {
    id: `${templateId}.${randomBytes(16).toString('hex')}.${world.entra!.tenantId}`,
    templateId,
    servicePrincipalId: sp.id,
    scheduleState: 'Disabled',
    nextRunAt: null,
    countSuccessiveCompleteFailures: 0,
    lastExecution: null,
    lastSuccessfulExecution: null,
    lastSuccessfulExecutionWithExports: null,
    quarantine: null,
    steadyStateFirstAchievedTime: null,
    steadyStateLastAchievedTime: null,
    exported: new Map(),
    escrows: new Map(),
    loggedSkips: new Set(),
    schema: awsDefaultSchema(),
    onDemandCalls: [],
  };
}

const jobHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^${SP}/templates/?$`),
    permissions: READ,
    handle(request, match) {
      const sp = servicePrincipal(request, match[1]);
      if (sp.error) return sp.error;
      const value =
        sp.value.applicationTemplateId === AWS_GALLERY_TEMPLATE_ID ? [awsSynchronizationTemplate(sp.value.appId)] : [];
      return ok(200, { value });
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${SP}/jobs/?$`),
    permissions: READ,
    handle(request, match) {
      const sp = servicePrincipal(request, match[1]);
      if (sp.error) return sp.error;
      const world = request.sandbox.world;
      return ok(200, { value: [...jobsOf(world, sp.value.id).values()].map((j) => jobJson(world, j)) });
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${SP}/jobs/?$`),
    permissions: WRITE,
    handle(request, match) {
      const sp = servicePrincipal(request, match[1]);
      if (sp.error) return sp.error;
      const templateId = request.body?.templateId;
      if (typeof templateId !== 'string' || !templateId)
        return graphError(400, 'BadRequest', 'The templateId of the synchronization job is required.');
      if (templateId !== AWS_SYNC_TEMPLATE_ID || sp.value.applicationTemplateId !== AWS_GALLERY_TEMPLATE_ID)
        return graphError(
          400,
          'BadRequest',
          `The synchronization template '${templateId}' is not available for this application.`,
        );
      const world = request.sandbox.world;
      const jobs = jobsOf(world, sp.value.id);
      if ([...jobs.values()].some((j) => j.templateId === templateId))
        return graphError(409, 'Conflict', `A synchronization job for template '${templateId}' already exists.`);
      const created = newJob(world, sp.value, templateId);
      jobs.set(created.id, created);
      return ok(201, jobJson(world, created));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${JOB}/?$`),
    permissions: READ,
    handle(request, match) {
      const j = job(request, match);
      return j.error ?? ok(200, jobJson(request.sandbox.world, j.value));
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${JOB}/?$`),
    permissions: WRITE,
    handle(request, match) {
      const j = job(request, match);
      if (j.error) return j.error;
      jobsOf(request.sandbox.world, j.value.servicePrincipalId).delete(j.value.id);
      return ok(204);
    },
  },
];

const controlHandlers: GraphHandler[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^${JOB}/(?:microsoft\\.graph\\.)?start$`),
    permissions: WRITE,
    handle(request, match) {
      const j = job(request, match);
      if (j.error) return j.error;
      const world = request.sandbox.world;
      if (!secretsOf(world, j.value.servicePrincipalId).has('SecretToken'))
        return graphError(400, 'BadRequest', 'Provisioning credentials must be saved before the job can be started.');
      if (j.value.scheduleState !== 'Active' || j.value.quarantine) j.value.nextRunAt = world.clock.nowMs();
      j.value.scheduleState = 'Active';
      j.value.quarantine = null;
      j.value.countSuccessiveCompleteFailures = 0;
      ensureProvisioningTimer(world);
      return ok(204);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${JOB}/(?:microsoft\\.graph\\.)?pause$`),
    permissions: WRITE,
    handle(request, match) {
      const j = job(request, match);
      if (j.error) return j.error;
      j.value.scheduleState = 'Disabled';
      j.value.nextRunAt = null;
      return ok(204);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${JOB}/(?:microsoft\\.graph\\.)?restart$`),
    permissions: WRITE,
    handle(request, match) {
      const j = job(request, match);
      if (j.error) return j.error;
      const world = request.sandbox.world;
      const scope = String(request.body?.criteria?.resetScope ?? 'Full');
      const resets = new Set(scope.split(',').map((s) => s.trim().toLowerCase()));
      const full = resets.has('full');
      if (full || resets.has('watermark')) j.value.loggedSkips.clear();
      if (full || resets.has('escrows')) j.value.escrows.clear();
      if (full || resets.has('quarantinestate')) {
        j.value.quarantine = null;
        j.value.countSuccessiveCompleteFailures = 0;
      }
      if (full || resets.has('connectorDataStore'.toLowerCase())) j.value.exported.clear();
      j.value.scheduleState = 'Active';
      j.value.nextRunAt = world.clock.nowMs();
      ensureProvisioningTimer(world);
      return ok(204);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${JOB}/(?:microsoft\\.graph\\.)?validateCredentials$`),
    permissions: WRITE,
    handle(request, match) {
      const j = job(request, match);
      return j.error ?? validateCredentials(request, j.value);
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${JOB}/(?:microsoft\\.graph\\.)?provisionOnDemand$`),
    permissions: WRITE,
    handle(request, match) {
      const j = job(request, match);
      if (j.error) return j.error;
      const world = request.sandbox.world;
      const now = world.clock.nowMs();
      j.value.onDemandCalls = j.value.onDemandCalls.filter((t) => t > now - ON_DEMAND_LIMIT.windowMs);
      if (j.value.onDemandCalls.length >= ON_DEMAND_LIMIT.requests) {
        const retryAfter = Math.ceil((j.value.onDemandCalls[0] + ON_DEMAND_LIMIT.windowMs - now) / 1000);
        const error = graphError(
          429,
          'TooManyRequests',
          'Too many requests. The rate limit for provisionOnDemand is 5 requests per 10 seconds.',
        );
        return { ...error, headers: { ...error.headers, 'retry-after': String(Math.max(1, retryAfter)) } };
      }
      j.value.onDemandCalls.push(now);
      const subjects = (Array.isArray(request.body?.parameters) ? request.body.parameters : []).flatMap(
        (p: { subjects?: unknown }) => (Array.isArray(p?.subjects) ? p.subjects : []),
      );
      if (!subjects.length || subjects.some((s: { objectId?: unknown }) => typeof s?.objectId !== 'string'))
        return graphError(400, 'BadRequest', 'parameters[].subjects[] with objectId and objectTypeName are required.');
      try {
        return ok(200, {
          '@odata.context': `${request.baseUrl}/$metadata#microsoft.graph.stringKeyStringValuePair`,
          ...provisionOnDemand(world, j.value, subjects),
        });
      } catch (e) {
        if (e instanceof OnDemandInputError)
          return graphError(e.status, e.status === 404 ? 'NotFound' : 'BadRequest', e.message);
        throw e;
      }
    },
  },
];

const configHandlers: GraphHandler[] = [
  {
    method: 'PUT',
    pattern: new RegExp(`^${SP}/secrets/?$`),
    permissions: WRITE,
    handle(request, match) {
      const sp = servicePrincipal(request, match[1]);
      if (sp.error) return sp.error;
      const value = request.body?.value;
      if (!Array.isArray(value) || value.some((kv) => typeof kv?.key !== 'string' || typeof kv?.value !== 'string'))
        return graphError(400, 'BadRequest', 'The request body must be { "value": [ { "key": ..., "value": ... } ] }.');
      const secrets = secretsOf(request.sandbox.world, sp.value.id);
      for (const kv of value as { key: string; value: string }[]) secrets.set(kv.key, kv.value);
      return ok(204);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${JOB}/schema/?$`),
    permissions: READ,
    handle(request, match) {
      const j = job(request, match);
      return j.error ?? ok(200, { id: j.value.templateId, ...j.value.schema });
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^${JOB}/schema/?$`),
    permissions: WRITE,
    handle(request, match) {
      const j = job(request, match);
      if (j.error) return j.error;
      const rules = request.body?.synchronizationRules;
      if (!Array.isArray(rules) || rules.some((r) => !Array.isArray(r?.objectMappings)))
        return graphError(400, 'BadRequest', 'synchronizationRules with objectMappings are required.');
      j.value.schema = { ...j.value.schema, synchronizationRules: structuredClone(rules) };
      return ok(204);
    },
  },
  {
    method: 'GET',
    pattern: /^\/auditLogs\/provisioning\/?$/,
    permissions: AUDIT,
    handle(request) {
      const world = request.sandbox.world;
      if (!world.entra) return graphError(503, 'ServiceNotAvailable', 'The sandbox has no Entra tenant.');
      runDueProvisioningCycles(world);
      const filter = request.query.get('$filter') ?? '';
      const jobFilter = /jobId eq '([^']+)'/.exec(filter)?.[1];
      const top = Math.min(Number(request.query.get('$top') ?? 1000) || 1000, 1000);
      const entries = syncStateOf(world)
        .log.filter((e) => !jobFilter || e.jobId === jobFilter)
        .slice(-top)
        .reverse();
      return ok(200, { value: entries.map((e) => provisioningLogJson(world, e)) });
    },
  },
];

/** Every Graph handler of the synchronization API, for the Graph router. */
export const synchronizationHandlers: GraphHandler[] = [...jobHandlers, ...controlHandlers, ...configHandlers];
