/** `iam2sso sync`: keeps the Identity Store in step with Entra's users and groups in scope (flags; work in sync-run.ts). */
import type { Command } from 'commander';
import type { AwsOptions } from '../aws/clients.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';
import { parseIntFlag } from './parse.js';

/** The flags of `iam2sso sync`. */
export type SyncFlags = AwsOptions & {
  state: string;
  config?: string;
  plan?: string;
  groups?: string[];
  groupFilter?: string;
  leavers?: 'deactivate' | 'delete';
  dryRun: boolean;
  full: boolean;
  /** Delete or deactivate more than the mass-change threshold. */
  allowMassDelete?: boolean;
  watch?: number;
  rate: number;
  concurrency: number;
  endpointUrl?: string;
  json: boolean;
  progress: boolean;
};

/** `30s`, `5m`, `1h` to milliseconds. */
export function parseInterval(value: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new UsageError(`--watch takes an interval such as 30s, 5m or 1h, not "${value}"`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

function parseNames(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--groups takes group names separated by commas');
  return names;
}

function parseLeavers(value: string): 'deactivate' | 'delete' {
  if (value !== 'deactivate' && value !== 'delete')
    throw new UsageError(`--leavers takes deactivate or delete, not "${value}"`);
  return value;
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--rate takes requests per second (0: no limit), not "${value}"`);
  return n;
}

export function registerSync(program: Command, io: Io): void {
  program
    .command('sync')
    .description("sync Entra's users and groups in scope into the Identity Store (an alternative to SCIM provisioning)")
    .option('--plan <file>', 'scope: the groups this plan names (default: migration-plan.yaml if present)')
    .option('--groups <names>', 'scope: these Entra groups (comma-separated)', parseNames)
    .option('--group-filter <prefix>', 'scope: every Entra group whose name starts with this (e.g. AWS-)')
    .option('--leavers <action>', 'disabled, deleted or out-of-scope users: deactivate or delete', parseLeavers)
    .option('--dry-run', 'show what would change; write nothing, save nothing', false)
    .option('--full', 'ignore the stored delta links: read Entra and the Identity Store again', false)
    .option(
      '--allow-mass-delete',
      'delete or deactivate more than 10% (at least 5) of the synced users or groups in one run',
      false,
    )
    .option('--watch <interval>', 'sync again every interval (30s, 5m, 1h) until interrupted', parseInterval)
    .option(
      '--rate <rps>',
      'Identity Store requests per second (Identity Center allows about 20; 0: no limit)',
      parseRate,
      20,
    )
    .option('--concurrency <n>', 'Identity Store calls in flight', parseIntFlag('--concurrency', 1, 64), 8)
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--config <path>', 'settings file (default: iam2sso.yaml if present)')
    .option('--endpoint-url <url>', 'AWS endpoint for every service (AWS_ENDPOINT_URL also works)')
    .option('--no-progress', 'no progress output on stderr')
    .option('--json', 'print the counts and conflicts as JSON', false)
    .action(async (flags: SyncFlags) => {
      if ([flags.plan, flags.groups, flags.groupFilter].filter((f) => f !== undefined).length > 1)
        throw new UsageError('give one scope: --plan, --groups or --group-filter');
      await (await import('./sync-run.js')).runSyncCommand(flags, io);
    });
}
