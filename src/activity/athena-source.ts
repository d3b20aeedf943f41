/**
 * The `--athena` source: at organization scale the work runs in Amazon Athena. The table over the organization
 * trail (partition projection, track.sql `create-table`) is created once, after the DDL is shown; the
 * aggregation queries run there and only their results are read (GetQueryResults).
 * API: https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { ActivityRow } from '../core/track-types.js';
import { CloudError } from '../errors.js';
import { activityFromSqlRow, KNOWN_IDENTITY_TYPES, trackSql, windowParameters } from './track-sql.js';

/** Where the queries run. */
export type AthenaTarget = { database: string; workgroup: string; output: string; table: string };

/** Regions an organization trail may log (the projection's enum); --regions replaces it. */
export const DEFAULT_TRAIL_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-east-1',
  'me-south-1',
  'me-central-1',
  'af-south-1',
  'il-central-1',
];

/** The DDL of the table over `location` (s3://bucket/prefix/AWSLogs/<org id>/), from validated values. */
export function createTableSql(table: string, location: string, accounts: string[], regions: string[]): string {
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9]\/[A-Za-z0-9!_.*()/-]*\/$/.test(location))
    throw new Error(`bad location ${location}`);
  if (!accounts.every((a) => /^\d{12}$/.test(a))) throw new Error('bad account id');
  if (!regions.every((r) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(r))) throw new Error('bad region');
  return trackSql('create-table', table, {
    location,
    accounts: accounts.join(','),
    regions: regions.join(','),
    start: '2020/01/01',
  });
}

/** Runs one query to the end; returns its rows as objects (column name to string value). */
export async function runAthenaQuery(
  athena: AthenaClient,
  target: AthenaTarget,
  sql: string,
  params: string[],
  sleep: (ms: number) => Promise<void>,
): Promise<{ rows: Record<string, string | null>[]; calls: number }> {
  let calls = 1;
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: target.database },
      WorkGroup: target.workgroup,
      ResultConfiguration: { OutputLocation: target.output },
      // String parameters are passed as SQL literals, quoted.
      ...(params.length ? { ExecutionParameters: params.map((p) => `'${p.replace(/'/g, "''")}'`) } : {}),
    }),
  );
  const id = started.QueryExecutionId!;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    calls++;
    const state = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution?.Status;
    if (state?.State === 'SUCCEEDED') break;
    if (state?.State === 'FAILED' || state?.State === 'CANCELLED')
      throw new CloudError(
        'athena',
        `Query${state.State === 'FAILED' ? 'Failed' : 'Cancelled'}`,
        `query ${id} ${state.State}: ${state.StateChangeReason ?? 'no reason given'}`,
        undefined,
        'check the database, the table and that the workgroup may read the trail bucket and write --output',
      );
    await sleep(wait);
  }
  const rows: Record<string, string | null>[] = [];
  let columns: string[] = [];
  let token: string | undefined;
  let first = true;
  do {
    calls++;
    const page = await athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: 1000 }),
    );
    columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '') ?? columns;
    const data = page.ResultSet?.Rows ?? [];
    // The first row of a SELECT's first page repeats the column names.
    for (const row of first ? data.slice(1) : data)
      rows.push(Object.fromEntries(columns.map((c, i) => [c, row.Data?.[i]?.VarCharValue ?? null])));
    first = false;
    token = page.NextToken;
  } while (token);
  return { rows, calls };
}

/** True when the table exists. */
export async function tableExists(athena: AthenaClient, target: AthenaTarget): Promise<boolean> {
  try {
    await athena.send(
      new GetTableMetadataCommand({
        CatalogName: 'AwsDataCatalog',
        DatabaseName: target.database,
        TableName: target.table,
      }),
    );
    return true;
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'MetadataException' || name === 'EntityNotFoundException' || /not found/i.test((e as Error).message))
      return false;
    throw e;
  }
}

/** The activity of the window, computed in Athena. */
export async function queryAthena(
  athena: AthenaClient,
  target: AthenaTarget,
  since: Date,
  until: Date,
  sleep: (ms: number) => Promise<void>,
): Promise<{
  rows: ActivityRow[];
  events: number;
  calls: number;
  skippedRecords: { where: string; problem: string; count: number }[];
}> {
  const [day, from, to] = windowParameters(since, until);
  const activity = await runAthenaQuery(athena, target, trackSql('activity', target.table), [day, from, to], sleep);
  const types = await runAthenaQuery(athena, target, trackSql('identity-types', target.table), [day, from, to], sleep);
  const future = await runAthenaQuery(athena, target, trackSql('future', target.table), [day, to], sleep);
  const skippedRecords: { where: string; problem: string; count: number }[] = [];
  let events = 0;
  for (const r of types.rows) {
    events += Number(r.events);
    const type = r.identity_type ?? '';
    if (!KNOWN_IDENTITY_TYPES.has(type))
      skippedRecords.push({
        where: `event ${r.example_event_id}`,
        problem: `userIdentity.type "${type}" is not one iam2sso knows`,
        count: Number(r.events),
      });
  }
  for (const r of future.rows)
    skippedRecords.push({
      where: `event ${r.event_id} in ${r.account_id}`,
      problem: `dated ${r.event_time}, after the run started`,
      count: 1,
    });
  if (future.rows.length) events += Number(future.rows[0].total);
  return {
    rows: activity.rows.map(activityFromSqlRow),
    events,
    calls: activity.calls + types.calls + future.calls,
    skippedRecords,
  };
}
