/**
 * The provisioning cycle: every ~40 minutes of virtual time an active job checks its credentials, exports
 * the users and groups in scope, deactivates users who left it, deletes groups no longer assigned, and
 * records the run in the job's status. Repeated credential failures put the job in quarantine, retried
 * with growing intervals. Cycles run lazily when something looks (any synchronization call) and on a
 * one-second timer, so advancing `world.clock` is enough to make a cycle due.
 */
import { randomUUID } from 'node:crypto';
import type { World } from '../../world/world.js';
import { CredentialFailure, checked, type ExportContext } from './export-context.js';
import { deleteExportedGroup, exportGroup } from './export-group.js';
import { deactivateExportedUser, exportUser, skip } from './export-user.js';
import { eqFilter, type ScimConnection, scimCall } from './scim-client.js';
import { computeScope, type ProvisioningScope } from './scope.js';
import { appendLog, type SyncError, type SyncJob, secretsOf, syncStateOf, type TaskExecution } from './sync-state.js';

/** Entra's incremental cycle interval for the AWS app. */
export const CYCLE_INTERVAL_MS = 40 * 60 * 1000;
/** Successive complete failures (e.g. a revoked token) after which the job goes into quarantine. */
export const QUARANTINE_AFTER_FAILURES = 3;
const QUARANTINE_FIRST_RETRY_MS = 2 * 3600 * 1000;
const QUARANTINE_MAX_RETRY_MS = 28 * 24 * 3600 * 1000;

/** The SCIM connection saved in a service principal's secrets, if both parts are there. */
export function connectionOf(world: World, servicePrincipalId: string): ScimConnection | undefined {
  const secrets = secretsOf(world, servicePrincipalId);
  const baseAddress = secrets.get('BaseAddress');
  const token = secrets.get('SecretToken');
  return baseAddress && token ? { baseAddress, token } : undefined;
}

/** A run's context for exports. */
export function newContext(world: World, job: SyncJob, connection: ScimConnection, onDemand: boolean): ExportContext {
  const sp = world.entra!.servicePrincipals.get(job.servicePrincipalId)!;
  return {
    world,
    job,
    sp,
    connection,
    cycleId: randomUUID(),
    onDemand,
    entries: [],
    counts: { exports: 0, exported: 0, escrowed: 0 },
  };
}

/** Entra's connection test: a filtered GetUsers for a user that cannot exist. */
export function probeCredentials(ctx: ExportContext): void {
  const reply = checked(ctx, scimCall(ctx.world, ctx.connection, 'GET', `/Users${eqFilter('userName', randomUUID())}`));
  if (reply.status !== 200) throw new CredentialFailure(reply, ctx.connection.baseAddress);
}

function exportScope(ctx: ExportContext, scope: ProvisioningScope): void {
  for (const user of scope.users.values()) exportUser(ctx, user, !user.accountEnabled);
  for (const { user, viaGroup } of scope.nestedOnly.values())
    if (!ctx.job.exported.has(user.id))
      skip(
        ctx,
        user,
        'NotEffectivelyEntitled',
        `The user is not effectively entitled: they are only a member of '${viaGroup.displayName}', a group nested in an assigned group, and nested group membership is not provisioned.`,
      );
  for (const [id, e] of [...ctx.job.exported])
    if (e.sourceType === 'User' && !scope.users.has(id)) deactivateExportedUser(ctx, id);
  for (const group of scope.groups.values()) exportGroup(ctx, group);
  for (const [id, e] of [...ctx.job.exported])
    if (e.sourceType === 'Group' && !scope.groups.has(id)) deleteExportedGroup(ctx, id);
}

function execution(
  ctx: ExportContext,
  began: Date,
  scope: ProvisioningScope | undefined,
  error: SyncError | null,
): TaskExecution {
  const entitled = scope ? scope.users.size + scope.groups.size : 0;
  return {
    activityIdentifier: ctx.cycleId,
    countEntitled: entitled,
    countEntitledForProvisioning: entitled,
    countEscrowed: ctx.job.escrows.size,
    countEscrowedRaw: ctx.job.escrows.size,
    countExported: ctx.counts.exported,
    countExports: ctx.counts.exports,
    countImported: scope ? entitled + scope.nestedOnly.size : 0,
    countImportedDeltas: scope ? entitled : 0,
    countImportedReferenceDeltas: scope ? scope.groups.size : 0,
    error,
    state: error ? 'Failed' : ctx.job.escrows.size ? 'EntryLevelErrors' : 'Succeeded',
    timeBegan: began,
    timeEnded: ctx.world.clock.now(),
  };
}

