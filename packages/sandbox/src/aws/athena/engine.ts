/**
 * The sandbox's Athena engine: the Glue catalog's tables (from CREATE EXTERNAL TABLE over the organization
 * trail) and queries run in DuckDB over the trail's objects. A table is a view with the columns of Athena's
 * CloudTrail table (the CloudTrail SerDe unwraps `Records`, JSON fields are strings) and the projected partition
 * columns taken from each object's key, so the queries written for Athena run as they are.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { World } from '../../world/world.js';
import { orgTrailBucket } from '../s3/org-trail.js';

/** A table in the catalog. */
export type CatalogTable = { database: string; name: string; location: string; createdAt: Date; ddl: string };

type Engine = { tables: Map<string, CatalogTable>; dir: string; written: Set<string>; conn?: DuckDBConnection };

const engines = new WeakMap<World, Engine>();

/** The Athena state of a world. */
export function athenaEngine(world: World): Engine {
  let e = engines.get(world);
  if (!e) {
    e = { tables: new Map(), dir: mkdtempSync(join(tmpdir(), 'sandbox-athena-')), written: new Set() };
    engines.set(world, e);
  }
  return e;
}

/** What a statement returned. */
export type StatementResult = { kind: 'DDL' | 'DML'; columns: string[]; rows: (string | null)[][] };

const RECORD = `STRUCT(eventVersion VARCHAR, userIdentity STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR,
  accountId VARCHAR, accessKeyId VARCHAR, userName VARCHAR, invokedBy VARCHAR,
  onBehalfOf STRUCT(userId VARCHAR, identityStoreArn VARCHAR), sessionContext STRUCT(attributes
  STRUCT(mfaAuthenticated VARCHAR, creationDate VARCHAR), sessionIssuer STRUCT(type VARCHAR, principalId VARCHAR,
  arn VARCHAR, accountId VARCHAR, userName VARCHAR))), eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR,
  awsRegion VARCHAR, sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR, errorMessage VARCHAR,
  requestParameters JSON, responseElements JSON, additionalEventData JSON, requestID VARCHAR, eventID VARCHAR,
  readOnly VARCHAR, eventType VARCHAR, recipientAccountId VARCHAR, serviceEventDetails JSON,
  sessionCredentialFromConsole VARCHAR)[]`.replace(/\s+/g, ' ');

/** Registers a table from CREATE EXTERNAL TABLE; an error message when it cannot. */
export function createTable(engine: Engine, database: string, ddl: string): string | null {
  const name = /CREATE\s+EXTERNAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?`?(\w+)`?(?:\.`?(\w+)`?)?/i.exec(ddl);
  const location = /LOCATION\s+'(s3:\/\/[^']+)'/i.exec(ddl);
  if (!name || !location) return 'line 1:1: mismatched input. Expecting: CREATE EXTERNAL TABLE ... LOCATION';
  const db = name[3] ? name[2] : database;
  const table = (name[3] ?? name[2]).toLowerCase();
  const key = `${db}.${table}`;
  if (engine.tables.has(key)) return name[1] ? null : `AlreadyExistsException: Table ${table} already exists`;
  engine.tables.set(key, { database: db, name: table, location: location[1], createdAt: new Date(), ddl });
  return null;
}

/** Writes the table's objects (delivered so far) to disk once each; returns their paths. */
function materialize(world: World, engine: Engine, table: CatalogTable): string[] {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(table.location)!;
  const bucket = orgTrailBucket(world, m[1]);
  const paths: string[] = [];
  for (const o of bucket?.objects.values() ?? []) {
    if (!o.key.startsWith(m[2]) || !o.key.endsWith('.json.gz')) continue;
    const path = join(engine.dir, m[1], o.key);
    if (!engine.written.has(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, o.body);
      engine.written.add(path);
    }
    paths.push(path);
  }
  if (paths.length === 0) {
    const empty = join(engine.dir, 'empty.json');
    writeFileSync(empty, '{"Records":[]}');
    paths.push(empty);
  }
  return paths;
}

