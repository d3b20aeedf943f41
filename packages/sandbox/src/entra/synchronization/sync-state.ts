/**
 * State of Entra's provisioning service in the sandbox: per service principal, its saved secrets and its
 * synchronization jobs, each with its schedule, status, quarantine, the objects it has exported and the
 * provisioning log. Kept beside the tenant (not in EntraState) and in memory only: secrets never leave it.
 */
import type { EntraState } from '../../world/entra-state.js';
import type { World } from '../../world/world.js';
import type { SynchronizationSchema } from './aws-template.js';

export type SyncError = { code: string; message: string; tenantActionable: boolean };

export type TaskExecution = {
  activityIdentifier: string;
  countEntitled: number;
  countEntitledForProvisioning: number;
  countEscrowed: number;
  countEscrowedRaw: number;
  countExported: number;
  countExports: number;
  countImported: number;
  countImportedDeltas: number;
  countImportedReferenceDeltas: number;
  error: SyncError | null;
  state: 'Succeeded' | 'Failed' | 'EntryLevelErrors';
  timeBegan: Date;
  timeEnded: Date;
};

export type Quarantine = {
  currentBegan: Date;
  nextAttempt: Date;
  reason: 'EncounteredQuarantineException' | 'EncounteredEscrowProportionThreshold' | 'QuarantinedOnDemand';
  seriesBegan: Date;
  seriesCount: number;
  error: SyncError;
};

/** What the job exported for one Entra object. */
export type ExportedObject = {
  sourceType: 'User' | 'Group';
  targetId: string;
  /** The source's display name (or UPN) when last exported, for logs after it is gone from Entra. */
  displayName: string;
  /** Groups: target user ids the job added as members. */
  members?: Set<string>;
};

/** One line of the provisioning logs (Graph's provisioningObjectSummary, flattened). */
export type ProvisioningLogEntry = {
  id: string;
  jobId: string;
  servicePrincipalId: string;
  cycleId: string;
  changeId: string;
  activityDateTime: Date;
  action: 'Create' | 'Update' | 'Delete' | 'Disable' | 'Other';
  status: 'success' | 'skipped' | 'failure';
  sourceType: 'User' | 'Group';
  sourceId: string;
  sourceDisplayName: string;
  targetId: string | null;
  errorCode: string | null;
  reason: string | null;
  modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  onDemand: boolean;
};

export type SyncJob = {
  id: string;
  templateId: string;
  servicePrincipalId: string;
  scheduleState: 'Active' | 'Disabled';
  /** Virtual time (ms) of the next cycle when the schedule is active. */
  nextRunAt: number | null;
  countSuccessiveCompleteFailures: number;
  lastExecution: TaskExecution | null;
  lastSuccessfulExecution: TaskExecution | null;
  lastSuccessfulExecutionWithExports: TaskExecution | null;
  quarantine: Quarantine | null;
  steadyStateFirstAchievedTime: Date | null;
  steadyStateLastAchievedTime: Date | null;
  /** Entra object id to what the job exported for it. */
  exported: Map<string, ExportedObject>;
  /** Object-level errors of the last cycle, by source object id. */
  escrows: Map<string, SyncError>;
  /** Skips already logged (source id + reason), so incremental cycles do not repeat them. */
  loggedSkips: Set<string>;
  schema: SynchronizationSchema;
  /** Virtual times (ms) of recent provisionOnDemand calls, for the 5-per-10-seconds limit. */
  onDemandCalls: number[];
};

export type SyncState = {
  secrets: Map<string, Map<string, string>>;
  jobs: Map<string, Map<string, SyncJob>>;
  log: ProvisioningLogEntry[];
};

/** The provisioning log keeps the newest entries up to this many. */
export const MAX_LOG_ENTRIES = 20_000;

const states = new WeakMap<EntraState, SyncState>();

/** The provisioning state of the world's tenant (created on first use). */
export function syncStateOf(world: World): SyncState {
  const entra = world.entra;
  if (!entra) throw new Error('sandbox: no Entra tenant in this world');
  let state = states.get(entra);
  if (!state) {
    state = { secrets: new Map(), jobs: new Map(), log: [] };
    states.set(entra, state);
  }
  return state;
}

/** The jobs of one service principal (created empty on first use). */
export function jobsOf(world: World, servicePrincipalId: string): Map<string, SyncJob> {
  const state = syncStateOf(world);
  let jobs = state.jobs.get(servicePrincipalId);
  if (!jobs) {
    jobs = new Map();
    state.jobs.set(servicePrincipalId, jobs);
  }
  return jobs;
}

/** The saved provisioning secrets (BaseAddress, SecretToken, SyncAll, ...) of a service principal. */
export function secretsOf(world: World, servicePrincipalId: string): Map<string, string> {
  const state = syncStateOf(world);
  let secrets = state.secrets.get(servicePrincipalId);
  if (!secrets) {
    secrets = new Map();
    state.secrets.set(servicePrincipalId, secrets);
  }
  return secrets;
}

/** Appends log entries, dropping the oldest beyond the cap. */
export function appendLog(world: World, entries: ProvisioningLogEntry[]): void {
  const log = syncStateOf(world).log;
  log.push(...entries);
  if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
}
