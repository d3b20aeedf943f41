import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Io } from '../../src/cli/io.js';
import { AccountProgress } from '../../src/cli/progress.js';

function fakeIo(isTty: boolean): Io & { errors: string[] } {
  const errors: string[] = [];
  return { out: () => {}, err: (t) => errors.push(t), isTty, errors };
}

describe('per-account progress on stderr', () => {
  it('prints one plain line per finished account when stderr is not a terminal', () => {
    const io = fakeIo(false);
    const p = new AccountProgress(io);
    p.start(2);
    p.update('1', 'prod 1', 'users', 3, 10);
    p.finish('1', 'prod 1: 10 users');
    p.finish('2', 'dev 2: UNREACHABLE AccessDenied');
    assert.deepEqual(io.errors, ['[1/2] prod 1: 10 users', '[2/2] dev 2: UNREACHABLE AccessDenied']);
    assert.ok(
      io.errors.every((l) => !l.includes('\x1b')),
      'no escape codes in logs',
    );
  });

  it('redraws the bars in place on a terminal and leaves finished accounts above', () => {
    const io = fakeIo(true);
    const p = new AccountProgress(io);
    p.start(2);
    p.update('1', 'prod 1', 'users', 5, 10);
    assert.match(io.errors[0], /prod 1\s+\[#{10}\.{10}\] users 5\/10\n0\/2 accounts done\n$/);
    p.finish('1', 'prod 1: 10 users');
    const last = io.errors.at(-1)!;
    assert.ok(last.startsWith('\x1b[2A\x1b[0J'), 'moves up over the two lines it drew and clears them');
    assert.match(last, /prod 1: 10 users\n1\/2 accounts done\n$/);
    p.close();
    assert.equal(io.errors.at(-1), '\x1b[1A\x1b[0J1/2 accounts done\n');
  });

  it('stays silent with --no-progress', () => {
    const io = fakeIo(true);
    const p = new AccountProgress(io, false);
    p.start(1);
    p.update('1', 'a', 'users', 1, 2);
    p.finish('1', 'done');
    p.close();
    assert.deepEqual(io.errors, []);
  });
});
