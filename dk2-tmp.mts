import { DuckDBInstance } from '@duckdb/node-api';
import { findTrailFiles } from './src/activity/trail-files.ts';
import * as m from './src/activity/duckdb-trail.ts';
const files = findTrailFiles('/tmp/trk/logs').map(f => f.path);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const q = (m as any).__test;