function viewSql(view: string, paths: string[]): string {
  const list = paths.map((p) => `'${p.replace(/'/g, "''")}'`).join(', ');
  const part = (n: number) =>
    `regexp_extract(filename, '/(\\d{12})/CloudTrail/([a-z0-9-]+)/(\\d{4}/\\d{2}/\\d{2})/', ${n})`;
  const json = (f: string) => `CAST(r.${f} AS VARCHAR) AS ${f.toLowerCase()}`;
  const plain = [
    'eventVersion',
    'userIdentity',
    'eventTime',
    'eventSource',
    'eventName',
    'awsRegion',
    'sourceIPAddress',
    'userAgent',
    'errorCode',
    'errorMessage',
    'requestID',
    'eventID',
    'readOnly',
    'eventType',
    'recipientAccountId',
    'sessionCredentialFromConsole',
  ].map((f) => `r.${f} AS ${f.toLowerCase()}`);
  const jsons = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails'].map(json);
  return `CREATE OR REPLACE VIEW ${view} AS SELECT ${[...plain, ...jsons].join(', ')},
    ${part(1)} AS account, ${part(2)} AS region, ${part(3)} AS "timestamp"
    FROM (SELECT unnest(Records) AS r, filename FROM read_json([${list}], format = 'auto', filename = true,
      maximum_object_size = 67108864, columns = {Records: '${RECORD}'}))`;
}

async function connection(engine: Engine): Promise<DuckDBConnection> {
  if (!engine.conn) {
    const db = await DuckDBInstance.create(':memory:', { threads: '1' });
    engine.conn = await db.connect();
    await engine.conn.run('CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)');
  }
  return engine.conn;
}

/** Puts Athena's ExecutionParameters (SQL literals) in place of the `?` marks, in order. */
function bind(sql: string, params: string[]): string | { error: string } {
  let i = 0;
  // Line comments and string literals are left as they are; only a bare ? is a parameter.
  const out = sql.replace(/--[^\n]*|'(?:[^']|'')*'|\?/g, (m) => (m === '?' ? (params[i++] ?? '\u0000') : m));
  if (out.includes('\u0000') || i !== params.length)
    return { error: `INVALID_PARAMETER_USAGE: the query has ${i} parameters and ${params.length} values were given` };
  return out;
}

/** Runs a SELECT over the catalog's tables; throws with Athena-like messages. */
export async function runSelect(
  world: World,
  engine: Engine,
  database: string,
  sql: string,
  params: string[],
): Promise<StatementResult> {
  const bound = bind(sql, params);
  if (typeof bound !== 'string') throw new Error(bound.error);
  const conn = await connection(engine);
  let missing: string | null = null;
  const views: [string, CatalogTable][] = [];
  const rewritten = bound.replace(
    /\b(FROM|JOIN)\s+(?:"?(\w+)"?\.)?"?(\w+)"?/gi,
    (m, kw: string, db: string | undefined, name: string) => {
      const table = engine.tables.get(`${db ?? database}.${name.toLowerCase()}`);
      if (!table) {
        if (!missing) missing = `${db ?? database}.${name}`;
        return m;
      }
      const view = `athena_${table.database}_${table.name}`;
      views.push([view, table]);
      return `${kw} ${view}`;
    },
  );
  if (missing) throw new Error(`TABLE_NOT_FOUND: Table 'awsdatacatalog.${missing}' does not exist`);
  for (const [view, table] of views) await conn.run(viewSql(view, materialize(world, engine, table)));
  const reader = await conn.runAndReadAll(rewritten);
  const columns = reader.columnNames();
  const rows = reader.getRowsJS().map((r) => r.map((v) => (v === null || v === undefined ? null : String(v))));
  return { kind: 'DML', columns, rows };
}
