/**
 * provisionOnDemand: provisions one user (or one group with up to five of its members) right away, through
 * the same export path as the cycle, and answers with Entra's stringKeyStringValuePair (JSON in both).
 */

import type { World } from '../../world/world.js';
import { AWS_TARGET_DIRECTORY } from './aws-template.js';
import { connectionOf, newContext, probeCredentials } from './cycle.js';
import { CredentialFailure, type ExportContext } from './export-context.js';
import { exportGroup } from './export-group.js';
import { deactivateExportedUser, exportUser, skip } from './export-user.js';
import { computeScope } from './scope.js';
import { appendLog, type ProvisioningLogEntry, type SyncJob, secretsOf } from './sync-state.js';

/** The most group members one on-demand group provisioning exports. */
export const ON_DEMAND_GROUP_MEMBERS = 5;

export type OnDemandSubject = { objectId: string; objectTypeName: string };

/** Refused input, as a Graph 400/404 message. */
export class OnDemandInputError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function exportSubject(ctx: ExportContext, subject: OnDemandSubject): void {
  const world = ctx.world;
  const syncAll = /^true$/i.test(secretsOf(world, ctx.job.servicePrincipalId).get('SyncAll') ?? 'false');
  const scope = computeScope(world, ctx.sp, syncAll);
  if (/^user$/i.test(subject.objectTypeName)) {
    const user = world.entra!.users.get(subject.objectId);
    if (!user) throw new OnDemandInputError(404, `User '${subject.objectId}' was not found in the directory.`);
    if (scope.users.has(user.id)) {
      if (!exportUser(ctx, user, !user.accountEnabled))
        skip(
          ctx,
          user,
          'RedundantExport',
          'The state of the user in both the source and target systems already match.',
        );
      return;
    }
    if (ctx.job.exported.has(user.id) && deactivateExportedUser(ctx, user.id)) return;
    const nested = scope.nestedOnly.get(user.id);
    skip(
      ctx,
      user,
      'NotEffectivelyEntitled',
      nested
        ? `The user is not effectively entitled: only a member of '${nested.viaGroup.displayName}', a nested group.`
        : 'The user is not assigned to the application and is not effectively entitled for provisioning.',
    );
    return;
  }
  if (/^group$/i.test(subject.objectTypeName)) {
    const group = scope.groups.get(subject.objectId);
    if (!group) throw new OnDemandInputError(400, `Group '${subject.objectId}' is not assigned to the application.`);
    const members = [...group.members].map((id) => scope.users.get(id)).filter((u) => u !== undefined);
    for (const user of members.slice(0, ON_DEMAND_GROUP_MEMBERS)) exportUser(ctx, user, !user.accountEnabled);
    exportGroup(ctx, group);
    return;
  }
  throw new OnDemandInputError(400, `Unsupported objectTypeName '${subject.objectTypeName}'.`);
}

function resultOf(entries: ProvisioningLogEntry[], failure?: CredentialFailure) {
  if (failure)
    return { result: 'Failure', details: { errorCode: failure.error.code, errorMessage: failure.error.message } };
  const failed = entries.find((e) => e.status === 'failure');
  if (failed) return { result: 'Failure', details: { errorCode: failed.errorCode, errorMessage: failed.reason } };
  if (entries.length && entries.every((e) => e.status === 'skipped'))
    return { result: 'Skipped', details: { errorCode: entries[0].errorCode, errorMessage: entries[0].reason } };
  return { result: 'Success', details: {} };
}

/** Runs provisionOnDemand for the subjects and returns Graph's { key, value } answer. */
export function provisionOnDemand(
  world: World,
  job: SyncJob,
  subjects: OnDemandSubject[],
): { key: string; value: string } {
  const connection = connectionOf(world, job.servicePrincipalId);
  if (!connection)
    throw new OnDemandInputError(400, 'Provisioning credentials are not configured for this application.');
  const ctx = newContext(world, job, connection, true);
  const start = world.clock.now();
  let failure: CredentialFailure | undefined;
  try {
    probeCredentials(ctx);
    for (const subject of subjects) exportSubject(ctx, subject);
  } catch (e) {
    if (!(e instanceof CredentialFailure)) throw e;
    failure = e;
  }
  appendLog(world, ctx.entries);
  const main = ctx.entries.find((e) => e.sourceId === subjects[0]?.objectId) ?? ctx.entries[0];
  const key = resultOf(ctx.entries, failure);
  const value = {
    action: main?.action ?? 'Other',
    changeId: main?.changeId ?? ctx.cycleId,
    startTime: start.toISOString(),
    endTime: world.clock.now().toISOString(),
    modifiedProperties: main?.modifiedProperties ?? [],
    provisioningSteps: ctx.entries.map((e) => ({
      name: e.status === 'skipped' ? 'EntrySynchronizationSkip' : `EntryExport${e.action}`,
      type: 'Export',
      status: e.status === 'success' ? 'Success' : e.status === 'skipped' ? 'Skipped' : 'Failure',
      description: e.reason ?? `${e.action} ${e.sourceType} '${e.sourceDisplayName}' in ${AWS_TARGET_DIRECTORY}`,
      timestamp: e.activityDateTime.toISOString(),
      details: { sourceId: e.sourceId, targetId: e.targetId ?? '' },
    })),
    reportableIdentifier: main?.sourceDisplayName ?? subjects[0]?.objectId,
    sourceIdentity: {
      id: subjects[0]?.objectId,
      type: subjects[0]?.objectTypeName,
      displayName: main?.sourceDisplayName ?? null,
    },
    sourceSystem: { id: null, name: 'Azure Active Directory', details: null },
    targetIdentity: {
      id: main?.targetId ?? null,
      type: main?.sourceType === 'Group' ? 'Group' : 'User',
      displayName: null,
    },
    targetSystem: { id: null, name: AWS_TARGET_DIRECTORY, details: null },
    statusInfo: {
      status: key.result,
      errorCode: key.details.errorCode ?? null,
      reason: key.details.errorMessage ?? null,
    },
  };
  return { key: JSON.stringify(key), value: JSON.stringify(value) };
}
