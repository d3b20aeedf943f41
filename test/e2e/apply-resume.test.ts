import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DescribePermissionSetCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import Database from 'better-sqlite3';
import { sdkConfig } from '../../packages/sandbox/test/helpers/sandbox.js';
import { assertExact } from '../apply/exact.js';
import { type ApplyWorld, startApplyWorld } from '../apply/kit.js';
import { runIam2sso } from '../helpers/cli.js';
import { soakPoints } from '../helpers/kill-soak.js';

// Kills at chosen journal states, then seeded random ones: IAM2SSO_KILLS (default 1) and IAM2SSO_SOAK_SEED for a
// longer soak (e.g. IAM2SSO_KILLS=20).
const CHOSEN = ['intent:1', 'intent:6', 'submitted:1', 'result:3', 'submitted:4', 'result:12'];

/** Flips the first permission set's session duration between PT1H and PT2H in the plan file. */
function toggleFirstSessionDuration(planPath: string): void {
  const text = readFileSync(planPath, 'utf8');
  const next = text.replace(/^(\s+sessionDuration: )PT([12])H$/m, (_m, lead: string, hours: string) =>
    hours === '1' ? `${lead}PT2H` : `${lead}PT1H`,
  );
  writeFileSync(planPath, next);
}

function journal(w: ApplyWorld) {
  const db = new Database(w.statePath, { readonly: true });
  try {
    const open = (
      db.prepare("SELECT COUNT(*) AS n FROM apply_journal WHERE status IN ('intent', 'submitted')").get() as {
        n: number;
      }
    ).n;
    const runs = db.prepare('SELECT run_id, command, status, target_run_id FROM runs ORDER BY started_at').all() as {
      run_id: string;
      command: string;
      status: string;
    }[];
    const twice = db
      .prepare(
        "SELECT step_id, COUNT(*) AS n FROM apply_journal WHERE kind = 'ps.create' AND status = 'done' GROUP BY step_id HAVING n > 1",
      )
      .all();
    return { open, runs, twice };
  } finally {
    db.close();
  }
}

describe('apply and rollback killed with SIGKILL at chosen journal states and at random', () => {
  let w: ApplyWorld;
  const cli = (args: string[], extra: Record<string, string> = {}) => runIam2sso(args, { ...w.env, ...extra }, 300_000);
  const applyArgs = () => ['apply', '--auto-approve', '--plan', w.planPath, '--state', w.statePath, '--json'];
  before(async () => {
    w = await startApplyWorld();
    w.sandbox.world.faults = { ...w.sandbox.world.faults, latencyMs: 5 };
    w.sandbox.world.sso!.asyncDelayMs = 150;
  });
  after(async () => {
    await w?.close();
  });

  it('apply resumes after every kill to the exact plan: nothing done twice, nothing skipped', async (t) => {
    const points = soakPoints(CHOSEN, { states: ['intent', 'result'], upTo: 30, randomKills: 1 });
    let leftBehind = 0;
    const outcomes: string[] = [];
    for (const point of points) {
      const r = await cli(applyArgs(), { IAM2SSO_KILL_AT: point });
      const killed = r.status === -1;
      outcomes.push(`${point}=${killed ? 'killed' : r.status}`);
      if (killed && journal(w).open > 0) leftBehind++;
      // A run that got to the end leaves nothing to do: edit the plan so the next kill lands in real changes.
      if (!killed) toggleFirstSessionDuration(w.planPath);
    }
    t.diagnostic(`kills: ${outcomes.join(' ')}; ${leftBehind} left open journal entries behind`);
    assert.ok(leftBehind >= 3, `kills left work behind: ${outcomes}`);
    const r = await cli(applyArgs());
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.json<{ failed: unknown[] }>().failed, []);
    await assertExact(w, { cli: false });
    const planned = w.plan().permissionSets;
    const sso = new SSOAdminClient(sdkConfig(w.sandbox));
    for (const arn of w.sandbox.world.sso!.permissionSets.keys()) {
      const { PermissionSet } = await sso.send(
        new DescribePermissionSetCommand({ InstanceArn: w.sandbox.world.sso!.instanceArn, PermissionSetArn: arn }),
      );
      const want = planned.find((p) => p.name === PermissionSet?.Name);
      if (want) assert.equal(PermissionSet?.SessionDuration, want.sessionDuration, `session of ${want.name}`);
    }
    sso.destroy();
    const again = await cli(applyArgs());
    const report = again.json<{ created: string[]; updated: string[]; deleted: string[] }>();
    assert.deepEqual([report.created, report.updated, report.deleted], [[], [], []]);
    const j = journal(w);
    assert.equal(j.open, 0, 'every journal entry a killed run left open was settled');
    assert.deepEqual(j.twice, [], 'no permission set was created twice');
  });

  it('rollback of a run, killed after its first intent, resumes and restores the state before the run', async () => {
    const ps = w.plan().permissionSets[0];
    const sessionBefore = ps.sessionDuration;
    toggleFirstSessionDuration(w.planPath);
    const changed = await cli(applyArgs());
    assert.equal(changed.status, 0, changed.stderr);
    const runs = await cli(['runs', '--json', '--state', w.statePath]);
    const applied = runs.json<{ runId: string; command: string; status: string }[]>().at(-1)!;
    assert.equal(applied.command, 'apply');
    const args = ['rollback', applied.runId, '--auto-approve', '--json', '--state', w.statePath];
    const killed = await cli(args, { IAM2SSO_KILL_AT: 'intent:1' });
    assert.ok(killed.status === -1, `rollback was killed: ${killed.stderr}`);
    const resumed = await cli(args);
    assert.equal(resumed.status, 0, resumed.stderr);
    const live = [...w.sandbox.world.sso!.permissionSets.values()].find((p) => p.name === ps.name)!;
    assert.equal(live.sessionDuration, sessionBefore, 'the session duration is back to what it was before the run');
    const listed = (await cli(['runs', '--json', '--state', w.statePath])).json<
      { command: string; status: string }[]
    >();
    assert.ok(listed.some((r) => r.command === 'rollback' && r.status === 'done'));
    assert.equal(journal(w).open, 0);
  });
});
