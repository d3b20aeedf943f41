/**
 * Waiting for Entra's provisioning (identity source `scim`): the groups apply made in Entra and assigned to the AWS IAM
 * Identity Center app reach the Identity Store on the provisioning job's next cycle (about every 40 minutes). One
 * watcher polls the Identity Store for every waiting group at once, with a growing interval, progress lines and one
 * deadline; a group has arrived when an Identity Store group carries its Entra object id as externalId, which is how
 * the gallery app's mapping (objectId -> externalId, displayName -> displayName) writes it. When the deadline
 * passes, every group still missing fails with what to check.
 *
 * Sources: the group attribute mappings (displayName, objectId -> externalId, members) in Microsoft's "Configure AWS
 * IAM Identity Center for automatic user provisioning"
 * (https://learn.microsoft.com/entra/identity/saas-apps/aws-single-sign-on-provisioning-tutorial); the cycle interval
 * ("incremental cycles ... about every 40 minutes") in "How Application Provisioning works in Microsoft Entra ID"
 * (https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works); Identity Store ListGroups
 * returns each group's ExternalIds (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_Group.html).
 */
import { provisioningBlocker } from '../core/reconcile/identity-source.js';
import type { SyncJob } from '../entra/ports.js';
import type { IdentityStoreReader, StoreGroup } from '../ports/identity-store.js';
import type { ApplyPorts } from './ports.js';
import type { LiveContext } from './read-live.js';

/** How long `apply` waits for its groups by default: one provisioning cycle (about 40 minutes) and a margin. */
export const DEFAULT_SCIM_WAIT_MS = 45 * 60_000;

/** Waits for one group; resolves with its Identity Store group id. `waitMs`: the longest the run waits. */
export type GroupArrivals = { waitMs: number; waitFor(group: string, entraGroupId: string): Promise<string> };

/** How long and how often the watcher looks, and where it reports. */
export type ArrivalOptions = {
  /** The longest the run waits for its groups, from the first wait (`apply --wait`). */
  waitMs: number;
  /** Progress lines (stderr). */
  note(line: string): void;
  /** What to check when groups do not arrive (reads the provisioning job); one line. */
  diagnose?(): Promise<string>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Aborted (Ctrl-C): the waits end at once, as interrupted. */
  signal?: AbortSignal;
  /** The first pause between reads (default 2 s); it doubles up to `maxPollMs` (default 30 s). */
  firstPollMs?: number;
  maxPollMs?: number;
};

/** A group that did not reach the Identity Store in time (the executor names it and cancels its assignments). */
export class GroupNotProvisioned extends Error {
  override name = 'GroupNotProvisioned';
}

const lower = (s: string) => s.toLowerCase();

