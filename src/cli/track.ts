/** `iam2sso track`: who has moved to SSO and who still uses a password or keys, from CloudTrail (work in track-run.ts). */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { DEFAULT_STATE_PATH } from '../store/paths.js';
import type { Io } from './io.js';
import { parseIntFlag } from './parse.js';

/** Where the CloudTrail records come from. */
export type TrackSource = 'lookup-events' | 'dir' | 's3' | 'athena';

/** The flags of `iam2sso track`. */
export type TrackFlags = {
  since: string;
  source?: TrackSource;
  dir?: string;
  s3?: string;
  athena: boolean;
  database?: string;
  workgroup: string;
  output?: string;
  table: string;
  regions?: string[];
  plan?: string;
  state: string;
  assumeRole: string;
  accounts?: string[];
  concurrency: number;
  endpointUrl?: string;
  json: boolean;
  format: 'table' | 'csv';
  progress: boolean;
};

/** `90d` or a date (YYYY-MM-DD) to the start of the window. */
export function parseSince(value: string, now: Date): Date {
  const days = /^(\d+)d$/.exec(value.trim());
  if (days && Number(days[1]) > 0) return new Date(now.getTime() - Number(days[1]) * 86_400_000);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && Number.isFinite(Date.parse(`${value}T00:00:00Z`))) {
    const at = new Date(`${value}T00:00:00Z`);
    if (at < now) return at;
  }
  throw new UsageError(`--since takes a number of days (e.g. 90d) or a past date (YYYY-MM-DD), not "${value}"`);
}

const list = (flag: string, pattern: RegExp) => (value: string) => {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((i) => !pattern.test(i));
  if (items.length === 0 || bad.length) throw new UsageError(`${flag}: "${bad.join(',') || value}" is not valid`);
  return items;
};

function parseFormat(value: string): 'table' | 'csv' {
  if (value !== 'table' && value !== 'csv') throw new UsageError(`--format takes table or csv, not "${value}"`);
  return value;
}

function parseSource(value: string): TrackSource {
  if (!['lookup-events', 'dir', 's3', 'athena'].includes(value))
    throw new UsageError(`--source takes lookup-events, dir, s3 or athena, not "${value}"`);
  return value as TrackSource;
}

export function registerTrack(program: Command, io: Io): void {
  program
    .command('track')
    .description(
      'from CloudTrail: who has moved to SSO, who still uses the old password or keys (per person and IAM user)',
    )
    .option('--since <window>', 'how far back: days (90d) or a date (YYYY-MM-DD)', '90d')
    .option(
      '--source <source>',
      'lookup-events (default), dir, s3 or athena (implied by --dir, --s3, --athena)',
      parseSource,
    )
    .option(
      '--dir <path>',
      'CloudTrail log files: AWSLogs/... as delivered or synced, JSON arrays or NDJSON, gzipped or not',
    )
    .option('--s3 <url>', "the trail's bucket and prefix, s3://bucket/prefix (only the days in the window are read)")
    .option('--athena', 'run the queries in Amazon Athena over the organization trail (--database, --output)', false)
    .option('--database <name>', 'Athena database')
    .option('--workgroup <name>', 'Athena workgroup', 'primary')
    .option('--output <url>', 'Athena query results location, s3://bucket/prefix/')
    .option(
      '--table <name>',
      'Athena table over the organization trail (created once if missing)',
      'iam2sso_cloudtrail',
    )
    .option(
      '--regions <list>',
      'regions to ask LookupEvents (default: the configured region)',
      list('--regions', /^[a-z]{2}(-[a-z]+)+-\d$/),
    )
    .option('--plan <file>', 'identity mapping: the plan (default: migration-plan.yaml; else the latest audit)')
    .option('--state <path>', 'state database', DEFAULT_STATE_PATH)
    .option('--assume-role <name>', 'role to assume in member accounts (LookupEvents)', 'OrganizationAccountAccessRole')
    .option('--accounts <ids>', 'only these account ids (comma-separated)', list('--accounts', /^\d{12}$/))
    .option('--concurrency <n>', 'accounts read at once (LookupEvents)', parseIntFlag('--concurrency', 1, 64), 8)
    .option('--endpoint-url <url>', 'AWS endpoint for every service (AWS_ENDPOINT_URL also works)')
    .option('--format <format>', 'table or csv', parseFormat, 'table')
    .option('--no-progress', 'no progress output on stderr')
    .option('--json', 'print the result as JSON', false)
    .action(async (flags: TrackFlags) => (await import('./track-run.js')).runTrack(flags, io));
}
