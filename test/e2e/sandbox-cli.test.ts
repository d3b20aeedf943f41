import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

type Started = { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> };

/** Starts `iam2sso sandbox up ...` as a separate process, exactly as a user would. */
function startCli(args: string[]): Started {
  const child = spawn(
    process.execPath,
    ['--conditions=iam2sso-source', '--import', 'tsx', 'src/cli/main.ts', 'sandbox', 'up', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined, started: Started, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (started.child.exitCode !== null) throw new Error(`sandbox exited early: ${started.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${started.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 15_000);
  const code = await started.exited;
  clearTimeout(timer);
  return code;
}

type Info = {
  endpoint: string;
  region: string;
  managementAccountId: string;
  accounts: { id: string; name: string; email: string }[];
  credentials: { accessKeyId: string; secretAccessKey: string };
};

describe('iam2sso sandbox up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-up-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the info file once serving, answers real clients, and exits 0 on SIGTERM', async () => {
    const infoFile = join(dir, 'info.json');
    const started = startCli(['--port', '0', '--info-file', infoFile, '--scenario', 'small', '--seed', '4']);
    try {
      const info = await waitFor(
        'the info file',
        () => (existsSync(infoFile) ? (JSON.parse(readFileSync(infoFile, 'utf8')) as Info) : undefined),
        started,
      );
      for (const key of ['endpoint', 'region', 'managementAccountId', 'accounts', 'credentials'])
        assert.ok(key in info, `the info file has ${key}`);
      assert.equal(statSync(infoFile).mode & 0o777, 0o600, 'the info file holds a secret: owner only');
      assert.match(info.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(info.region, 'us-east-1');
      assert.match(info.managementAccountId, /^\d{12}$/);
      assert.equal(info.accounts.length, 4);
      for (const a of info.accounts) {
        assert.deepEqual(Object.keys(a).sort(), ['email', 'id', 'name']);
        assert.match(a.id, /^\d{12}$/);
        assert.match(a.email, /@/);
      }
      assert.ok(info.accounts.some((a) => a.id === info.managementAccountId));
      assert.match(info.credentials.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(info.credentials.secretAccessKey.length, 40);

      const config = { endpoint: info.endpoint, region: info.region, credentials: info.credentials, maxAttempts: 1 };
      const id = await new STSClient(config).send(new GetCallerIdentityCommand({}));
      assert.equal(id.Arn, `arn:aws:iam::${info.managementAccountId}:user/sandbox-operator`);
      const users = await new IAMClient(config).send(new ListUsersCommand({ MaxItems: 100 }));
      assert.ok((users.Users ?? []).length >= 15, 'the management account holds the generated users');
      assert.ok(users.Users?.some((u) => u.UserName === 'breakglass-admin'));
    } finally {
      assert.equal(await stop(started), 0, started.stderr());
    }
  });

  it('prints export lines a shell can eval when there is no info file', async () => {
    const started = startCli(['--port', '0', '--scenario', 'small', '--accounts', '2', '--users-per-account', '3']);
    try {
      const env = await waitFor(
        'export lines',
        () => {
          const lines = started.stdout().split('\n');
          if (!lines.some((l) => l.startsWith('export NODE_EXTRA_CA_CERTS='))) return undefined;
          return Object.fromEntries(
            lines.filter((l) => l.startsWith('export ')).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2)),
          ) as Record<string, string>;
        },
        started,
      );
      assert.deepEqual(Object.keys(env).sort(), [
        'AWS_ACCESS_KEY_ID',
        'AWS_DEFAULT_REGION',
        'AWS_ENDPOINT_URL',
        'AWS_REGION',
        'AWS_SECRET_ACCESS_KEY',
        'AZURE_AUTHORITY_HOST',
        'AZURE_CLIENT_ID',
        'AZURE_CLIENT_SECRET',
        'AZURE_TENANT_ID',
        'IAM2SSO_GRAPH_ENDPOINT',
        'NODE_EXTRA_CA_CERTS',
      ]);
      assert.match(readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'), /^-----BEGIN CERTIFICATE-----/);
      assert.match(env.AZURE_AUTHORITY_HOST, /^https:\/\/127\.0\.0\.1:\d+$/);
      const sts = new STSClient({
        endpoint: env.AWS_ENDPOINT_URL,
        region: env.AWS_REGION,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
        maxAttempts: 1,
      });
      const id = await sts.send(new GetCallerIdentityCommand({}));
      assert.match(id.Account ?? '', /^\d{12}$/);
      assert.match(started.stderr(), /2 accounts/);
    } finally {
      assert.equal(await stop(started), 0, started.stderr());
    }
  });

  it('refuses a bad scenario file with its line and a non-zero exit, without serving', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'accounts:\n  - name: a\n    users:\n      - name: x\n        category: robot\n');
    const started = startCli(['--port', '0', '--scenario', bad]);
    const code = await started.exited;
    assert.equal(code, 1);
    assert.ok(started.stderr().includes(`${bad}:5:`), started.stderr());
  });
});
