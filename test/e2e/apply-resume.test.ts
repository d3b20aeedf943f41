import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DescribePermissionSetCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import Database from 'better-sqlite3';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { assertExact } from '../apply/exact.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';

// Twenty kills at random moments, each followed by a resume; IAM2SSO_KILLS changes the count for a longer soak.
const KILLS = Number(process.env.IAM2SSO_KILLS ?? 20);

/** Flips the first permission set's session duration between PT1H and PT2H in the plan file. */
function toggleFirstSessionDuration(planPath: string): void {
  const text = readFileSync(planPath, 'utf8');
  const next = text.replace(/^(\s+sessionDuration: )PT([12])H$/m, (_m, lead: string, hours: string) =>
    hours === '1' ? `${lead}PT2H` : `${lead}PT1H`,
  );
  writeFileSync(planPath, next);
}

function killAfter(w: ApplyWorld, ms: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve) => {
    const child = w.spawnApply();
    let done = false;
    const timer = setTimeout(() => {
      if (!done) child.kill('SIGKILL');
    }, ms);
    child.on('exit', (_code, signal) => {
      done = true;
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : 'finished');
    });
  });
}

describe('iam2sso apply killed with SIGKILL at random points', () => {
  let w: ApplyWorld;
  before(async () => {
    w = await startApplyWorld();
    // Slow the clouds down so kills land in the middle of the work, not before or after it.
    w.sandbox.world.faults = { ...w.sandbox.world.faults, latencyMs: 12 };
    w.sandbox.world.sso!.asyncDelayMs = 250;
  });
  after(async () => {
    await w?.close();
  });

  it('resumes and finishes with no duplicate and nothing skipped', async (t) => {
    const outcomes: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const outcome = await killAfter(w, 1500 + Math.floor(Math.random() * 4000));
      outcomes.push(outcome);
      // A run that got to the end leaves nothing to do: edit the plan, as a reviewer would, so the next kill
      // lands in the middle of real changes again (a session duration, which updates and re-provisions).
      if (outcome === 'finished') toggleFirstSessionDuration(w.planPath);
    }
    t.diagnostic(`runs: ${outcomes.join(' ')}`);
    assert.ok(outcomes.includes('killed'), `some runs were killed: ${outcomes}`);
    const r = await w.apply(['--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json<{ failed: unknown[] }>().failed, []);
    await assertExact(w, { cli: false });
    const planned = w.plan().permissionSets;
    const sso = new SSOAdminClient(sdkConfig(w.sandbox));
    const instanceArn = w.sandbox.world.sso!.instanceArn;
    for (const arn of w.sandbox.world.sso!.permissionSets.keys()) {
      const { PermissionSet } = await sso.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
      );
      const want = planned.find((p) => p.name === PermissionSet?.Name);
      if (want) assert.equal(PermissionSet?.SessionDuration, want.sessionDuration, `session of ${want.name}`);
    }
    const again = await w.apply(['--json']);
    const report = again.json<{ created: string[]; updated: string[]; deleted: string[] }>();
    assert.deepEqual([report.created, report.updated, report.deleted], [[], [], []]);
    const db = new Database(w.statePath, { readonly: true });
    try {
      const open = db
        .prepare("SELECT COUNT(*) AS n FROM apply_journal WHERE status IN ('intent', 'submitted')")
        .get() as {
        n: number;
      };
      assert.equal(open.n, 0, 'every journal entry a killed run left open was settled');
      const created = db
        .prepare(
          "SELECT step_id, COUNT(*) AS n FROM apply_journal WHERE kind = 'ps.create' AND status = 'done' GROUP BY step_id HAVING n > 1",
        )
        .all();
      assert.deepEqual(created, [], 'no permission set was created twice');
    } finally {
      db.close();
    }
  });
});
