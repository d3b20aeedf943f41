/** The four sources of `iam2sso track`, each giving the same activity rows (wired to their adapters here). */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import {
  createTableSql,
  DEFAULT_TRAIL_REGIONS,
  queryAthena,
  runAthenaQuery,
  tableExists,
} from '../activity/athena-source.js';
import { queryTrailFiles } from '../activity/duckdb-trail.js';
import { readLookupSource } from '../activity/lookup-source.js';
import { downloadTrail, parseS3Url } from '../activity/s3-source.js';
import { findTrailFiles } from '../activity/trail-files.js';
import { discoverAccounts } from '../aws/accounts.js';
import { type AwsSettings, clientConfig, countRequests, createBaseClients, destroyClients } from '../aws/clients.js';
import type { TrackedIamUser } from '../core/track-status.js';
import type { ActivityRow } from '../core/track-types.js';
import { UsageError } from '../errors.js';
import type { TrackCursor } from '../store/track-repo.js';
import type { Io } from './io.js';
import { AccountProgress } from './progress.js';
import type { TrackFlags, TrackSource } from './track.js';

/** What a source read. `mode` says how its timeline is stored: added to (incremental) or replaced. */
export type SourceRead = {
  rows: ActivityRow[];
  events: number;
  calls: number;
  cursors: TrackCursor[];
  mode: 'add' | 'replace';
  skippedFiles: { file: string; problem: string }[];
  skippedRecords: { where: string; problem: string; count: number }[];
  /** With a region: that region of the account was not read; without: none of it. */
  unreachable: { accountId: string; region?: string; error: string }[];
  /** The regions read (LookupEvents is regional); null when the source holds every region (trail files, Athena). */
  regions: string[] | null;
  notes: string[];
};

/** Everything a source needs. */
export type SourceContext = {
  flags: TrackFlags;
  settings: AwsSettings;
  since: Date;
  until: Date;
  cursors: TrackCursor[];
  users: TrackedIamUser[];
  io: Io;
  sleep: (ms: number) => Promise<void>;
};

const LOOKUP_RETENTION_MS = 90 * 86_400_000;

/** The source the flags ask for; a usage error for contradictions. */
export function chooseSource(flags: TrackFlags): TrackSource {
  const implied = [flags.dir && 'dir', flags.s3 && !flags.athena && 's3', flags.athena && 'athena'].filter(
    Boolean,
  ) as TrackSource[];
  if (implied.length > 1) throw new UsageError('give one of --dir, --s3 or --athena');
  const source = flags.source ?? implied[0] ?? 'lookup-events';
  if (implied.length && implied[0] !== source) throw new UsageError(`--source ${source} contradicts the other flags`);
  if (source === 'dir' && !flags.dir) throw new UsageError('--source dir needs --dir PATH');
  if (source === 's3' && !flags.s3) throw new UsageError('--source s3 needs --s3 s3://bucket/prefix');
  if (source === 'athena' && (!flags.database || !flags.output))
    throw new UsageError(
      '--athena needs --database NAME and --output s3://bucket/prefix/ (and --s3 with the trail to create the table)',
    );
  return source;
}

function empty(mode: 'add' | 'replace'): SourceRead {
  return {
    rows: [],
    events: 0,
    calls: 0,
    cursors: [],
    mode,
    skippedFiles: [],
    skippedRecords: [],
    unreachable: [],
    regions: null,
    notes: [],
  };
}

async function fromLookup(ctx: SourceContext): Promise<SourceRead> {
  const out = empty('add');
  const oldest = new Date(ctx.until.getTime() - LOOKUP_RETENTION_MS);
  const since = ctx.since < oldest ? oldest : ctx.since;
  if (since !== ctx.since)
    out.notes.push('LookupEvents keeps 90 days: the window starts 90 days ago (use --dir, --s3 or --athena for more)');
  const userNames = new Map<string, string[]>();
  for (const u of ctx.users) userNames.set(u.accountId, [...(userNames.get(u.accountId) ?? []), u.userName]);
  const progress = new AccountProgress(ctx.io, ctx.flags.progress);
  const regions = ctx.flags.regions ?? [ctx.settings.region];
  const read = await readLookupSource(
    ctx.settings,
    {
      assumeRole: ctx.flags.assumeRole,
      accounts: ctx.flags.accounts,
      regions,
      since,
      until: ctx.until,
      cursors: ctx.cursors,
      userNames,
      concurrency: ctx.flags.concurrency,
      sleep: ctx.sleep,
    },
    {
      accountsFound: (accounts) => progress.start(accounts.length),
      progress: (id, done, total) => progress.update(id, id, 'lookups', done, total),
      accountDone: (id, o) =>
        progress.finish(
          id,
          'error' in o ? `${id}: not read: ${o.error}` : `${id}: ${o.events} new events, ${o.calls} calls`,
        ),
    },
  );
  progress.close();
  return {
    ...out,
    rows: read.rows,
    events: read.events,
    calls: read.calls,
    cursors: read.cursors,
    skippedRecords: read.skipped,
    unreachable: read.unreachable,
    regions,
  };
}

