/**
 * Amazon Athena over JSON 1.1 (`X-Amz-Target: AmazonAthena.<Op>`, signing name athena), as far as the product
 * uses it: StartQueryExecution (CREATE EXTERNAL TABLE and SELECT, with ExecutionParameters), GetQueryExecution,
 * GetQueryResults (header row first, 1000 rows a page) and GetTableMetadata.
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_Operations.html
 * Queries run asynchronously: QUEUED, RUNNING, then SUCCEEDED or FAILED with Athena's kind of reason.
 */
import { randomUUID } from 'node:crypto';
import type { World } from '../../world/world.js';
import type { AwsContext, JsonService } from '../context.js';
import { AwsError } from '../errors.js';
import { athenaEngine, createTable, runSelect, type StatementResult } from './engine.js';

type Execution = {
  id: string;
  sql: string;
  database: string;
  workgroup: string;
  output: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  reason?: string;
  submitted: Date;
  completed?: Date;
  result?: StatementResult;
};

const executions = new WeakMap<World, Map<string, Execution>>();

function executionsOf(world: World): Map<string, Execution> {
  let m = executions.get(world);
  if (!m) {
    m = new Map();
    executions.set(world, m);
  }
  return m;
}

const invalid = (message: string) => new AwsError('InvalidRequestException', message, 400);

async function execute(world: World, e: Execution, params: string[]): Promise<void> {
  e.state = 'RUNNING';
  const statement = e.sql.replace(/^(\s*--[^\n]*\n)*\s*/, '');
  try {
    if (/^CREATE\s+EXTERNAL\s+TABLE/i.test(statement)) {
      const problem = createTable(athenaEngine(world), e.database, e.sql);
      if (problem) throw new Error(problem);
      e.result = { kind: 'DDL', columns: [], rows: [] };
    } else if (/^(SELECT|WITH)\b/i.test(statement)) {
      e.result = await runSelect(world, athenaEngine(world), e.database, e.sql, params);
    } else throw new Error('NOT_SUPPORTED: the sandbox runs CREATE EXTERNAL TABLE and SELECT');
    e.state = 'SUCCEEDED';
  } catch (error) {
    e.state = 'FAILED';
    e.reason = (error as Error).message.split('\n')[0];
  }
  e.completed = world.clock.now();
}

function startQueryExecution(ctx: AwsContext, input: Record<string, unknown>) {
  const sql = input.QueryString;
  if (typeof sql !== 'string' || sql.length < 1 || sql.length > 262144)
    throw invalid('QueryString is required (1 to 262144 characters).');
  const context = (input.QueryExecutionContext ?? {}) as { Database?: string };
  const output = (input.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation;
  if (!output || !/^s3:\/\//.test(output))
    throw invalid(
      'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
    );
  const params = input.ExecutionParameters ?? [];
  if (!Array.isArray(params) || params.some((p) => typeof p !== 'string'))
    throw invalid('ExecutionParameters must be a list of strings.');
  const e: Execution = {
    id: randomUUID(),
    sql,
    database: context.Database ?? 'default',
    workgroup: typeof input.WorkGroup === 'string' ? input.WorkGroup : 'primary',
    output: output.endsWith('/') ? output : `${output}/`,
    state: 'QUEUED',
    submitted: ctx.world.clock.now(),
  };
  executionsOf(ctx.world).set(e.id, e);
  setImmediate(() => void execute(ctx.world, e, params as string[]));
  return { QueryExecutionId: e.id };
}

function find(ctx: AwsContext, input: Record<string, unknown>): Execution {
  const e = executionsOf(ctx.world).get(String(input.QueryExecutionId ?? ''));
  if (!e) throw invalid(`QueryExecution ${String(input.QueryExecutionId)} was not found`);
  return e;
}

function getQueryExecution(ctx: AwsContext, input: Record<string, unknown>) {
  const e = find(ctx, input);
  return {
    QueryExecution: {
      QueryExecutionId: e.id,
      Query: e.sql,
      StatementType: e.result?.kind ?? (/^\s*CREATE/i.test(e.sql) ? 'DDL' : 'DML'),
      ResultConfiguration: { OutputLocation: `${e.output}${e.id}.csv` },
      QueryExecutionContext: { Database: e.database, Catalog: 'awsdatacatalog' },
      Status: {
        State: e.state,
        ...(e.reason ? { StateChangeReason: e.reason } : {}),
        SubmissionDateTime: e.submitted.getTime() / 1000,
        ...(e.completed ? { CompletionDateTime: e.completed.getTime() / 1000 } : {}),
      },
      WorkGroup: e.workgroup,
    },
  };
}

function getQueryResults(ctx: AwsContext, input: Record<string, unknown>) {
  const e = find(ctx, input);
  if (e.state !== 'SUCCEEDED') throw invalid(`Query has not yet finished. Current state: ${e.state}`);
  const max = input.MaxResults === undefined ? 1000 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalid('MaxResults must be between 1 and 1000.');
  const { columns, rows } = e.result!;
  // A SELECT's results start with a row of column names, as Athena returns them.
  const all = e.result!.kind === 'DML' ? [columns, ...rows] : [];
  const offset = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > all.length) throw invalid('The NextToken is not valid.');
  const page = all.slice(offset, offset + max);
  const next = offset + max < all.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
  return {
    ResultSet: {
      Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
      ResultSetMetadata: {
        ColumnInfo: columns.map((name) => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: name,
          Label: name,
          Type: 'varchar',
          Precision: 2147483647,
          Scale: 0,
          Nullable: 'UNKNOWN',
          CaseSensitive: true,
        })),
      },
    },
    UpdateCount: 0,
    ...(next ? { NextToken: next } : {}),
  };
}

function getTableMetadata(ctx: AwsContext, input: Record<string, unknown>) {
  const key = `${String(input.DatabaseName)}.${String(input.TableName).toLowerCase()}`;
  const t = athenaEngine(ctx.world).tables.get(key);
  if (!t)
    throw new AwsError(
      'MetadataException',
      `Table ${String(input.TableName)} not found in database ${String(input.DatabaseName)}`,
      400,
    );
  return {
    TableMetadata: {
      Name: t.name,
      CreateTime: t.createdAt.getTime() / 1000,
      TableType: 'EXTERNAL_TABLE',
      Columns: [],
      PartitionKeys: ['account', 'region', 'timestamp'].map((Name) => ({ Name, Type: 'string' })),
      Parameters: { location: t.location, EXTERNAL: 'TRUE', 'projection.enabled': 'true' },
    },
  };
}

/** The Athena service. */
export const athenaService: JsonService = {
  service: 'athena',
  targetPrefix: 'AmazonAthena',
  eventSource: 'athena.amazonaws.com',
  handlers: {
    StartQueryExecution: startQueryExecution,
    GetQueryExecution: getQueryExecution,
    GetQueryResults: getQueryResults,
    GetTableMetadata: getTableMetadata,
  },
};
