import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { storedRows } from '../helpers/audit-store.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

describe('iam2sso audit under injected throttling', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 5 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-e2e-throttle-'));
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function audit(name: string, accounts: string) {
    const state = join(dir, `${name}.db`);
    // --key-ids adds a call per user with keys, so enough calls are made that some are surely throttled.
    const r = await runIam2sso(['audit', '--json', '--key-ids', '--state', state, '--accounts', accounts], env);
    assert.equal(r.status, 0, r.stderr);
    return { summary: r.json<{ retries: number; accounts: { status: string }[] }>(), rows: await storedRows(state) };
  }

  it('completes with the same result when 30% of calls are throttled', async () => {
    // One member account (reached through AssumeRole): throttled discovery, role, report and per-user calls.
    // The SDK's adaptive mode slows right down after throttles, so one account keeps the test short.
    const member = sandbox.manifest.accounts.find((a) => a.id !== sandbox.manifest.managementAccountId)!;
    const accounts = member.id;
    const calm = await audit('calm', accounts);
    sandbox.world.faults = { ...sandbox.world.faults, throttleRate: 0.3 };
    try {
      const stormy = await audit('stormy', accounts);
      assert.ok(stormy.summary.retries > 0, 'some calls were throttled and retried');
      assert.deepEqual(
        stormy.summary.accounts.map((a) => a.status),
        ['ok'],
      );
      const view = (rows: Awaited<ReturnType<typeof storedRows>>) =>
        rows.map((r) => [r.accountId, r.userName, r.category, [...r.findings].sort(), r.accessKeys.map((k) => k.id)]);
      assert.ok(calm.rows.length > 10);
      assert.deepEqual(view(stormy.rows), view(calm.rows));
    } finally {
      sandbox.world.faults = { ...sandbox.world.faults, throttleRate: 0 };
    }
  });
});