function recordFailure(world: World, job: SyncJob, exec: TaskExecution, error: SyncError): void {
  const now = world.clock.now();
  job.countSuccessiveCompleteFailures++;
  job.lastExecution = exec;
  if (job.countSuccessiveCompleteFailures < QUARANTINE_AFTER_FAILURES && !job.quarantine) {
    job.nextRunAt = now.getTime() + CYCLE_INTERVAL_MS;
    return;
  }
  const seriesCount = (job.quarantine?.seriesCount ?? 0) + 1;
  const wait = Math.min(QUARANTINE_FIRST_RETRY_MS * 2 ** (seriesCount - 1), QUARANTINE_MAX_RETRY_MS);
  job.quarantine = {
    currentBegan: now,
    nextAttempt: new Date(now.getTime() + wait),
    reason: 'EncounteredQuarantineException',
    seriesBegan: job.quarantine?.seriesBegan ?? now,
    seriesCount,
    error,
  };
  job.nextRunAt = job.quarantine.nextAttempt.getTime();
}

/** Runs one full cycle of a job now and records it in the job's status. */
export function runCycle(world: World, job: SyncJob): TaskExecution {
  const began = world.clock.now();
  const connection = connectionOf(world, job.servicePrincipalId);
  const ctx = newContext(world, job, connection ?? { baseAddress: '', token: '' }, false);
  let scope: ProvisioningScope | undefined;
  try {
    if (!connection) throw new CredentialFailure({ status: 401, body: {} }, '(no tenant URL saved)');
    probeCredentials(ctx);
    const syncAll = /^true$/i.test(secretsOf(world, job.servicePrincipalId).get('SyncAll') ?? 'false');
    scope = computeScope(world, ctx.sp, syncAll);
    exportScope(ctx, scope);
  } catch (e) {
    if (!(e instanceof CredentialFailure)) throw e;
    appendLog(world, ctx.entries);
    const exec = execution(ctx, began, scope, e.error);
    recordFailure(world, job, exec, e.error);
    return exec;
  }
  appendLog(world, ctx.entries);
  const exec = execution(ctx, began, scope, null);
  job.lastExecution = exec;
  job.countSuccessiveCompleteFailures = 0;
  job.quarantine = null;
  if (exec.state === 'Succeeded') job.lastSuccessfulExecution = exec;
  if (exec.countExported > 0) job.lastSuccessfulExecutionWithExports = exec;
  if (exec.countExports === 0) {
    job.steadyStateFirstAchievedTime ??= exec.timeEnded;
    job.steadyStateLastAchievedTime = exec.timeEnded;
  }
  job.nextRunAt = exec.timeEnded.getTime() + CYCLE_INTERVAL_MS;
  return exec;
}

/** Runs every active job whose next cycle is due on the virtual clock. Returns how many ran. */
export function runDueProvisioningCycles(world: World): number {
  if (!world.entra) return 0;
  let ran = 0;
  const now = world.clock.nowMs();
  for (const jobs of syncStateOf(world).jobs.values())
    for (const job of jobs.values())
      if (job.scheduleState === 'Active' && job.nextRunAt !== null && job.nextRunAt <= now) {
        runCycle(world, job);
        ran++;
      }
  return ran;
}

const timers = new WeakSet<World>();

/** Starts (once per world) a one-second real-time timer that runs due cycles; it never keeps the process alive. */
export function ensureProvisioningTimer(world: World): void {
  if (timers.has(world)) return;
  timers.add(world);
  const timer = setInterval(() => {
    try {
      runDueProvisioningCycles(world);
    } catch {
      // A failing cycle is recorded by the next request that runs it; the timer must not crash the server.
    }
  }, 1000);
  timer.unref();
}
