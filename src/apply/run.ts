/**
 * Wires apply's ports for a command run and computes the change set, in one place that `apply` and
 * `plan --detailed-exitcode` (and later `sync`) share: the SSO Admin and Identity Store adapters paced by one
 * token bucket (Identity Center's ~20 requests per second shared by both APIs), and the Entra port.
 */
import type { AwsSettings } from '../aws/clients.js';
import { createSsoAdminClient, identityCenterAdapter } from '../aws/identity-center.js';
import { createIdentityStoreClient, identityStoreAdapter } from '../aws/identity-store.js';
import { type ApplyDiff, diffApply, resolveMembers } from '../core/reconcile/apply-diff.js';
import { type DesiredState, desiredStateFromPlan, type PlanForApply } from '../core/reconcile/desired.js';
import type { EntraAdapter } from '../entra/adapter.js';
import { entraPort } from './entra-port.js';
import { TokenBucket } from './limits.js';
import type { ApplyPorts } from './ports.js';
import { type LiveContext, readLiveState } from './read-live.js';

/** Identity Center's shared request rate (requests per second) across SSO Admin and Identity Store. */
export const IDENTITY_CENTER_RPS = 20;

/** The rate from IAM2SSO_IDENTITY_CENTER_RPS (for instances whose quota is raised, or a sandbox), else 20. */
export function rateFromEnv(env: NodeJS.ProcessEnv): number {
  const n = Number(env.IAM2SSO_IDENTITY_CENTER_RPS);
  return Number.isFinite(n) && n > 0 ? n : IDENTITY_CENTER_RPS;
}

/** The ports over real clients, and how to close them. */
export type ApplyRuntime = { ports: ApplyPorts; close(): void };

/** Builds the ports: AWS adapters paced by one shared bucket, the Entra port over the adapter. */
export function createApplyRuntime(
  settings: AwsSettings,
  entra: EntraAdapter,
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
    ports: { identityCenter, identityStore, entra: entraPort(entra) },
    close() {
      sso.destroy();
      storeClient.destroy();
    },
  };
}

/** The target, the live state and the change set for a plan. */
export type ComputedChanges = { desired: DesiredState; live: LiveContext; diff: ApplyDiff };

/** Reads the live state and diffs it against the plan's target state. */
export async function computeChanges(
  plan: PlanForApply,
  ports: ApplyPorts,
  concurrency: number,
): Promise<ComputedChanges> {
  const planned = desiredStateFromPlan(plan);
  const live = await readLiveState(ports, planned, concurrency);
  const desired = resolveMembers(planned, live.people);
  return { desired, live, diff: diffApply(desired, live.state) };
}
