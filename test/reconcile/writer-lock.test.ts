import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CloudError, reportError } from '../../src/errors.js';
import { holdWriterLock, processAlive, WRITER_LOCK } from '../../src/reconcile/writer-lock.js';
import { openStateDb, type StateDb } from '../../src/store/db.js';
import { readLock } from '../../src/store/lock-repo.js';

const AT = (iso: string) => () => new Date(iso);
const NOW = AT('2025-06-01T10:00:00Z');
const quiet = { note: () => undefined };

/** A process that runs until killed, and a promise of its exit. */
function sleeper() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { pid: child.pid!, kill: () => child.kill('SIGKILL'), exited };
}

function refusal(fn: () => unknown): { error: CloudError; text: string } {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CloudError, `refused: ${String(error)}`);
  const lines: string[] = [];
  assert.equal(
    reportError(error, (l) => lines.push(l)),
    1,
  );
  return { error, text: lines.join('\n') };
}

describe('the writer lease in the state database', () => {
  let dir: string;
  let a: StateDb;
  let b: StateDb;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-lock-'));
    // Two connections to one file, as two iam2sso processes would have.
    a = await openStateDb(join(dir, 'state.db'));
    b = await openStateDb(join(dir, 'state.db'));
  });
  after(() => {
    a?.close();
    b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a sync refuses while an apply holds it, naming the command, run, pid, host and times, with exit code 1', () => {
    const notes: string[] = [];
    const first = holdWriterLock(a, 'apply-1', { command: 'apply', note: (l) => notes.push(l), pid: 4242, now: NOW });
    const { text } = refusal(() =>
      holdWriterLock(b, 'sync-2', { command: 'sync', note: (l) => notes.push(l), pid: 4343, isAlive: () => true }),
    );
    assert.match(
      text,
      new RegExp(
        `another run writes through this state database: apply run apply-1 \\(pid 4242 on ${hostname()}, since 2025-06-01T10:00:00.000Z, last heartbeat 2025-06-01T10:00:00.000Z\\)`,
      ),
    );
    assert.match(text, /wait for it to finish/);
    assert.equal(readLock(b, WRITER_LOCK)?.runId, 'apply-1', 'the holder keeps it');
    first.release();
    assert.equal(readLock(b, WRITER_LOCK), null, 'released when the run ends');
    holdWriterLock(b, 'sync-2', { command: 'sync', note: (l) => notes.push(l), pid: 4343 }).release();
    assert.deepEqual(notes, []);
  });

  test('a lease left by a process that no longer runs on this host is taken over, with a note', async () => {
    const gone = sleeper();
    holdWriterLock(a, 'sync-killed', { command: 'sync', ...quiet, pid: gone.pid, now: NOW });
    assert.throws(
      () => holdWriterLock(b, 'apply-next', { command: 'apply', ...quiet }),
      new RegExp(`sync run sync-killed \\(pid ${gone.pid} on ${hostname()}`),
      'refused while that process runs',
    );
    gone.kill();
    await gone.exited;
    assert.equal(processAlive(gone.pid), false);
    const notes: string[] = [];
    const lock = holdWriterLock(b, 'apply-next', { command: 'apply', note: (l) => notes.push(l) });
    assert.equal(notes.length, 1);
    assert.match(notes[0], /took over the writer lease of sync run sync-killed .*no longer running/);
    assert.deepEqual([readLock(a, WRITER_LOCK)?.pid, readLock(a, WRITER_LOCK)?.command], [process.pid, 'apply']);
    lock.release();
  });

  test('a lease from another host is taken over only once its heartbeat is stale, or with --break-lock', () => {
    const elsewhere = holdWriterLock(a, 'scp-elsewhere', {
      command: 'scp',
      ...quiet,
      pid: 99999999,
      host: 'ci-runner-7',
      now: NOW,
      heartbeatMs: 3_600_000,
    });
    const fresh = refusal(() =>
      holdWriterLock(b, 'harden-here', { command: 'entra harden', ...quiet, now: AT('2025-06-01T10:01:59Z') }),
    );
    assert.match(fresh.text, /scp run scp-elsewhere \(pid 99999999 on ci-runner-7/);
    assert.match(fresh.error.hint ?? '', /heartbeat is 120 s old, or run again with --break-lock/);
    const broken: string[] = [];
    holdWriterLock(b, 'harden-here', {
      command: 'entra harden',
      breakLock: true,
      note: (l) => broken.push(l),
      now: AT('2025-06-01T10:01:00Z'),
    }).release();
    assert.match(broken.join('\n'), /took over the writer lease of scp run scp-elsewhere .*: --break-lock/);

    const again = holdWriterLock(a, 'scp-elsewhere', {
      command: 'scp',
      ...quiet,
      pid: 99999999,
      host: 'ci-runner-7',
      now: NOW,
    });
    const notes: string[] = [];
    const mine = holdWriterLock(b, 'harden-here', {
      command: 'entra harden',
      note: (l) => notes.push(l),
      now: AT('2025-06-01T10:02:01Z'),
    });
    assert.match(notes.join('\n'), /took over the writer lease of scp run scp-elsewhere .*heartbeat is 121 s old/);
    mine.release();
    elsewhere.release();
    again.release();
  });

  test('the holder keeps its heartbeat fresh while it runs, and stops when released', async () => {
    let clock = Date.parse('2025-06-01T10:00:00Z');
    const lock = holdWriterLock(a, 'sync-long', {
      command: 'sync',
      ...quiet,
      host: 'ci-runner-8',
      now: () => new Date(clock),
      heartbeatMs: 20,
    });
    clock += 300_000;
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(readLock(b, WRITER_LOCK)?.heartbeat, '2025-06-01T10:05:00.000Z', 'beaten at the current time');
    // Five minutes after it started, another host still sees a live lease.
    assert.throws(
      () => holdWriterLock(b, 'apply-late', { command: 'apply', ...quiet, now: AT('2025-06-01T10:06:00Z') }),
      /sync run sync-long/,
    );
    lock.release();
    assert.equal(readLock(b, WRITER_LOCK), null);
  });

  test('release leaves a lease another run has since taken alone', () => {
    const mine = holdWriterLock(a, 'apply-old', { command: 'apply', ...quiet, pid: 5151, isAlive: () => false });
    const theirs = holdWriterLock(b, 'apply-new', { command: 'apply', ...quiet, pid: 5252, isAlive: () => false });
    mine.release();
    assert.equal(readLock(a, WRITER_LOCK)?.runId, 'apply-new');
    theirs.release();
    assert.equal(readLock(a, WRITER_LOCK), null);
  });
});
