/** Synchronization jobs and provisioning log entries in Graph's JSON shapes. */

import type { World } from '../../world/world.js';
import { AWS_TARGET_DIRECTORY, SCIM_GROUP_OBJECT, SCIM_USER_OBJECT } from './aws-template.js';
import { CYCLE_INTERVAL_MS } from './cycle.js';
import type { ProvisioningLogEntry, SyncJob, TaskExecution } from './sync-state.js';

const NEVER = '0001-01-01T00:00:00Z';

function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

function executionJson(e: TaskExecution | null): Record<string, unknown> | null {
  if (!e) return null;
  return { ...e, timeBegan: iso(e.timeBegan), timeEnded: iso(e.timeEnded) };
}

/**
 * The job's high-level status code, derived from its schedule, runs and quarantine. A job that is not running
 * (new, or stopped) reads `Paused`, as the AWS IAM Identity Center app's jobs do (GUESSES.md).
 */
export function statusCode(job: SyncJob): 'NotRun' | 'Active' | 'Paused' | 'Quarantine' {
  if (job.quarantine) return 'Quarantine';
  if (job.scheduleState === 'Disabled') return 'Paused';
  return job.lastExecution ? 'Active' : 'NotRun';
}

/** A synchronizationJob as GET .../synchronization/jobs/{id} returns it. */
export function jobJson(world: World, job: SyncJob): Record<string, unknown> {
  const counts = { User: 0, Group: 0 };
  for (const e of job.exported.values()) counts[e.sourceType]++;
  const q = job.quarantine;
  return {
    id: job.id,
    templateId: job.templateId,
    schedule: {
      expiration: null,
      // The AWS IAM Identity Center app's jobs keep their 40-minute interval whatever the state (GUESSES.md).
      interval: `PT${CYCLE_INTERVAL_MS / 60000}M`,
      state: job.scheduleState,
    },
    status: {
      code: statusCode(job),
      countSuccessiveCompleteFailures: job.countSuccessiveCompleteFailures,
      escrowsPruned: false,
      lastExecution: executionJson(job.lastExecution),
      lastSuccessfulExecution: executionJson(job.lastSuccessfulExecution),
      lastSuccessfulExecutionWithExports: executionJson(job.lastSuccessfulExecutionWithExports),
      progress: [],
      quarantine: q
        ? {
            currentBegan: iso(q.currentBegan),
            nextAttempt: iso(q.nextAttempt),
            reason: q.reason,
            seriesBegan: iso(q.seriesBegan),
            seriesCount: q.seriesCount,
            error: q.error,
          }
        : null,
      steadyStateFirstAchievedTime: iso(job.steadyStateFirstAchievedTime) ?? NEVER,
      steadyStateLastAchievedTime: iso(job.steadyStateLastAchievedTime) ?? NEVER,
      synchronizedEntryCountByType: [
        { key: `User to ${SCIM_USER_OBJECT}`, value: counts.User },
        { key: `Group to ${SCIM_GROUP_OBJECT}`, value: counts.Group },
      ],
      troubleshootingUrl: q ? 'https://aka.ms/ProvisioningQuarantine' : null,
    },
    synchronizationJobSettings: [
      { name: 'QuarantineTooManyDeletesThreshold', value: '500' },
      { name: 'Domain', value: JSON.stringify({ domain: world.entra?.domain ?? '' }) },
    ],
  };
}

/** A provisioning log entry as GET /auditLogs/provisioning returns it (provisioningObjectSummary). */
export function provisioningLogJson(world: World, e: ProvisioningLogEntry): Record<string, unknown> {
  const sp = world.entra?.servicePrincipals.get(e.servicePrincipalId);
  return {
    id: e.id,
    activityDateTime: e.activityDateTime.toISOString(),
    changeId: e.changeId,
    cycleId: e.cycleId,
    durationInMilliseconds: 0,
    jobId: e.jobId,
    initiatedBy: {
      id: '',
      displayName: e.onDemand ? 'Provision on demand' : 'Azure AD Provisioning Service',
      initiatorType: 'system',
    },
    provisioningAction: e.action.toLowerCase(),
    provisioningStatusInfo: {
      status: e.status,
      errorInformation: e.errorCode ? { errorCode: e.errorCode, reason: e.reason, additionalDetails: null } : null,
    },
    provisioningSteps: [
      {
        name: e.status === 'skipped' ? 'EntrySynchronizationSkip' : `EntryExport${e.action}`,
        provisioningStepType: e.status === 'skipped' ? 'scoping' : 'export',
        status: e.status,
        description: e.reason ?? `${e.action} ${e.sourceType} '${e.sourceDisplayName}'`,
        details: {},
      },
    ],
    modifiedProperties: e.modifiedProperties,
    servicePrincipal: { id: e.servicePrincipalId, displayName: sp?.displayName ?? '' },
    sourceIdentity: { id: e.sourceId, displayName: e.sourceDisplayName, identityType: e.sourceType, details: null },
    sourceSystem: { id: null, displayName: 'Azure Active Directory', details: null },
    targetIdentity: {
      id: e.targetId ?? '',
      displayName: e.sourceDisplayName,
      identityType: e.sourceType === 'User' ? 'User' : 'Group',
      details: null,
    },
    targetSystem: { id: null, displayName: AWS_TARGET_DIRECTORY, details: null },
  };
}
