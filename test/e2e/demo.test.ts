import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DemoSummary } from '../../src/cli/demo-summary.js';
import { runIam2sso } from '../helpers/cli.js';

describe('iam2sso demo', () => {
  it('runs audit, plan, entra setup, apply and sync on its own sandbox, again in the directory of an earlier run, and names the report and who can sign in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam2sso-demo-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1' };
    // What an earlier run leaves (its state belongs to a sandbox that is gone): a re-run replaces it.
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, '.iam2sso-demo'), '');
    writeFileSync(join(out, 'state.db'), Buffer.alloc(4096, 1));
    writeFileSync(join(out, 'migration-plan.yaml'), 'formatVersion: 1\nleft: over\n');
    const r = await runIam2sso(['demo', '--dir', out, '--json'], env, 400_000);
    assert.equal(r.status, 0, r.stderr);
    const summary = r.json<DemoSummary>();
    assert.deepEqual(
      summary.steps.map((s) => [s.step, s.ok]),
      [
        ['audit', true],
        ['report', true],
        ['plan', true],
        ['entra setup', true],
        ['apply', true],
        ['sync', true],
      ],
    );
    assert.ok(summary.report && existsSync(summary.report), 'the HTML report exists where the summary says');
    assert.match(readFileSync(summary.report!, 'utf8'), /<html/i);
    assert.ok(summary.found.users > 0);
    assert.ok(summary.created.permissionSets > 0 && summary.created.assignments > 0);
    assert.ok(summary.canSignIn.length > 0, 'at least one person can sign in');
    assert.match(summary.canSignIn[0].userName, /@/);
    assert.ok(summary.canSignIn[0].access.length > 0);
    const blocked = new Set(summary.blocked.map((b) => b.userName));
    assert.ok(
      summary.canSignIn.every((p) => !blocked.has(p.userName)),
      'nobody is both able and blocked',
    );
    assert.match(r.stderr, /== sync:/, 'progress of every step streams on stderr');
  });
});
