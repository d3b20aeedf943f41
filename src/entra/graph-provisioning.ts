/**
 * Provisioning through Graph's synchronization API: the app's templates and jobs, the SCIM credentials
 * (validateCredentials then secrets: BaseAddress, SecretToken, SyncAll false), start, and provisionOnDemand.
 * The SCIM token passes through to Graph and is never kept.
 */
import type { GraphApi } from './graph-client.js';
import { GraphCallError } from './graph-errors.js';
import type { OnDemandResult, ScimCredentials, SyncJob } from './ports.js';

type Raw = Record<string, unknown>;

function base(servicePrincipalId: string): string {
  return `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/synchronization`;
}

function job(servicePrincipalId: string, jobId: string): string {
  return `${base(servicePrincipalId)}/jobs/${encodeURIComponent(jobId)}`;
}

function toJob(raw: Raw): SyncJob {
  const status = (raw.status as Raw | undefined) ?? {};
  return {
    id: String(raw.id),
    templateId: String(raw.templateId ?? ''),
    scheduleState: String((raw.schedule as Raw | undefined)?.state ?? 'Disabled'),
    quarantined: Boolean(status.quarantine) || status.code === 'Quarantine',
    lastExecutionState: ((status.lastExecution as Raw | null | undefined)?.state as string | undefined) ?? null,
  };
}

/** The app's synchronization jobs. */
export async function listSyncJobs(graph: GraphApi, servicePrincipalId: string): Promise<SyncJob[]> {
  const { items } = await graph.pages<Raw>(`${base(servicePrincipalId)}/jobs`, 'sync.read');
  return items.map(toJob);
}

/** The synchronization template ids the app offers (the AWS app offers one, `aws`). */
export async function listSyncTemplateIds(graph: GraphApi, servicePrincipalId: string): Promise<string[]> {
  const { items } = await graph.pages<Raw>(`${base(servicePrincipalId)}/templates`, 'sync.read');
  return items.map((t) => String(t.id));
}

/** The id of the rule that provisions Entra users, from the job's schema. */
export async function userRuleId(graph: GraphApi, servicePrincipalId: string, jobId: string): Promise<string | null> {
  const schema = await graph.get<{ synchronizationRules?: Raw[] }>(
    `${job(servicePrincipalId, jobId)}/schema`,
    'sync.read',
  );
  const rules = schema.synchronizationRules ?? [];
  const forUsers = rules.find((r) =>
    ((r.objectMappings as Raw[] | undefined) ?? []).some((m) => m.sourceObjectName === 'User' && m.enabled !== false),
  );
  return forUsers ? String(forUsers.id) : rules[0] ? String(rules[0].id) : null;
}

/** True when the saved credentials reach the SCIM endpoint (Entra's "Test Connection" on saved values). */
export async function savedCredentialsWork(
  graph: GraphApi,
  servicePrincipalId: string,
  jobId: string,
): Promise<boolean> {
  try {
    await graph.post(`${job(servicePrincipalId, jobId)}/validateCredentials`, 'sync.write', {
      useSavedCredentials: true,
    });
    return true;
  } catch (error) {
    if (error instanceof GraphCallError && error.failure.status === 400) return false;
    throw error;
  }
}

/** Creates the job from the app's synchronization template (Entra creates it disabled). */
export async function createSyncJob(graph: GraphApi, servicePrincipalId: string, templateId: string): Promise<SyncJob> {
  return toJob(await graph.post<Raw>(`${base(servicePrincipalId)}/jobs`, 'sync.write', { templateId }));
}

/** Tests the credentials against the SCIM endpoint, then saves them with SyncAll false (assigned only). */
export async function saveScimCredentials(
  graph: GraphApi,
  servicePrincipalId: string,
  jobId: string,
  credentials: ScimCredentials,
): Promise<void> {
  const pairs = [
    { key: 'BaseAddress', value: credentials.baseAddress },
    { key: 'SecretToken', value: credentials.token },
  ];
  await graph.post(`${job(servicePrincipalId, jobId)}/validateCredentials`, 'sync.write', {
    useSavedCredentials: false,
    credentials: pairs,
  });
  await graph.put(`${base(servicePrincipalId)}/secrets`, 'sync.write', {
    value: [...pairs, { key: 'SyncAll', value: 'false' }],
  });
}

/** Starts (or resumes) the job. */
export function startSyncJob(graph: GraphApi, servicePrincipalId: string, jobId: string): Promise<void> {
  return graph.post(`${job(servicePrincipalId, jobId)}/start`, 'sync.write', {});
}

/** Pauses the job (learn.microsoft.com/graph/api/synchronization-synchronizationjob-pause: POST, 204). */
export function pauseSyncJob(graph: GraphApi, servicePrincipalId: string, jobId: string): Promise<void> {
  return graph.post(`${job(servicePrincipalId, jobId)}/pause`, 'sync.write', {});
}

/** Deletes the job (learn.microsoft.com/graph/api/synchronization-synchronizationjob-delete: DELETE, 204). */
export async function deleteSyncJob(graph: GraphApi, servicePrincipalId: string, jobId: string): Promise<void> {
  try {
    await graph.delete(job(servicePrincipalId, jobId), 'sync.write');
  } catch (error) {
    if (!(error instanceof GraphCallError && error.failure.status === 404)) throw error;
  }
}

function parseJson(text: unknown): Raw {
  if (typeof text !== 'string') return {};
  try {
    return JSON.parse(text) as Raw;
  } catch {
    return {};
  }
}

/** Reads Graph's provisionOnDemand answer: a key/value pair whose strings are JSON documents. */
export function readOnDemandAnswer(answer: { key?: unknown; value?: unknown }): OnDemandResult {
  const key = parseJson(answer.key);
  const value = parseJson(answer.value);
  const info = ((value.statusInfo ?? value.provisioningStatusInfo) as Raw | undefined) ?? {};
  const details = (key.details as Raw | undefined) ?? {};
  const errorInfo = (info.errorInformation as Raw | null | undefined) ?? {};
  const status = String(info.status ?? key.result ?? 'Unknown');
  return {
    status: status.charAt(0).toUpperCase() + status.slice(1),
    action: (value.action as string | undefined) ?? null,
    reason: ((info.reason ?? errorInfo.reason ?? details.errorMessage) as string | undefined) ?? null,
    targetId: ((value.targetIdentity as Raw | undefined)?.id as string | undefined) ?? null,
  };
}

/** Provisions one user now instead of waiting for the next cycle. */
export async function provisionOnDemand(
  graph: GraphApi,
  servicePrincipalId: string,
  jobId: string,
  ruleId: string,
  userId: string,
): Promise<OnDemandResult> {
  const answer = await graph.post<{ key?: unknown; value?: unknown }>(
    `${job(servicePrincipalId, jobId)}/provisionOnDemand`,
    'sync.write',
    { parameters: [{ ruleId, subjects: [{ objectId: userId, objectTypeName: 'User' }] }] },
  );
  return readOnDemandAnswer(answer);
}
