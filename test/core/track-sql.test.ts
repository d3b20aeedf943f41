import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { queryTrailFiles } from '../../src/activity/duckdb-trail.js';
import { findTrailFiles } from '../../src/activity/trail-files.js';
import { ActivityAggregator, activityFromRecord } from '../../src/core/track-records.js';
import { buildTimeline } from '../../src/core/track-timeline.js';

const cases = parse(readFileSync(new URL('./cases/track-records.yaml', import.meta.url), 'utf8')) as {
  record: Record<string, unknown>;
}[];
const records = cases.map((c) => c.record);
const dir = mkdtempSync(join(tmpdir(), 'iam2sso-track-sql-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('track.sql in DuckDB against the TypeScript reading of the same records', () => {
  it('gives the same timeline from a delivered log file, a JSON array and NDJSON', async () => {
    writeFileSync(join(dir, 'delivered.json.gz'), gzipSync(JSON.stringify({ Records: records.slice(0, 8) })));
    writeFileSync(join(dir, 'export.json'), JSON.stringify(records.slice(8, 15)));
    writeFileSync(
      join(dir, 'export.ndjson'),
      records
        .slice(15)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const now = new Date('2026-12-01T00:00:00Z');
    const since = new Date('2025-01-01T00:00:00Z');
    const sql = await queryTrailFiles(findTrailFiles(dir), since, now);
    const aggregate = new ActivityAggregator();
    for (const r of records) aggregate.add(activityFromRecord(r));
    const expected = buildTimeline(aggregate.rows(), now);
    const got = buildTimeline(sql.rows, now);
    const norm = (t: typeof got) => t.entries.map((e) => JSON.stringify(e)).sort();
    assert.ok(expected.entries.length >= 10);
    assert.deepEqual(norm(got), norm(expected));
    assert.equal(sql.events, records.length);
    // The one record of an unknown identity type is named, not classified.
    assert.deepEqual(
      sql.skippedRecords.map((r) => r.problem),
      ['userIdentity.type "SomethingNew2027" is not one iam2sso knows'],
    );
  });

  it('reads nothing, and does not fail, when no file is new or every file is unreadable', async () => {
    const window = [new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')] as const;
    const none = await queryTrailFiles([], ...window);
    assert.deepEqual({ rows: none.rows, events: none.events }, { rows: [], events: 0 });
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'cut.json.gz'), gzipSync('{"Records": [{"eventTime": "2026-11-02T00:0'));
    const cut = await queryTrailFiles(findTrailFiles(broken), ...window);
    assert.deepEqual({ rows: cut.rows, events: cut.events }, { rows: [], events: 0 });
    assert.deepEqual(
      cut.skippedFiles.map((f) => f.file),
      [join(broken, 'cut.json.gz')],
    );
  });
});
