/**
 * Wires apply's ports for a command run and computes the change set, in one place that `apply` and
 * `plan --detailed-exitcode` (and later `sync`) share: the SSO Admin and Identity Store adapters paced by one
 * token bucket (Identity Center's ~20 requests per second shared by both APIs), and the Entra port.
 */
import type { AwsSettings } from '../aws/clients.js';
import { createSsoAdminClient, identityCenterAdapter } from '../aws/identity-center.js';
import { createIdentityStoreClient, identityStoreAdapter } from '../aws/identity-store.js';
import { type AdoptionProblem, checkAdoptions, withAdoptions } from '../core/reconcile/adopt.js';
import { applyChanges } from '../core/reconcile/apply-changes.js';
import { type ApplyDiff, diffApply, resolveMembers } from '../core/reconcile/apply-diff.js';
import type { Change } from '../core/reconcile/changes.js';
import { type DesiredState, desiredStateFromPlan, type PlanForApply } from '../core/reconcile/desired.js';
import {
  DEFAULT_IDENTITY_SOURCE,
  entraWritten,
  provisioningBlocker,
  scimWaits,
  scopeToIdentitySource,
  withProvisionedGroups,
} from '../core/reconcile/identity-source.js';
import { holdDeletesWhileRefused, refuseUnowned } from '../core/reconcile/refuse-unowned.js';
import type { EntraAdapter } from '../entra/adapter.js';
import { TokenBucket } from '../reconcile/limits.js';
import { absentEntraPort, entraPort } from './entra-port.js';
import type { ApplyPorts } from './ports.js';
import { type LiveContext, type OwnershipLookup, readLiveState } from './read-live.js';

/** Identity Center's shared request rate (requests per second) across SSO Admin and Identity Store. */
export const IDENTITY_CENTER_RPS = 20;

/** The rate from IAM2SSO_IDENTITY_CENTER_RPS (for instances whose quota is raised, or a sandbox), else 20. */
export function rateFromEnv(env: NodeJS.ProcessEnv): number {
  const n = Number(env.IAM2SSO_IDENTITY_CENTER_RPS);
  return Number.isFinite(n) && n > 0 ? n : IDENTITY_CENTER_RPS;
}

/** The ports over real clients, and how to close them. */
export type ApplyRuntime = { ports: ApplyPorts; close(): void };

/**
 * Builds the ports: AWS adapters paced by one shared bucket, the Entra port over the adapter (null when the plan's
 * identity source is `external`: Entra is then neither read nor written).
 */
export function createApplyRuntime(
  settings: AwsSettings,
  entra: EntraAdapter | null,
  rps = IDENTITY_CENTER_RPS,
): ApplyRuntime {
  const bucket = new TokenBucket(rps);
  const pace = () => bucket.take();
  const sso = createSsoAdminClient(settings, pace);
  const identityCenter = identityCenterAdapter(sso);
  const storeClient = createIdentityStoreClient(settings, pace);
  const identityStore = identityStoreAdapter(
    storeClient,
    async () => (await identityCenter.instance()).identityStoreId,
  );
  return {
    ports: { identityCenter, identityStore, entra: entra ? entraPort(entra) : absentEntraPort() },
    close() {
      sso.destroy();
      storeClient.destroy();
    },
  };
}

/** scim: why provisioning cannot bring groups now (no app, no job, paused, in quarantine), or null. */
async function provisioningState(ports: ApplyPorts, live: LiveContext): Promise<string | null> {
  if (!live.app) return provisioningBlocker(null);
  // Unreadable (e.g. no Synchronization.Read.All): apply waits, and says what to check if the groups do not come.
  return provisioningBlocker(
    await ports.entra.provisioningJobs(live.app.servicePrincipalId).catch(() => 'unknown' as const),
  );
}

/**
 * The target, the live state, the diff and its typed changes for a plan; `adoptionProblems` are the plan's
 * `adopt:` entries the live state refutes (at their path in the plan file: nothing may run while there are any).
 */
export type ComputedChanges = {
  desired: DesiredState;
  live: LiveContext;
  diff: ApplyDiff;
  changes: Change[];
  adoptionProblems: AdoptionProblem[];
};

/**
 * Reads the live state and diffs it against the plan's target state: planned objects whose name an unowned object
 * holds are refused (in `diff.skipped`, with what to do) and the rest goes on.
 */
export async function computeChanges(
  plan: PlanForApply,
  ports: ApplyPorts,
  concurrency: number,
  owned: OwnershipLookup,
): Promise<ComputedChanges> {
  const source = plan.identitySource ?? DEFAULT_IDENTITY_SOURCE;
  const planned = desiredStateFromPlan(plan);
  // Another feed fills the directory: its groups are neither read in Entra nor created, only assigned.
  const target = entraWritten(source) ? planned : { ...planned, groups: [] };
  // The plan's adoptions count as owned in the read, so the diff shows what apply makes the adopted objects become.
  const live = await readLiveState(ports, target, concurrency, withAdoptions(owned, plan.adopt ?? []));
  const adoptions = checkAdoptions(plan.adopt ?? [], live.inventory, (ref) => owned.originOf(ref));
  const members = entraWritten(source) ? resolveMembers(target, live.people) : target;
  const { desired, refused } = refuseUnowned(members, withProvisionedGroups(source, live.state));
  const inStore = new Set(live.storeGroupIds.keys());
  const diff = scopeToIdentitySource(
    diffApply(desired, live.state),
    source,
    entraWritten(source) ? desired.groups : planned.groups,
    inStore,
    source === 'scim' ? await provisioningState(ports, live) : null,
  );
  const { changes, held } = holdDeletesWhileRefused(applyChanges(diff, live.state.assignments), refused);
  diff.skipped.push(...refused, ...held);
  return {
    desired,
    live,
    diff,
    changes: [...adoptions.changes, ...changes, ...scimWaits(source, changes, inStore)],
    adoptionProblems: adoptions.problems,
  };
}