/** A duration for people: 45m, 1h30m, 20s. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${rest && !h ? `${rest}s` : ''}`;
}

type Waiter = { group: string; entraGroupId: string; resolve(id: string): void; reject(e: Error): void };

/** The watcher over the Identity Store's group list. */
export function watchGroupArrivals(
  store: Pick<IdentityStoreReader, 'listGroups'>,
  options: ArrivalOptions,
): GroupArrivals {
  const now = options.now ?? Date.now;
  const signal = options.signal;
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((r) => {
        const stop = () => {
          clearTimeout(timer);
          r();
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', stop);
          r();
        }, ms);
        signal?.addEventListener('abort', stop, { once: true });
      }));
  const interrupted = () => {
    for (const w of waiting.values())
      w.reject(new Error(`interrupted while waiting for group ${w.group} to reach the Identity Store`));
    waiting.clear();
  };
  const waiting = new Map<string, Waiter>();
  let started: number | null = null;

  const arrived = (groups: StoreGroup[]) => {
    for (const [key, w] of waiting) {
      const hit = groups.find((g) => g.externalIds.includes(w.entraGroupId));
      if (!hit) continue;
      waiting.delete(key);
      options.note(`  group ${w.group} reached the Identity Store after ${formatDuration(now() - started!)}`);
      w.resolve(hit.groupId);
    }
  };

  const giveUp = async (groups: StoreGroup[]) => {
    const missing = [...waiting.values()];
    waiting.clear();
    const check = options.diagnose ? await options.diagnose().catch((e) => `(${(e as Error).message})`) : '';
    for (const w of missing) {
      const namesake = groups.find((g) => lower(g.displayName) === lower(w.group));
      const mapping = namesake
        ? ` A group named ${w.group} is in the Identity Store without this Entra group's object id as externalId: check the provisioning attribute mappings (objectId -> externalId).`
        : '';
      w.reject(
        new GroupNotProvisioned(
          `group ${w.group} (Entra ${w.entraGroupId}) did not reach the Identity Store within ${formatDuration(options.waitMs)}; its account assignments were not made.${mapping} ${check}`.trim(),
        ),
      );
    }
  };

  // One poller at a time. It clears `polling` in the same step that finds nothing waiting (a `finally` around the
  // loop, with no await in between), so a wait that comes later always starts a new poller.
  let polling = false;
  const poll = async () => {
    let pause = options.firstPollMs ?? 2000;
    const deadline = started! + options.waitMs;
    try {
      while (waiting.size > 0) {
        let groups: StoreGroup[];
        try {
          groups = await store.listGroups();
        } catch (error) {
          for (const w of waiting.values()) w.reject(error as Error);
          waiting.clear();
          continue;
        }
        arrived(groups);
        if (waiting.size === 0) break;
        if (now() >= deadline) {
          await giveUp(groups);
          continue;
        }
        const names = [...waiting.values()].map((w) => w.group);
        options.note(
          `  waiting for ${names.length} group(s) to reach the Identity Store through Entra's provisioning (${formatDuration(now() - started!)} of ${formatDuration(options.waitMs)}): ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`,
        );
        await sleep(Math.max(0, Math.min(pause, deadline - now())));
        pause = Math.min(pause * 2, options.maxPollMs ?? 30_000);
        if (signal?.aborted) interrupted();
      }
    } finally {
      polling = false;
    }
  };
  const start = () => {
    if (polling) return;
    polling = true;
    void poll();
  };

  return {
    waitMs: options.waitMs,
    waitFor(group, entraGroupId) {
      return new Promise<string>((resolve, reject) => {
        waiting.set(lower(group), { group, entraGroupId, resolve, reject });
        started ??= now();
        start();
      });
    },
  };
}

/**
 * What to check when groups do not arrive, from the app's provisioning jobs (or the error reading them): whether
 * provisioning is set up, running, in quarantine or failing, and its scope. Pure.
 */
export function provisioningAdvice(jobs: SyncJob[] | Error): string {
  const scope =
    'Check the provisioning logs for these groups and the scope (Entra admin center > Enterprise apps > AWS IAM Identity Center > Provisioning: "Sync only assigned users and groups" provisions them, since apply assigned them; a scoping filter on groups can leave them out).';
  if (jobs instanceof Error)
    return `The provisioning job could not be read (${jobs.message}): grant Synchronization.Read.All to see its status. ${scope}`;
  const blocked = provisioningBlocker(jobs);
  if (blocked) return `${blocked[0].toUpperCase()}${blocked.slice(1)}. ${scope}`;
  const job = jobs[0];
  if ((job.lastExecutionState ?? '').toLowerCase() === 'failed')
    return `Provisioning job ${job.id} runs, but its last cycle failed (a 401 means the SCIM token expired). ${scope}`;
  return `Provisioning job ${job.id} runs (last cycle: ${job.lastExecutionState ?? 'none yet'}); Entra provisions assigned groups on its next cycle, about every 40 minutes: run apply again later (it makes only what is missing), or wait longer with --wait. ${scope}`;
}

/** The watcher of an apply run: the Identity Store read through apply's port, the advice from the app's job. */
export function applyArrivals(
  ports: ApplyPorts,
  live: LiveContext,
  options: Pick<ArrivalOptions, 'waitMs' | 'note' | 'signal'>,
): GroupArrivals {
  const app = live.app;
  return watchGroupArrivals(ports.identityStore, {
    ...options,
    diagnose: async () =>
      app
        ? provisioningAdvice(await ports.entra.provisioningJobs(app.servicePrincipalId).catch((e: Error) => e))
        : `${provisioningBlocker(null)}.`,
  });
}
