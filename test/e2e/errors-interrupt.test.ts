import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { iam2ssoArgv, sandboxEnv } from '../helpers/cli.js';

describe('Ctrl-C during a command that only reads', () => {
  let sandbox: RunningSandbox;
  let dir: string;

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 4, accounts: 1, usersPerAccount: 2 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-sigint-'));
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says "cancelled, nothing changed", exits 130 and stores nothing', async () => {
    const rules = `${sandbox.info.endpoint}/_sandbox/faults/rules`;
    // The audit's first IAM read never answers, so the interrupt surely lands in the middle of the audit.
    await fetch(rules, { method: 'POST', body: JSON.stringify({ service: 'iam', operation: '*', error: 'timeout' }) });
    const state = join(dir, 'state.db');
    const child = spawn(process.execPath, iam2ssoArgv(['audit', '--state', state]), {
      env: sandboxEnv(sandbox),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    for (let i = 0; i < 600; i++) {
      const listed = (await (await fetch(rules)).json()) as { rules: { hits: number }[] };
      if (listed.rules[0].hits > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.match(stderr, /cancelled, nothing changed/);
    assert.doesNotMatch(stderr, /hit a bug|\n\s+at /);
    assert.equal(existsSync(state), false, 'no state database was written');
    await fetch(rules, { method: 'DELETE' });
  });
});
