import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DemoSummary } from '../../src/cli/demo-summary.js';
import { runIam2sso } from '../helpers/cli.js';

describe('iam2sso demo', () => {
  it('runs audit, plan, apply and sync on its own sandbox and names the report and who can sign in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam2sso-demo-'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1' };
    const r = await runIam2sso(['demo', '--dir', join(dir, 'out'), '--json'], env, 300_000);
    assert.equal(r.status, 0, r.stderr);
    const summary = r.json<DemoSummary>();
    assert.deepEqual(
      summary.steps.map((s) => [s.step, s.ok]),
      [
        ['audit', true],
        ['report', true],
        ['plan', true],
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
    assert.match(r.stderr, /== sync:/, 'progress of every step streams on stderr');
  });
});
