/** What one provisioning run (a cycle or an on-demand call) carries while it exports objects. */

import { randomUUID } from 'node:crypto';
import type { ServicePrincipal } from '../../world/entra-state.js';
import type { World } from '../../world/world.js';
import { AWS_TARGET_DIRECTORY } from './aws-template.js';
import type { ScimConnection, ScimReply } from './scim-client.js';
import type { ProvisioningLogEntry, SyncError, SyncJob } from './sync-state.js';

export type ExportContext = {
  world: World;
  job: SyncJob;
  sp: ServicePrincipal;
  connection: ScimConnection;
  cycleId: string;
  onDemand: boolean;
  entries: ProvisioningLogEntry[];
  counts: { exports: number; exported: number; escrowed: number };
};

/** The target refused the token: the whole run stops (and counts toward quarantine). */
export class CredentialFailure extends Error {
  readonly error: SyncError;
  constructor(reply: ScimReply, baseAddress: string) {
    const status = reply.status === 404 ? 'NotFound' : 'Unauthorized';
    super(
      `You appear to have entered invalid credentials. Please confirm you are using the correct information for an ` +
        `administrative account. Error code: SystemForCrossDomainIdentityManagementCredentialValidationUnavailable ` +
        `Details: We received this unexpected response from your application: Received response from Web resource. ` +
        `Resource: ${baseAddress} Status Code: ${status}`,
    );
    this.error = {
      code: 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable',
      message: this.message,
      tenantActionable: true,
    };
  }
}

/** Entra's error code for a SCIM failure status. */
export function scimErrorCode(status: number): string {
  if (status === 409) return 'SystemForCrossDomainIdentityManagementServiceConflict';
  if (status === 404) return 'SystemForCrossDomainIdentityManagementServiceResourceNotFound';
  if (status === 429) return 'SystemForCrossDomainIdentityManagementThrottled';
  return 'SystemForCrossDomainIdentityManagementBadRequest';
}

/** Throws CredentialFailure for 401/403 answers; returns the reply otherwise. */
export function checked(ctx: ExportContext, reply: ScimReply): ScimReply {
  if (reply.status === 401 || reply.status === 403) throw new CredentialFailure(reply, ctx.connection.baseAddress);
  return reply;
}

/** Records one log entry. */
export function log(
  ctx: ExportContext,
  entry: Omit<
    ProvisioningLogEntry,
    'id' | 'jobId' | 'servicePrincipalId' | 'cycleId' | 'changeId' | 'activityDateTime' | 'onDemand'
  >,
): ProvisioningLogEntry {
  const full: ProvisioningLogEntry = {
    id: randomUUID(),
    jobId: ctx.job.id,
    servicePrincipalId: ctx.sp.id,
    cycleId: ctx.cycleId,
    changeId: randomUUID(),
    activityDateTime: ctx.world.clock.now(),
    onDemand: ctx.onDemand,
    ...entry,
  };
  ctx.entries.push(full);
  return full;
}

/** Records an object-level failure (an escrow) and its log entry. */
export function escrow(
  ctx: ExportContext,
  source: { type: 'User' | 'Group'; id: string; displayName: string },
  action: ProvisioningLogEntry['action'],
  reply: ScimReply,
): ProvisioningLogEntry {
  const code = scimErrorCode(reply.status);
  const detail = String(reply.body.detail ?? `HTTP ${reply.status}`);
  ctx.job.escrows.set(source.id, { code, message: detail, tenantActionable: true });
  ctx.counts.escrowed++;
  return log(ctx, {
    action,
    status: 'failure',
    sourceType: source.type,
    sourceId: source.id,
    sourceDisplayName: source.displayName,
    targetId: null,
    errorCode: code,
    reason: `Failed to ${action.toLowerCase()} ${source.type} '${source.displayName}' in ${AWS_TARGET_DIRECTORY}; error: ${detail} (HTTP ${reply.status})`,
    modifiedProperties: [],
  });
}
