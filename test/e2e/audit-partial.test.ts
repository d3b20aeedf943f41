import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { sandboxEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

type Summary = {
  findings: { byKind: Record<string, number> };
  accounts: {
    id: string;
    status: string;
    error?: string;
    unread?: { operation: string; code: string; message: string; calls?: number }[];
  }[];
};

describe('audit reads every account completely or says what it could not read', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let management: string;
  let member: string;

  const rule = (body: unknown) =>
    fetch(`${sandbox.info.endpoint}/_sandbox/faults/rules`, { method: 'POST', body: JSON.stringify(body) });
  const audit = async (name: string, ...extra: string[]) => {
    const state = join(dir, `${name}.db`);
    const r = await runInProcess(
      ['audit', '--json', '--no-progress', '--state', state, '--accounts', `${management},${member}`, ...extra],
      env,
    );
    return { r, state, summary: r.status === 0 ? r.json<Summary>() : undefined };
  };

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 3 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-e2e-partial-'));
    env = sandboxEnv(sandbox);
    management = sandbox.manifest.managementAccountId;
    member = sandbox.manifest.accounts.find((a) => a.id !== management)!.id;
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await fetch(`${sandbox.info.endpoint}/_sandbox/faults/rules`, { method: 'DELETE' });
  });

  it('marks an account whose required read is denied as not read, and plan says it plans nothing there', async () => {
    await rule({ service: 'iam', operation: 'GetAccountAuthorizationDetails', account: member, error: 'AccessDenied' });
    const { r, state, summary } = await audit('required');
    assert.equal(r.status, 0, r.stderr);
    const byId = new Map(summary!.accounts.map((a) => [a.id, a]));
    assert.equal(byId.get(management)?.status, 'ok');
    assert.equal(byId.get(member)?.status, 'unreachable');
    assert.match(
      byId.get(member)!.error!,
      new RegExp(`IAM GetAccountAuthorizationDetails in ${member}: HTTP 403 AccessDenied`),
    );
    assert.match(byId.get(member)!.error!, /allow iam:GetAccountAuthorizationDetails/);
    assert.doesNotMatch(byId.get(member)!.error!, /--assume-role names a role/);

    const planFile = join(dir, 'plan.yaml');
    const plan = await runInProcess(['plan', '--state', state, '--out', planFile], env);
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stderr, /problem account.unreachable: .*not read, not planned/);
    assert.match(plan.stderr, new RegExp(`Accounts not fully read in this audit .*: ${member} \\(not read\\)`));
    const text = readFileSync(planFile, 'utf8');
    assert.match(
      text,
      new RegExp(`accountId: "?${member}"?[\\s\\S]*not read, not planned|not read, not planned[\\s\\S]*${member}`),
    );
    const inventory = await runInProcess(['inventory', '--state', state], env);
    assert.equal(inventory.status, 1);
    assert.match(inventory.stderr, /inventory is incomplete \(1 account not fully read\).*--allow-partial/);
  });

  it('still audits every account when an optional read is denied everywhere, with a finding per account', async () => {
    await rule({ service: 'iam', operation: 'ListServiceSpecificCredentials', error: 'AccessDenied' });
    const { r, state, summary } = await audit('optional');
    assert.equal(r.status, 0, r.stderr);
    for (const a of summary!.accounts) {
      assert.equal(a.status, 'partial', a.id);
      assert.deepEqual(
        a.unread?.map((u) => [u.operation, u.code]),
        [['ListServiceSpecificCredentials', 'AccessDenied']],
      );
    }
    assert.equal(summary!.findings.byKind['read-failed'], summary!.accounts.length);
    const inventory = await runInProcess(['inventory', '--json', '--state', state], env);
    assert.equal(inventory.status, 1);
    const body = JSON.parse(inventory.stdout.slice(0, inventory.stdout.lastIndexOf('}') + 1)) as {
      complete: boolean;
      rows: { unknown: string[]; findings: string[] }[];
    };
    assert.equal(body.complete, false);
    assert.ok(body.rows.length > 0 && body.rows.every((row) => row.unknown.includes('serviceSpecificCredentials')));
    const allowed = await runInProcess(['inventory', '--allow-partial', '--state', state], env);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.match(allowed.stderr, /ListServiceSpecificCredentials in \d{12}: HTTP 403 AccessDenied/);
    const report = await runInProcess(['report', '--json', '--state', state, '--out', join(dir, 'report')], env);
    assert.equal(report.status, 0, report.stderr);
    const html = readFileSync(report.json<{ file: string }>().file, 'utf8');
    assert.match(html, /<h2>Not read<\/h2>/);
    assert.match(html, /ListServiceSpecificCredentials in \d{12}: HTTP 403 AccessDenied/);
  });

  it('keeps auditing when CloudTrail LookupEvents is denied under --activity, and stops asking after the denial', async () => {
    await rule({ service: 'cloudtrail', operation: 'LookupEvents', error: 'AccessDeniedException' });
    const { r, summary } = await audit('activity', '--activity');
    assert.equal(r.status, 0, r.stderr);
    const asked = summary!.accounts.filter((a) => a.status === 'partial');
    assert.ok(asked.length > 0, 'some account has users whose keys are in use');
    for (const a of asked) {
      assert.deepEqual(
        a.unread?.map((u) => [u.operation, u.code]),
        [['LookupEvents', 'AccessDeniedException']],
      );
      assert.equal(a.unread?.[0]?.calls, 1, 'one denied call per account, not one per user');
    }
    assert.ok(summary!.accounts.every((a) => a.status !== 'unreachable'));
  });

  it('names service, operation, account and status for an HTML 503 and a reset connection', async () => {
    await rule({ service: 'iam', operation: 'GetAccountAuthorizationDetails', account: member, error: 'html503' });
    await rule({ service: 'iam', operation: 'ListSAMLProviders', account: management, error: 'reset' });
    const { r, summary } = await audit('transport');
    assert.equal(r.status, 0, r.stderr);
    const byId = new Map(summary!.accounts.map((a) => [a.id, a]));
    assert.match(
      byId.get(member)!.error!,
      new RegExp(`IAM GetAccountAuthorizationDetails in ${member}: HTTP 503 \\(non-XML body\\)`),
    );
    const reset = byId.get(management)!;
    assert.equal(reset.status, 'partial');
    assert.match(
      reset.unread![0].message,
      new RegExp(`IAM ListSAMLProviders in ${management}: the connection was reset \\(ECONNRESET\\)`),
    );
  });
});
