/**
 * CloudTrail files queried with embedded DuckDB: a view shaped like Athena's CloudTrail table (lower-case
 * columns, JSON fields as strings, the day partition as "timestamp") over the files, then the same queries
 * (track.sql) Athena runs. A file DuckDB cannot read (corrupt gzip, truncated JSON) is found by halving the
 * batch, named, and left out; the rest are read.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ActivityRow } from '../core/track-types.js';
import { activityFromSqlRow, KNOWN_IDENTITY_TYPES, trackSql, windowParameters } from './track-sql.js';
import type { TrailFile, TrailFileShape } from './trail-files.js';

/** The fields of a CloudTrail record iam2sso reads, as DuckDB types (keys as CloudTrail writes them). */
const RECORD_FIELDS = `eventVersion VARCHAR,
  userIdentity STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, accessKeyId VARCHAR,
    userName VARCHAR, invokedBy VARCHAR, onBehalfOf STRUCT(userId VARCHAR, identityStoreArn VARCHAR),
    sessionContext STRUCT(sessionIssuer STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR,
      userName VARCHAR))),
  eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, awsRegion VARCHAR, sourceIPAddress VARCHAR,
  userAgent VARCHAR, errorCode VARCHAR, requestParameters JSON, responseElements JSON, additionalEventData JSON,
  eventID VARCHAR, recipientAccountId VARCHAR, sessionCredentialFromConsole VARCHAR`;

/** What reading the files gave: grouped activity, what the window holds by identity type, and what was skipped. */
export type DuckDbResult = {
  rows: ActivityRow[];
  events: number;
  skippedFiles: { file: string; problem: string }[];
  skippedRecords: { where: string; problem: string; count: number }[];
};

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Splits `a T, b STRUCT(x U, y V)` at the commas outside parentheses. */
function topLevelFields(spec: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === '(') depth++;
    else if (spec[i] === ')') depth--;
    else if (spec[i] === ',' && depth === 0) {
      out.push(spec.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(spec.slice(start).trim());
  return out;
}

/** DuckDB reads a whole Records file as one JSON object: its limit must cover the largest file (cost grows with it). */
function objectLimit(files: TrailFile[]): number {
  let limit = 16 * 1024 * 1024;
  const largest = Math.max(0, ...files.map((f) => f.rawBytes));
  while (limit < largest + 1024) limit *= 2;
  return limit;
}

function readerSql(shape: TrailFileShape, paths: string[], maxObject = 16 * 1024 * 1024): string {
  const list = `[${paths.map(quote).join(', ')}]`;
  const columns = (fields: string) => `columns = {${fields}}`;
  if (shape === 'records')
    return `SELECT unnest(Records) AS r, filename FROM read_json(${list}, format = 'auto', filename = true,
      maximum_object_size = ${maxObject}, ${columns(`Records: 'STRUCT(${RECORD_FIELDS.replace(/\s+/g, ' ')})[]'`)})`;
  const fields = topLevelFields(RECORD_FIELDS.replace(/\s+/g, ' '));
  // Top-level fields to a struct column `r`, as the Records files give.
  const names = fields.map((f) => f.split(' ')[0]);
  const struct = `{${names.map((n) => `'${n}': ${n}`).join(', ')}}`;
  const format = shape === 'array' ? 'array' : 'newline_delimited';
  const typed = fields.map((f) => `${f.split(' ')[0]}: '${f.slice(f.indexOf(' ') + 1)}'`).join(', ');
  return `SELECT ${struct} AS r, filename FROM read_json(${list}, format = '${format}', filename = true,
    ${columns(typed)})`;
}

function viewSql(groups: Map<TrailFileShape, string[]>, maxObject: number): string {
  const parts = [...groups].filter(([, p]) => p.length).map(([shape, paths]) => readerSql(shape, paths, maxObject));
  const source = parts.join('\nUNION ALL BY NAME\n');
  return `CREATE OR REPLACE VIEW cloudtrail AS SELECT
    r.userIdentity AS useridentity, r.eventTime AS eventtime, r.eventSource AS eventsource,
    r.eventName AS eventname, r.awsRegion AS awsregion, r.sourceIPAddress AS sourceipaddress,
    r.userAgent AS useragent, r.errorCode AS errorcode, CAST(r.requestParameters AS VARCHAR) AS requestparameters,
    CAST(r.responseElements AS VARCHAR) AS responseelements,
    CAST(r.additionalEventData AS VARCHAR) AS additionaleventdata, r.eventID AS eventid,
    r.recipientAccountId AS recipientaccountid, r.sessionCredentialFromConsole AS sessioncredentialfromconsole,
    replace(substr(r.eventTime, 1, 10), '-', '/') AS "timestamp", filename
  FROM (${source})`;
}

async function connect(): Promise<{ db: DuckDBInstance; conn: DuckDBConnection }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  // The rows are grouped afterwards: their order does not matter, and not keeping it makes the load faster.
  await conn.run('SET preserve_insertion_order = false');
  // Athena's (Trino's) name for it, so track.sql runs unchanged.
  await conn.run('CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)');
  return { db, conn };
}

function message(e: unknown): string {
  return ((e as Error).message ?? String(e)).split('\n')[0].slice(0, 300);
}

