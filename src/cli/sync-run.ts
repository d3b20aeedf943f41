/** The work of `iam2sso sync` (loaded when the command runs): wires Entra and the Identity Store to the engine. */
import { existsSync } from 'node:fs';
import { ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { type AwsSettings, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { createSsoAdminClient } from '../aws/identity-center.js';
import { createIdentityStoreClient, identityStoreAdapter } from '../aws/identity-store.js';
import { loadConfig } from '../config/config.js';
import type { SyncScope } from '../core/sync/types.js';
import { createEntraAdapter } from '../entra/adapter.js';
import { entraCloudError } from '../entra/graph-errors.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { CloudError, ValidationFailed } from '../errors.js';
import { readPlanFile } from '../plan-file/read.js';
import { TokenBucket } from '../reconcile/limits.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import { openStateDb } from '../store/db.js';
import { dryRunStore } from '../sync/dry-run.js';
import { runSync, type SyncRunResult } from '../sync/engine.js';
import { type Io, printJson } from './io.js';
import { DEFAULT_PLAN_FILE } from './plan.js';
import type { SyncFlags } from './sync.js';
import { printSyncPlan, printSyncResult } from './sync-output.js';
import { refuseForeignIdentitySource } from './sync-source.js';

/** What a caller embedding the command (the demo) may supply instead of the process environment. */
export type SyncContext = {
  env?: NodeJS.ProcessEnv;
  /** Extra CAs to trust for Entra (PEM), e.g. the sandbox's self-signed certificate. */
  extraCaPem?: string[];
  aws?: Partial<AwsSettings>;
};

/** The scope the flags ask for: the plan's groups, named groups, or a prefix. */
export function scopeFromFlags(
  flags: Pick<SyncFlags, 'plan' | 'groups' | 'groupFilter'>,
  cwd = process.cwd(),
): SyncScope {
  if (flags.groups) return { kind: 'names', names: flags.groups };
  if (flags.groupFilter !== undefined) return { kind: 'prefix', prefix: flags.groupFilter };
  const file = flags.plan ?? (existsSync(`${cwd}/${DEFAULT_PLAN_FILE}`) ? `${cwd}/${DEFAULT_PLAN_FILE}` : null);
  if (!file) return { kind: 'prefix', prefix: 'AWS-' };
  if (!existsSync(file)) throw new ValidationFailed([{ file, message: 'no such file' }]);
  const read = readPlanFile(file, { quota: 20, strict: false });
  if (!read.plan) throw new ValidationFailed(read.problems);
  return { kind: 'names', names: read.plan.groups.map((g) => g.name) };
}

function describeScope(scope: SyncScope): string {
  return scope.kind === 'names'
    ? `${scope.names.length} group(s) named by the plan or --groups`
    : `groups named ${scope.prefix}*`;
}

/** Runs `iam2sso sync` once, or every interval with --watch; returns the last result. */
export async function runSyncCommand(flags: SyncFlags, io: Io, context: SyncContext = {}): Promise<SyncRunResult> {
  const env = context.env ?? process.env;
  const { config } = loadConfig(flags.config);
  refuseForeignIdentitySource(flags);
  const scope = scopeFromFlags(flags);
  const settings = await resolveAwsSettings(
    flags,
    { identityCenter: true, env, note: (line) => io.err(line) },
    context.aws,
  );
  const bucket = flags.rate > 0 ? new TokenBucket(flags.rate) : null;
  const pace = bucket ? () => bucket.take() : async () => undefined;
  const sso = createSsoAdminClient(settings, pace);
  const client = createIdentityStoreClient(settings, pace);
  const entraSettings = resolveEntraSettings(config.entra, env);
  const entra = createEntraAdapter({ settings: entraSettings, env, extraCaPem: context.extraCaPem });
  const db = await openStateDb(flags.state);
  const say = (line: string) => {
    if (flags.progress) io.err(line);
  };
  try {
    const instance = await sso.send(new ListInstancesCommand({})).catch((e) => {
      throw toCloudError(e, 'sso');
    });
    const storeId = instance.Instances?.[0]?.IdentityStoreId;
    if (!storeId)
      throw new CloudError(
        'sso',
        'NoInstance',
        'no IAM Identity Center instance found',
        undefined,
        'enable Identity Center first',
      );
    const store = identityStoreAdapter(client, storeId);
    say(`Syncing ${describeScope(scope)} from Entra tenant ${entraSettings.tenantId} into identity store ${storeId}`);
    let result: SyncRunResult;
    for (let run = 1; ; run++) {
      const started = Date.now();
      // Ctrl-C while writing: what is in flight finishes, nothing new starts, the next run resumes.
      const interrupt = new AbortController();
      const onSigint = () => interrupt.abort();
      process.on('SIGINT', onSigint);
      // One writer at a time on the state database; held for this round only (not while --watch sleeps).
      const runId = `sync-${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
      const lock = flags.dryRun ? null : holdWriterLock(db, runId, { command: 'sync', note: (line) => io.err(line) });
      result = await runSync(
        {
          profile: `${entraSettings.tenantId}/${storeId}`,
          scope,
          leavers: flags.leavers ?? 'deactivate',
          full: flags.full && run === 1,
          dryRun: flags.dryRun,
          allowMassDelete: flags.allowMassDelete,
          signal: interrupt.signal,
          concurrency: flags.concurrency,
          now: () => new Date(),
          runId,
        },
        {
          directory: entra.reader,
          store: flags.dryRun ? dryRunStore(store, say) : store,
          db,
          log: say,
          onPlan: (diff, mode) => printSyncPlan(io, diff, mode, flags.progress || flags.dryRun),
          onWrite: (done, total) => {
            if (flags.progress && (done % 500 === 0 || done === total)) io.err(`  ${done}/${total} writes`);
          },
        },
      )
        .catch((error) => {
          throw entraCloudError(toCloudError(error, 'identitystore'), entraSettings.clientId);
        })
        .finally(() => {
          lock?.release();
          process.off('SIGINT', onSigint);
        });
      if (flags.json) printJson(io, { ...jsonOf(result), state: flags.state });
      else printSyncResult(io, result, flags.state);
      if (!flags.watch) break;
      const wait = Math.max(0, flags.watch - (Date.now() - started));
      say(`next sync in ${Math.round(wait / 1000)} s (Ctrl-C to stop)`);
      if (!(await sleepUnlessInterrupted(wait))) break;
    }
    if (result.failed.length > 0)
      throw new CloudError(
        'identitystore',
        'PartialFailure',
        `${result.failed.length} write(s) failed`,
        undefined,
        'run iam2sso sync again to retry them',
      );
    return result;
  } finally {
    db.close();
    client.destroy();
    sso.destroy();
  }
}

/** The JSON form of a run: counts, conflicts, how identities were matched. */
export function jsonOf(result: SyncRunResult) {
  return {
    mode: result.mode.kind,
    reason: result.mode.reason,
    dryRun: result.dryRun,
    ...result.counts,
    conflicts: result.conflicts,
    matchedBy: result.matchedBy,
    writes: result.writes,
    failed: result.failed,
    refused: result.refused,
    durationMs: result.durationMs,
  };
}

/** Sleeps `ms`; false when SIGINT or SIGTERM came first. */
function sleepUnlessInterrupted(ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(true);
    }, ms);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
