import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { computeTrack } from '../../src/core/track-status.js';
import type { TimelineEntry } from '../../src/core/track-types.js';
import { openStateDb } from '../../src/store/db.js';
import { trackCoverage } from '../../src/store/decommission-repo.js';
import { latestTrackStatuses, loadCursors, loadTimeline, saveTrackRun } from '../../src/store/track-repo.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-track-repo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const entry = (lastTime: string, events: number, id: string): TimelineEntry => ({
  subjectKind: 'iam-user',
  subject: '111122223333/ann',
  usage: 'legacy',
  via: 'access-key',
  accountId: '111122223333',
  detail: 'AKIAANN',
  firstTime: lastTime,
  lastTime,
  events,
  firstEventId: id,
  lastEventId: id,
  lastService: 's3',
  lastSourceIp: '203.0.113.1',
  lastUserAgent: 'aws-cli/2',
  mfa: null,
});
const users = [{ accountId: '111122223333', userName: 'ann', upn: 'ann@example.com', category: 'human-console' }];
const window = { since: new Date('2026-09-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const run = (runId: string, entries: TimelineEntry[], source = 'lookup-events') => ({
  runId,
  source,
  startedAt: `2026-12-01T00:00:0${runId.length % 10}Z`,
  eventsRead: 1,
  apiCalls: 3,
  skipped: {},
  summary: {},
  report: computeTrack(entries, users, window),
});

describe('track repository', () => {
  it('adds incremental runs into one timeline entry, replaces a full-window source, and keeps cursors', async () => {
    const db = await openStateDb(join(dir, 'state.db'));
    const first = [entry('2026-10-01T00:00:00Z', 2, 'e1')];
    saveTrackRun(db, run('r1', first), first, 'add', [
      {
        source: 'lookup-events',
        accountId: '111122223333',
        region: 'us-east-1',
        scope: 'Username=ann',
        position: '2026-10-01T00:00:00Z',
        eventIds: ['e1'],
      },
    ]);
    const second = [entry('2026-11-01T00:00:00Z', 3, 'e2')];
    saveTrackRun(db, run('r22', second), second, 'add', []);
    const [merged] = loadTimeline(db, 'lookup-events');
    assert.deepEqual([merged.firstEventId, merged.lastEventId, merged.events], ['e1', 'e2', 5]);
    saveTrackRun(db, run('r333', second, 'dir'), second, 'replace', []);
    saveTrackRun(db, run('r4444', first, 'dir'), first, 'replace', []);
    assert.deepEqual(
      loadTimeline(db, 'dir').map((e) => [e.lastEventId, e.events]),
      [['e1', 2]],
    );
    assert.deepEqual(
      loadCursors(db, 'lookup-events').map((c) => [c.scope, c.eventIds]),
      [['Username=ann', ['e1']]],
    );
    const statuses = latestTrackStatuses(db);
    assert.deepEqual(
      statuses.map((s) => [s.subject, s.status]),
      [
        ['111122223333/ann', 'legacy-only'],
        ['ann@example.com', 'legacy-only'],
      ],
    );
    db.close();
  });

  it("reads each run's regions and unreachable accounts and regions back for the watch-window gate, old runs as every region", async () => {
    const db = await openStateDb(join(dir, 'coverage.db'));
    // A run recorded before regions were: its summary names accounts only.
    saveTrackRun(db, { ...run('old', []), summary: { unreachable: [{ accountId: '1', error: 'x' }] } }, [], 'add', []);
    const failed = [
      { accountId: '2', region: 'eu-west-1', error: 'AccessDenied' },
      { accountId: '3', error: 'AccessDenied' },
    ];
    const summary = { unreachable: failed, regions: ['us-east-1', 'eu-west-1'] };
    saveTrackRun(db, { ...run('newer', []), summary }, [], 'add', []);
    const windows = trackCoverage(db).windows.map(({ since: _s, until: _u, ...w }) => w);
    db.close();
    assert.deepEqual(windows, [
      { unreachable: ['1'], regions: null, unreachableRegions: [] },
      {
        unreachable: ['3'],
        regions: ['us-east-1', 'eu-west-1'],
        unreachableRegions: [{ accountId: '2', region: 'eu-west-1' }],
      },
    ]);
  });
});