/** Finds the files DuckDB cannot read in `paths` (halving), so the rest can be read. */
async function badFiles(
  conn: DuckDBConnection,
  shape: TrailFileShape,
  paths: string[],
  out: DuckDbResult['skippedFiles'],
  maxObject: number,
): Promise<void> {
  try {
    await conn.run(`SELECT count(*) FROM (${readerSql(shape, paths, maxObject)})`);
    return;
  } catch (e) {
    if (paths.length === 1) {
      out.push({ file: paths[0], problem: `unreadable: ${message(e)}` });
      return;
    }
  }
  const mid = paths.length >> 1;
  await badFiles(conn, shape, paths.slice(0, mid), out, maxObject);
  await badFiles(conn, shape, paths.slice(mid), out, maxObject);
}

async function rowsOf(conn: DuckDBConnection, sql: string, params: string[]): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql, params);
  const names = reader.columnNames();
  return reader
    .getRows()
    .map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] === null ? null : String(row[i])])));
}

/** Runs the track queries over the files (within the window) and returns the grouped activity. */
export async function queryTrailFiles(files: TrailFile[], since: Date, until: Date): Promise<DuckDbResult> {
  const result: DuckDbResult = { rows: [], events: 0, skippedFiles: [], skippedRecords: [] };
  const groups = new Map<TrailFileShape, string[]>();
  for (const f of files) {
    if ('problem' in f) result.skippedFiles.push({ file: f.path, problem: f.problem });
    else {
      const list = groups.get(f.shape);
      if (list) list.push(f.path);
      else groups.set(f.shape, [f.path]);
    }
  }
  const readable = () => [...groups.values()].some((paths) => paths.length > 0);
  // No file to read (none since the cursor, or none readable): nothing happened in it, without asking DuckDB to type
  // an empty view.
  if (!readable()) return result;
  const maxObject = objectLimit(files.filter((f) => 'shape' in f && f.shape === 'records'));
  const { db, conn } = await connect();
  try {
    try {
      await conn.run(viewSql(groups, maxObject));
      await collect(conn, result, since, until);
    } catch {
      // Some file cannot be read: find which, name it, and read the others.
      for (const [shape, paths] of groups) {
        const bad: DuckDbResult['skippedFiles'] = [];
        await badFiles(conn, shape, paths, bad, maxObject);
        const skip = new Set(bad.map((b) => b.file));
        groups.set(
          shape,
          paths.filter((p) => !skip.has(p)),
        );
        result.skippedFiles.push(...bad);
      }
      result.skippedRecords = [];
      result.events = 0;
      if (!readable()) return result;
      await conn.run(viewSql(groups, maxObject));
      await collect(conn, result, since, until);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return result;
}

async function collect(conn: DuckDBConnection, result: DuckDbResult, since: Date, until: Date): Promise<void> {
  const [day, from, to] = windowParameters(since, until);
  // One pass over the JSON into a columnar table; the queries then read columns. Request and response bodies
  // are kept only where the classifier reads them; a record missing what every CloudTrail event has keeps its
  // file name, to be named.
  const kept = `useridentity.type IN ('IAMUser', 'IdentityCenterUser', 'Unknown', 'SAMLUser', 'AssumedRole')`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE cloudtrail_rows AS SELECT useridentity, eventtime, eventsource,
      eventname, awsregion, sourceipaddress, useragent, errorcode, eventid, recipientaccountid,
      sessioncredentialfromconsole, "timestamp", CASE WHEN ${kept} THEN requestparameters END AS requestparameters,
      CASE WHEN ${kept} THEN responseelements END AS responseelements,
      CASE WHEN ${kept} THEN additionaleventdata END AS additionaleventdata,
      CASE WHEN eventtime IS NULL OR eventsource IS NULL OR eventname IS NULL OR eventid IS NULL THEN filename END
        AS bad_file
    FROM cloudtrail`);
  for (const r of await rowsOf(
    conn,
    'SELECT bad_file, count(*) AS n FROM cloudtrail_rows WHERE bad_file IS NOT NULL GROUP BY bad_file ORDER BY bad_file',
    [],
  ))
    result.skippedRecords.push({
      where: String(r.bad_file),
      problem: 'records that are not CloudTrail events (no eventTime, eventSource, eventName or eventID)',
      count: Number(r.n),
    });
  const table = 'cloudtrail_valid';
  await conn.run(`CREATE OR REPLACE TEMP VIEW ${table} AS SELECT * FROM cloudtrail_rows WHERE bad_file IS NULL`);
  result.rows = (await rowsOf(conn, trackSql('activity', table), [day, from, to])).map(activityFromSqlRow);
  for (const r of await rowsOf(conn, trackSql('identity-types', table), [day, from, to])) {
    result.events += Number(r.events);
    const type = String(r.identity_type ?? '');
    if (!KNOWN_IDENTITY_TYPES.has(type))
      result.skippedRecords.push({
        where: `event ${r.example_event_id}`,
        problem: `userIdentity.type "${type}" is not one iam2sso knows`,
        count: Number(r.events),
      });
  }
  const future = await rowsOf(conn, trackSql('future', table), [day, to]);
  for (const r of future)
    result.skippedRecords.push({
      where: `event ${r.event_id} in ${r.account_id}`,
      problem: `dated ${r.event_time}, after the run started`,
      count: 1,
    });
  if (future.length) result.events += Number(future[0].total);
}
