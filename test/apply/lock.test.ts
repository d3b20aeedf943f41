import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { APPLY_LOCK, holdApplyLock, processAlive } from '../../src/apply/lock.js';
import { CloudError, reportError } from '../../src/errors.js';
import { openStateDb, type StateDb } from '../../src/store/db.js';
import { readLock } from '../../src/store/lock-repo.js';

const NOW = () => new Date('2025-06-01T10:00:00Z');

/** A process that runs until killed, and a promise of its exit. */
function sleeper() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { pid: child.pid!, kill: () => child.kill('SIGKILL'), exited };
}

describe('the apply lock in the state database', () => {
  let dir: string;
  let path: string;
  let a: StateDb;
  let b: StateDb;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-lock-'));
    path = join(dir, 'state.db');
    // Two connections to one file, as two iam2sso processes would have.
    a = await openStateDb(path);
    b = await openStateDb(path);
  });
  after(() => {
    a?.close();
    b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a second apply refuses, naming the pid, host and time of the one that holds it, with exit code 1', () => {
    const notes: string[] = [];
    const first = holdApplyLock(a, 'apply-1', { note: (l) => notes.push(l), pid: 4242, now: NOW, isAlive: () => true });
    let error: unknown;
    try {
      holdApplyLock(b, 'apply-2', { note: (l) => notes.push(l), pid: 4343, isAlive: () => true });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof CloudError);
    const lines: string[] = [];
    assert.equal(
      reportError(error, (l) => lines.push(l)),
      1,
    );
    assert.match(
      lines.join('\n'),
      new RegExp(
        `another apply holds the lock .*pid 4242 on ${hostname()} since 2025-06-01T10:00:00.000Z \\(run apply-1\\)`,
      ),
    );
    assert.match(lines.join('\n'), /wait for it to finish/);
    assert.equal(readLock(b, APPLY_LOCK)?.runId, 'apply-1', 'the holder keeps it');
    first.release();
    assert.equal(readLock(b, APPLY_LOCK), null, 'released when the run ends');
    const second = holdApplyLock(b, 'apply-2', { note: (l) => notes.push(l), pid: 4343, isAlive: () => true });
    second.release();
    assert.deepEqual(notes, []);
  });

  test('a lock left by a process that no longer runs on this host is taken over, with a note', async () => {
    const gone = sleeper();
    holdApplyLock(a, 'apply-killed', { note: () => undefined, pid: gone.pid, now: NOW });
    assert.throws(
      () => holdApplyLock(b, 'apply-next', { note: () => undefined }),
      new RegExp(`pid ${gone.pid} on ${hostname()}`),
      'refused while that process runs',
    );
    gone.kill();
    await gone.exited;
    assert.equal(processAlive(gone.pid), false);
    const notes: string[] = [];
    const lock = holdApplyLock(b, 'apply-next', { note: (l) => notes.push(l) });
    assert.equal(notes.length, 1);
    assert.match(notes[0], new RegExp(`took over the apply lock left by pid ${gone.pid} .*no longer running`));
    assert.equal(readLock(a, APPLY_LOCK)?.pid, process.pid);
    lock.release();
  });

  test('a lock from another host is never assumed dead, but --break-lock takes it', () => {
    holdApplyLock(a, 'apply-elsewhere', { note: () => undefined, pid: 99999999, host: 'ci-runner-7', now: NOW });
    assert.throws(
      () => holdApplyLock(b, 'apply-here', { note: () => undefined }),
      (e: unknown) => e instanceof CloudError && /ci-runner-7/.test(e.message) && /--break-lock/.test(e.hint ?? ''),
    );
    const notes: string[] = [];
    const lock = holdApplyLock(b, 'apply-here', { breakLock: true, note: (l) => notes.push(l) });
    assert.match(notes.join('\n'), /broke the apply lock held by pid 99999999 on ci-runner-7/);
    lock.release();
  });

  test('release leaves a lock another run has since taken alone', () => {
    const mine = holdApplyLock(a, 'apply-old', { note: () => undefined, pid: 5151, isAlive: () => false });
    const theirs = holdApplyLock(b, 'apply-new', { note: () => undefined, pid: 5252, isAlive: () => false });
    mine.release();
    assert.equal(readLock(a, APPLY_LOCK)?.runId, 'apply-new');
    theirs.release();
    assert.equal(readLock(a, APPLY_LOCK), null);
  });
});