async function fromFiles(ctx: SourceContext, dir: string, mode: 'add' | 'replace'): Promise<SourceRead> {
  const out = empty(mode);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--dir ${dir}: no such directory`);
  const files = findTrailFiles(dir, ctx.since.toISOString().slice(0, 10).replace(/-/g, '/'));
  const mb = files.reduce((n, f) => n + f.bytes, 0) / 1e6;
  if (ctx.flags.progress) ctx.io.err(`reading ${files.length} files (${mb.toFixed(1)} MB) with DuckDB`);
  const r = await queryTrailFiles(files, ctx.since, ctx.until);
  return { ...out, rows: r.rows, events: r.events, skippedFiles: r.skippedFiles, skippedRecords: r.skippedRecords };
}

async function fromS3(ctx: SourceContext): Promise<SourceRead> {
  const at = parseS3Url(ctx.flags.s3 ?? '');
  if (!at) throw new UsageError(`--s3 takes s3://bucket/prefix, not "${ctx.flags.s3}"`);
  const s3 = countRequests(
    new S3Client({ ...clientConfig(ctx.settings), forcePathStyle: Boolean(ctx.settings.endpoint) }),
    's3',
    ctx.settings.counter,
  );
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-track-s3-'));
  try {
    const cursors = new Map(ctx.cursors.map((c) => [`${c.accountId}|${c.region}|${c.scope}`, c]));
    const got = await downloadTrail(s3, at, dir, ctx.since, cursors, (done, total) => {
      if (ctx.flags.progress && (done === total || done % 200 === 0)) ctx.io.err(`downloaded ${done}/${total} objects`);
    });
    const read = await fromFiles({ ...ctx, flags: { ...ctx.flags, progress: false } }, dir, 'add');
    return { ...read, calls: got.calls, cursors: got.cursors };
  } finally {
    s3.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fromAthena(ctx: SourceContext): Promise<SourceRead> {
  const out = empty('replace');
  const target = {
    database: ctx.flags.database!,
    workgroup: ctx.flags.workgroup,
    output: ctx.flags.output!,
    table: ctx.flags.table,
  };
  const athena = countRequests(new AthenaClient(clientConfig(ctx.settings)), 'athena', ctx.settings.counter);
  try {
    if (!(await tableExists(athena, target))) {
      const at = ctx.flags.s3 ? parseS3Url(ctx.flags.s3) : null;
      if (!at)
        throw new UsageError(
          `table ${target.database}.${target.table} does not exist: give --s3 s3://bucket/prefix (the trail) to create it`,
        );
      const base = createBaseClients(ctx.settings);
      const found = await discoverAccounts(base.sts, base.organizations).finally(() => destroyClients(base));
      const org = (await orgId(ctx.settings)) ?? null;
      const location = `s3://${at.bucket}/${at.prefix}AWSLogs/${org ? `${org}/` : ''}`;
      const ddl = createTableSql(
        target.table,
        location,
        found.accounts.map((a) => a.id),
        ctx.flags.regions ?? DEFAULT_TRAIL_REGIONS,
      );
      ctx.io.err(`creating the Athena table ${target.database}.${target.table} (once):\n${ddl}\n`);
      out.calls += (await runAthenaQuery(athena, target, ddl, [], ctx.sleep)).calls;
    }
    if (ctx.flags.progress) ctx.io.err('running the track queries in Athena');
    const r = await queryAthena(athena, target, ctx.since, ctx.until, ctx.sleep);
    return { ...out, rows: r.rows, events: r.events, calls: out.calls + r.calls, skippedRecords: r.skippedRecords };
  } finally {
    athena.destroy();
  }
}

async function orgId(settings: AwsSettings): Promise<string | undefined> {
  const { DescribeOrganizationCommand } = await import('@aws-sdk/client-organizations');
  const base = createBaseClients(settings);
  try {
    return (await base.organizations.send(new DescribeOrganizationCommand({}))).Organization?.Id;
  } catch {
    return undefined;
  } finally {
    destroyClients(base);
  }
}

/** Reads the chosen source. */
export function readSource(source: TrackSource, ctx: SourceContext): Promise<SourceRead> {
  if (source === 'dir') return fromFiles(ctx, ctx.flags.dir!, 'replace');
  if (source === 's3') return fromS3(ctx);
  if (source === 'athena') return fromAthena(ctx);
  return fromLookup(ctx);
}
