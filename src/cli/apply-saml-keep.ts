/**
 * The part of `apply` (and of `rollback`) for the accounts a plan keeps outside Identity Center: the ports over IAM of
 * each account (the organization role reaches member accounts) and Graph, the changes from the live read, and the
 * performer (under --dry-run, one that records what it would write and calls nothing).
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { computeSamlKeepChanges, type SamlKeepPorts, samlKeepPerformer } from '../apply/saml-keep.js';
import { type AwsSettings, createBaseClients, destroyClients } from '../aws/clients.js';
import { samlKeepIam } from '../aws/iam-saml-keep.js';
import type { PlannedOutsideAccount } from '../core/plan-types.js';
import type { OriginOf } from '../core/reconcile/adopt.js';
import { describeChange } from '../core/reconcile/changes.js';
import { createEntraAdapter, type EntraAdapter } from '../entra/adapter.js';
import type { EntraConfig } from '../entra/settings.js';
import { resolveEntraSettings } from '../entra/settings.js';
import type { Performer } from '../reconcile/executor.js';
import type { StateDb } from '../store/db.js';
import { listOwned, stateOwnership } from '../store/ownership-repo.js';
import { accountIam } from '../verify/account-iam.js';

/** The ports and how to close them. */
export type SamlKeepRuntime = { ports: SamlKeepPorts; close(): void };

/** Builds the ports; `entra` is the run's adapter when it has one (else one is made from the settings). */
export function createSamlKeepRuntime(
  settings: AwsSettings,
  assumeRole: string,
  entraConfig: EntraConfig | undefined,
  entra: EntraAdapter | null,
): SamlKeepRuntime {
  const adapter =
    entra ??
    createEntraAdapter({
      settings: resolveEntraSettings(
        entraConfig,
        process.env,
        {},
        {
          why: 'the plan keeps accounts outside Identity Center with direct SAML federation from Entra',
        },
      ),
      env: process.env,
    });
  const reach = accountIam(settings, assumeRole);
  const base = createBaseClients(settings);
  let partition: Promise<string> | undefined;
  return {
    ports: {
      iam: async (accountId) => samlKeepIam(await reach.iamFor(accountId)),
      partition() {
        partition ??= base.sts.send(new GetCallerIdentityCommand({})).then((me) => me.Arn?.split(':')[1] ?? 'aws');
        return partition;
      },
      graph: adapter.graph,
      apps: adapter.apps,
      appWriter: adapter.appWriter,
    },
    close() {
      reach.close();
      destroyClients(base);
    },
  };
}

/** What the run adds for the accounts outside Identity Center, and the runtime to close when it ends. */
export type SamlKeepPart = Awaited<ReturnType<typeof computeSamlKeepChanges>> & {
  performer: Performer;
  runtime: SamlKeepRuntime;
};

/** What the tool owns, as the diff asks it: the origin of an object, and the ARNs of the roles it made. */
function ownedFrom(db: StateDb | null): { origin: OriginOf; createdRoles: string[] } {
  const owned = db ? stateOwnership(db) : null;
  const created = db ? listOwned(db, 'saml-role').filter((o) => o.origin === 'created' && o.objectId) : [];
  return { origin: (ref) => owned?.originOf(ref) ?? null, createdRoles: created.map((o) => o.objectId as string) };
}

/**
 * For `apply`: reads the planned accounts and returns their changes, refusals and performer (under --dry-run, with
 * `writes`, one that records what it would write); null when the plan keeps no account outside Identity Center.
 */
export async function samlKeepForApply(
  entries: PlannedOutsideAccount[],
  run: {
    settings: AwsSettings;
    assumeRole: string;
    entraConfig: EntraConfig | undefined;
    entra: EntraAdapter | null;
    db: StateDb;
    writes: string[] | null;
  },
): Promise<SamlKeepPart | null> {
  if (entries.length === 0) return null;
  const runtime = createSamlKeepRuntime(run.settings, run.assumeRole, run.entraConfig, run.entra);
  try {
    const owned = ownedFrom(run.db);
    const computed = await computeSamlKeepChanges(runtime.ports, entries, owned.origin, owned.createdRoles);
    const performer = run.writes ? dryRunPerformer(run.writes) : samlKeepPerformer(runtime.ports);
    return { ...computed, performer, runtime };
  } catch (error) {
    runtime.close();
    throw error;
  }
}

/**
 * The changes pending for the accounts a plan keeps outside Identity Center (none when it keeps none), for
 * `plan --detailed-exitcode`; `db` (null: no state yet) tells what the tool owns.
 */
export async function pendingSamlKeep(
  entries: PlannedOutsideAccount[],
  settings: AwsSettings,
  entraConfig: EntraConfig | undefined,
  entra: EntraAdapter | null,
  db: StateDb | null,
  assumeRole = 'OrganizationAccountAccessRole',
): Promise<Pick<SamlKeepPart, 'changes' | 'skipped'>> {
  if (entries.length === 0) return { changes: [], skipped: [] };
  const runtime = createSamlKeepRuntime(settings, assumeRole, entraConfig, entra);
  try {
    const owned = ownedFrom(db);
    return await computeSamlKeepChanges(runtime.ports, entries, owned.origin, owned.createdRoles);
  } finally {
    runtime.close();
  }
}

/** Under --dry-run: each change becomes a line of what would be written. */
export function dryRunPerformer(writes: string[]): Performer {
  return {
    resolve: () => ({}),
    async perform(c) {
      writes.push(describeChange(c));
      return undefined;
    },
    limit: (_c, fn) => fn(),
    concurrency: () => 1,
  };
}
