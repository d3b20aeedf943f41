import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { storedRows, storedSnapshot } from '../helpers/audit-store.js';
import { runIam2sso, sandboxEnv } from '../helpers/cli.js';

type AuditJson = {
  runId: string;
  accounts: { id: string; name: string; status: string; users: number; error?: string }[];
  users: number;
  byCategory: Record<string, number>;
  findings: { total: number; byKind: Record<string, number> };
  apiCalls: number;
  retries: number;
  durationMs: number;
};

describe('iam2sso audit against the sandbox organization', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let env: Record<string, string>;
  let n = 0;
  const state = () => join(dir, `state-${++n}.db`);

  async function audit(args: string[], statePath = state()) {
    const r = await runIam2sso(['audit', '--json', '--state', statePath, ...args], env);
    assert.equal(r.status, 0, r.stderr);
    return { summary: r.json<AuditJson>(), rows: await storedRows(statePath), stderr: r.stderr, statePath };
  }

  before(async () => {
    sandbox = await startTestSandbox({ scenario: 'small', seed: 3 });
    dir = mkdtempSync(join(tmpdir(), 'iam2sso-e2e-audit-'));
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every user, agrees with the intended categories, and reports each finding exactly where it belongs', async () => {
    const { summary, rows, statePath } = await audit(['--activity']);
    const manifest = sandbox.manifest;
    assert.equal(summary.accounts.length, manifest.accounts.length);
    assert.ok(summary.accounts.every((a) => a.status === 'ok'));
    assert.equal(summary.users, manifest.users.length);
    const byKey = new Map(rows.map((r) => [`${r.accountId}/${r.userName}`, r]));
    let agree = 0;
    for (const u of manifest.users) {
      const row = byKey.get(`${u.accountId}/${u.userName}`);
      assert.ok(row, `user ${u.userName} in ${u.accountId} was found`);
      if (row.category === u.category) agree++;
      const kinds = [...new Set(row.findings.map((f) => f.split(':')[0]))].sort();
      assert.deepEqual(kinds, [...u.traits].sort(), `findings of ${u.userName}`);
    }
    assert.ok(agree / manifest.users.length >= 0.95, `${agree} of ${manifest.users.length} categories agree`);
    // Every account holds AWS's service-linked roles (AWSServiceRoleForSSO, ...): they are not the customer's.
    assert.ok(sandbox.world.account(manifest.managementAccountId).iam.roles.has('AWSServiceRoleForSSO'));
    const snapshot = await storedSnapshot(statePath);
    for (const account of snapshot.accounts)
      assert.deepEqual(
        account.roles.filter((r) => r.arn.includes(':role/aws-service-role/')),
        [],
        `service-linked roles kept out of ${account.accountId}`,
      );
    const rootKinds = (kind: string) => summary.findings.byKind[kind] ?? 0;
    assert.equal(
      rootKinds('root-access-keys'),
      manifest.accounts.filter((a) => a.rootTraits.includes('root-access-keys')).length,
    );
    assert.equal(
      rootKinds('root-without-mfa'),
      manifest.accounts.filter((a) => a.rootTraits.includes('root-without-mfa')).length,
    );
    assert.ok(summary.apiCalls > 0 && summary.durationMs > 0);
    assert.equal(
      Object.values(summary.byCategory).reduce((a, b) => a + b, 0),
      summary.users,
    );
  });

  it('reports an account it cannot reach, with the reason, while the others complete', async () => {
    const member = sandbox.manifest.accounts.find((a) => a.id !== sandbox.manifest.managementAccountId)!;
    const iam = sandbox.world.account(member.id).iam;
    const role = iam.roles.get('OrganizationAccountAccessRole')!;
    iam.roles.delete('OrganizationAccountAccessRole');
    try {
      const { summary } = await audit([]);
      const gone = summary.accounts.find((a) => a.id === member.id)!;
      assert.equal(gone.status, 'unreachable');
      assert.match(gone.error ?? '', /OrganizationAccountAccessRole.*AccessDenied/);
      for (const a of summary.accounts.filter((x) => x.id !== member.id)) {
        assert.equal(a.status, 'ok');
        assert.equal(a.users, sandbox.manifest.users.filter((u) => u.accountId === a.id).length);
      }
    } finally {
      iam.roles.set('OrganizationAccountAccessRole', role);
    }
  });

  it('audits just the account of the credentials when they cannot list the organization', async () => {
    const member = sandbox.manifest.accounts.find((a) => a.id !== sandbox.manifest.managementAccountId)!;
    const user = sandbox.manifest.users.find((u) => u.accountId === member.id)!;
    const iamUser = sandbox.world.account(member.id).iam.users.get(user.userName)!;
    const key = sandbox.world.issueAccessKey(member.id, user.userName, sandbox.world.clock.now());
    iamUser.accessKeys.push(key);
    // The user may read IAM (the sandbox authorizes every call) but nothing in Organizations.
    const readOnly = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
    const hadReadOnly = iamUser.attachedPolicies.includes(readOnly);
    if (!hadReadOnly) iamUser.attachedPolicies.push(readOnly);
    sandbox.world.authzGeneration++;
    try {
      const memberEnv = { ...env, AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey };
      const r = await runIam2sso(['audit', '--json', '--state', state()], memberEnv);
      assert.equal(r.status, 0, r.stderr);
      const summary = r.json<AuditJson>();
      assert.deepEqual(
        summary.accounts.map((a) => [a.id, a.status]),
        [[member.id, 'ok']],
      );
      assert.equal(summary.users, sandbox.manifest.users.filter((u) => u.accountId === member.id).length);
      assert.match(r.stderr, /not allowed to list the organization/);
    } finally {
      iamUser.accessKeys.splice(iamUser.accessKeys.indexOf(key), 1);
      if (!hadReadOnly) iamUser.attachedPolicies.splice(iamUser.attachedPolicies.indexOf(readOnly), 1);
      sandbox.world.authzGeneration++;
    }
  });

  it('audits only the accounts named with --accounts, and prints a summary table without --json', async () => {
    const member = sandbox.manifest.accounts.find((a) => a.id !== sandbox.manifest.managementAccountId)!;
    const r = await runIam2sso(['audit', '--accounts', member.id, '--state', state()], env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${member.id}\\s+${member.name}\\s+ok`));
    assert.doesNotMatch(r.stdout, new RegExp(sandbox.manifest.managementAccountId));
    assert.match(r.stderr, new RegExp(`${member.name} ${member.id}: \\d+ users`));
    const bad = await runIam2sso(['audit', '--accounts', 'abc'], env);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--accounts takes 12-digit account ids/);
  });
});
