/**
 * Bad input and ordinary trouble, each with its one-line message and exit code, and nothing changed: run
 * in-process through runCli (fast), against one sandbox for the cases that reach a cloud.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningSandbox } from '@iam2sso/sandbox';
import Database from 'better-sqlite3';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { recognise } from '../../src/cli/error-conditions.js';
import { reportError } from '../../src/errors.js';
import { sandboxEnv } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

type Case = {
  name: string;
  args: (d: Dirs) => string[];
  env?: (d: Dirs) => Record<string, string>;
  /** Fault rules in force while the case runs. */
  faults?: unknown[];
  status: number;
  message: RegExp;
};
type Dirs = {
  dir: string;
  state: string;
  sandbox: RunningSandbox;
  env: Record<string, string>;
  /** A port something listens on (and never answers). */
  port: number;
  /** A port nothing listens on. */
  closedPort: number;
};

/** Every file under dir with its size and modification time: what "nothing changed" compares. */
function listing(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const s = statSync(join(dir, name));
    out.push(`${name} ${s.isDirectory() ? 'dir' : `${s.size} ${s.mtimeMs}`}`);
  }
  return out.sort();
}

const CASES: Case[] = [
  // Flags (usage errors, exit 2).
  {
    name: 'an 11-digit account id',
    args: () => ['audit', '--accounts', '12345678901'],
    status: 2,
    message: /--accounts takes 12-digit account ids/,
  },
  {
    name: 'concurrency 0',
    args: () => ['audit', '--concurrency', '0'],
    status: 2,
    message: /--concurrency takes a whole number from 1 to 64, not "0"/,
  },
  {
    name: 'concurrency not a number',
    args: () => ['audit', '--concurrency', 'many'],
    status: 2,
    message: /--concurrency takes a whole number/,
  },
  {
    name: 'activity days beyond 90',
    args: () => ['audit', '--activity-days', '91'],
    status: 2,
    message: /--activity-days takes a whole number from 1 to 90/,
  },
  {
    name: 'an endpoint that is not a URL',
    args: () => ['audit', '--endpoint-url', 'localhost4566'],
    status: 2,
    message: /--endpoint-url takes a full http\(s\) URL .*not "localhost4566"/,
  },
  {
    name: 'an ftp endpoint',
    args: () => ['audit', '--endpoint-url', 'ftp://example.com'],
    status: 2,
    message: /--endpoint-url takes a full http\(s\) URL/,
  },
  {
    name: 'an unknown inventory format',
    args: (d) => ['inventory', '--state', d.state, '--format', 'pdf'],
    status: 2,
    message: /--format takes table, json, csv or xlsx, not "pdf"/,
  },
  {
    name: 'xlsx without --out',
    args: (d) => ['inventory', '--state', d.state, '--format', 'xlsx'],
    status: 2,
    message: /--format xlsx needs --out FILE/,
  },
  {
    name: 'inventory with no state database',
    args: (d) => ['inventory', '--state', join(d.dir, 'none.db')],
    status: 2,
    message: /no state database at .*none\.db: run `iam2sso audit` first/,
  },
  {
    name: 'report with no state database',
    args: (d) => ['report', '--state', join(d.dir, 'none.db'), '--out', join(d.dir, 'r')],
    status: 2,
    message: /no state database at/,
  },
  {
    name: 'plan with no state database',
    args: (d) => ['plan', '--state', join(d.dir, 'none.db'), '--out', join(d.dir, 'p.yaml')],
    status: 2,
    message: /no state database at/,
  },
  {
    name: 'an audit run that does not exist',
    args: (d) => ['inventory', '--state', d.state, '--run', 'audit-nope'],
    status: 2,
    message: /no audit run audit-nope in/,
  },
  {
    name: 'a --fault rule without =',
    args: () => ['sandbox', 'up', '--port', '0', '--fault', 'iam:ListUsers'],
    status: 2,
    message: /--fault: "iam:ListUsers" is not service:operation\[:account\]=error\[xCOUNT\]/,
  },
  {
    name: 'a --fault rule with count 0',
    args: () => ['sandbox', 'up', '--port', '0', '--fault', 'iam:ListUsers=AccessDeniedx0'],
    status: 2,
    message: /--fault: count is a whole number of calls/,
  },
  {
    name: 'a port out of range',
    args: () => ['sandbox', 'up', '--port', '70000'],
    status: 2,
    message: /--port takes a whole number from 0 to 65535/,
  },
  {
    name: 'a throttle rate above 1',
    args: () => ['sandbox', 'up', '--throttle-rate', '2'],
    status: 2,
    message: /--throttle-rate takes a number from 0 to 1/,
  },
  {
    name: 'an unknown scenario',
    args: () => ['sandbox', 'up', '--scenario', 'huge'],
    status: 2,
    message: /--scenario takes small, medium, large or the path of a YAML file, not "huge"/,
  },
  { name: 'an unknown command', args: () => ['audti'], status: 2, message: /unknown command 'audti'/ },
  {
    name: 'an unknown flag',
    args: () => ['audit', '--acounts', '1'],
    status: 2,
    message: /unknown option '--acounts'/,
  },
  // Files: directories where files go, missing directories, a full disk, damaged databases.
  {
    name: 'a directory as inventory --out',
    args: (d) => ['inventory', '--state', d.state, '--format', 'csv', '--out', join(d.dir, 'adir'), '--allow-partial'],
    status: 2,
    message: /adir is a directory, not a file: give the path of a file/,
  },
  {
    name: 'a directory as plan --out',
    args: (d) => ['plan', '--state', d.state, '--out', join(d.dir, 'adir')],
    status: 2,
    message: /--out .*adir is a directory: give the path of the plan file/,
  },
  {
    name: 'a directory as --config',
    args: (d) => ['plan', '--state', d.state, '--config', join(d.dir, 'adir'), '--out', join(d.dir, 'p.yaml')],
    status: 2,
    message: /--config .*adir is a directory, not a file/,
  },
  {
    name: 'a directory as --mapping',
    args: (d) => ['plan', '--state', d.state, '--mapping', join(d.dir, 'adir'), '--out', join(d.dir, 'p.yaml')],
    status: 2,
    message: /adir is a directory, not a file/,
  },
  {
    name: 'a directory as --state',
    args: (d) => ['inventory', '--state', join(d.dir, 'adir')],
    status: 1,
    message: /cannot open the state database .*adir: give --state the path of a file/,
  },
  {
    name: 'a file as report --out',
    args: (d) => ['report', '--state', d.state, '--out', join(d.dir, 'afile.txt')],
    status: 2,
    message: /afile\.txt already exists and is not a directory/,
  },
  {
    name: 'a file as demo --dir',
    args: (d) => ['demo', '--dir', join(d.dir, 'afile.txt')],
    status: 2,
    message: /afile\.txt already exists and is not a directory|afile\.txt is a file/,
  },
  {
    name: 'a demo --dir that holds other files',
    args: (d) => ['demo', '--dir', d.dir],
    status: 2,
    message: /is not empty and was not made by iam2sso demo: choose another --dir/,
  },
  {
    name: 'an output directory that does not exist',
    args: (d) => [
      'inventory',
      '--state',
      d.state,
      '--format',
      'csv',
      '--out',
      join(d.dir, 'no', 'x.csv'),
      '--allow-partial',
    ],
    status: 2,
    message: /no\/x\.csv does not exist: check the path/,
  },
  {
    name: 'a full disk',
    args: (d) => ['inventory', '--state', d.state, '--format', 'csv', '--out', '/dev/full', '--allow-partial'],
    status: 1,
    message: /no space left on the device writing \/dev\/full: free some disk space/,
  },
  {
    name: 'a state file that is not a database',
    args: (d) => ['inventory', '--state', join(d.dir, 'garbage.db')],
    status: 1,
    message: /the state database .*garbage\.db is damaged or is not an iam2sso database: move it aside/,
  },
  {
    name: 'a state database from a newer iam2sso',
    args: (d) => ['inventory', '--state', join(d.dir, 'future.db')],
    status: 1,
    message: /schema version 999, newer than this iam2sso knows .*: upgrade iam2sso/,
  },
  {
    name: 'a YAML alias bomb as a scenario',
    args: (d) => ['sandbox', 'manifest', '--scenario', join(d.dir, 'bomb.yaml')],
    status: 1,
    message: /bomb\.yaml expands too many aliases \(refused: it could exhaust memory\): write the file without anchors/,
  },
  {
    name: 'a YAML alias bomb as the plan to apply',
    args: (d) => ['apply', '--plan', join(d.dir, 'bomb.yaml'), '--state', d.state, '--auto-approve'],
    status: 1,
    message: /bomb\.yaml expands too many aliases/,
  },
  {
    name: 'a YAML alias bomb as the plan to export',
    args: (d) => ['plan', 'export', '--plan', join(d.dir, 'bomb.yaml'), '--format', 'terraform'],
    status: 1,
    message: /bomb\.yaml expands too many aliases/,
  },
  {
    name: 'a directory as the plan to apply',
    args: (d) => ['apply', '--plan', join(d.dir, 'adir'), '--state', d.state],
    status: 2,
    message: /--plan .*adir is a directory, not a file/,
  },
  {
    name: 'a sandbox port already taken',
    args: (d) => ['sandbox', 'up', '--port', String(d.port)],
    status: 1,
    message: /port \d+ is already in use: pick another port with --port/,
  },
  {
    name: 'an --info-file that is a directory',
    args: (d) => ['sandbox', 'up', '--port', '0', '--info-file', join(d.dir, 'adir')],
    status: 2,
    message: /--info-file .*adir is a directory/,
  },
  // Clouds: resets, HTML pages, denials, unreachable and untrusted endpoints.
  {
    name: 'a reset connection during discovery',
    args: (d) => ['audit', '--state', join(d.dir, 'x.db'), '--no-progress'],
    env: (d) => d.env,
    faults: [{ service: 'sts', operation: 'GetCallerIdentity', error: 'reset' }],
    status: 1,
    message: /STS GetCallerIdentity in the caller account: the connection was reset \(ECONNRESET\)/,
  },
  {
    name: 'an HTML 503 page during discovery',
    args: (d) => ['audit', '--state', join(d.dir, 'x.db'), '--no-progress'],
    env: (d) => d.env,
    faults: [{ service: 'sts', operation: 'GetCallerIdentity', error: 'html503' }],
    status: 1,
    message: /STS GetCallerIdentity in the caller account: HTTP 503 \(non-XML body\)/,
  },
  {
    name: 'a required read denied in every account',
    args: (d) => ['audit', '--state', d.state, '--no-progress', '--accounts', d.sandbox.manifest.managementAccountId],
    env: (d) => d.env,
    faults: [{ service: 'iam', operation: 'GenerateCredentialReport', error: 'AccessDenied' }],
    status: 1,
    message:
      /no account could be audited: IAM GenerateCredentialReport in \d{12}: HTTP 403 AccessDenied.*allow iam:GenerateCredentialReport[\s\S]*nothing was saved/,
  },
  {
    name: 'an endpoint where nothing listens',
    args: (d) => [
      'audit',
      '--state',
      join(d.dir, 'x.db'),
      '--no-progress',
      '--endpoint-url',
      `http://127.0.0.1:${d.closedPort}`,
    ],
    env: (d) => d.env,
    status: 1,
    message: /STS GetCallerIdentity in the caller account: the connection was refused \(ECONNREFUSED\)|nothing answers/,
  },
  {
    name: 'AWS_ENDPOINT_URL that is not a URL',
    args: (d) => ['audit', '--state', join(d.dir, 'x.db'), '--no-progress'],
    env: (d) => ({ ...d.env, AWS_ENDPOINT_URL: 'not a url' }),
    status: 2,
    message: /"not a url" is not a valid URL|not a valid URL/,
  },
  {
    name: 'Entra unreachable during plan --directory-lookup',
    args: (d) => ['plan', '--state', d.state, '--out', join(d.dir, 'p.yaml'), '--directory-lookup'],
    env: (d) => entraEnv(d, `https://127.0.0.1:${d.closedPort}`),
    status: 1,
    message:
      /cannot sign in to Entra: nothing answers at https:\/\/127\.0\.0\.1:\d+ \(connection refused\): check the endpoint URL/,
  },
  {
    name: "Entra's certificate not trusted",
    args: (d) => ['plan', '--state', d.state, '--out', join(d.dir, 'p.yaml'), '--directory-lookup'],
    env: (d) => entraEnv(d, d.sandbox.info.entra!.graphEndpoint),
    status: 1,
    message:
      /cannot sign in to Entra: the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted .*NODE_EXTRA_CA_CERTS/,
  },
];

function entraEnv(d: Dirs, endpoint: string): Record<string, string> {
  const e = d.sandbox.info.entra!;
  return {
    AZURE_TENANT_ID: e.tenantId,
    AZURE_CLIENT_ID: e.clientId,
    AZURE_CLIENT_SECRET: e.clientSecret,
    AZURE_AUTHORITY_HOST: endpoint,
    IAM2SSO_GRAPH_ENDPOINT: endpoint,
  };
}

describe('every bad input and ordinary trouble gets one line, its exit code, and changes nothing', () => {
  const d = {} as Dirs;
  let blocker: ReturnType<typeof createServer>;

  before(async () => {
    d.sandbox = await startTestSandbox({ scenario: 'small', seed: 2, accounts: 2, usersPerAccount: 3 });
    d.dir = mkdtempSync(join(tmpdir(), 'iam2sso-errors-'));
    d.env = sandboxEnv(d.sandbox);
    d.state = join(d.dir, 'state.db');
    const audit = await runInProcess(['audit', '--state', d.state, '--no-progress', '--json'], d.env);
    assert.equal(audit.status, 0, audit.stderr);
    mkdirSync(join(d.dir, 'adir'));
    writeFileSync(join(d.dir, 'afile.txt'), 'not a directory\n');
    writeFileSync(join(d.dir, 'garbage.db'), Buffer.alloc(8192, 7));
    const future = new Database(join(d.dir, 'future.db'));
    future.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT); INSERT INTO schema_migrations VALUES (999, 'x', 'now')",
    );
    future.close();
    const anchors = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      anchors.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    writeFileSync(join(d.dir, 'bomb.yaml'), `${anchors.join('\n')}\n`);
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    d.port = (blocker.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    d.closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  after(async () => {
    blocker.close();
    await d.sandbox.close();
    rmSync(d.dir, { recursive: true, force: true });
  });

  it(`covers at least 40 cases (${CASES.length + 6})`, () => assert.ok(CASES.length + 6 >= 40));

  for (const c of CASES)
    it(`${c.name}: exit ${c.status}`, async () => {
      const rules = `${d.sandbox.info.endpoint}/_sandbox/faults/rules`;
      for (const f of c.faults ?? []) await fetch(rules, { method: 'POST', body: JSON.stringify(f) });
      const before = listing(d.dir);
      try {
        const r = await runInProcess(c.args(d), c.env?.(d) ?? {});
        assert.equal(r.status, c.status, r.stderr);
        assert.match(r.stderr, c.message);
        assert.doesNotMatch(r.stderr, /hit a bug|\n\s+at [^\n]*:\d+:\d+/, 'no stack trace');
        assert.deepEqual(listing(d.dir), before, 'nothing changed in the directory');
      } finally {
        await fetch(rules, { method: 'DELETE' });
      }
    });

  it('prints the error as JSON on stderr under --json', async () => {
    const r = await runInProcess(['inventory', '--json', '--state', d.state, '--format', 'csv', '--out', '/dev/full']);
    assert.equal(r.status, 1);
    const body = JSON.parse(r.stderr.trim().split('\n').pop()!) as {
      error: { kind: string; code: string; exitCode: number; hint: string };
    };
    assert.deepEqual([body.error.kind, body.error.code, body.error.exitCode], ['condition', 'ENOSPC', 1]);
    assert.match(body.error.hint, /free some disk space/);
  });

  it('shows the stack with --debug', async () => {
    const r = await runInProcess(['inventory', '--debug', '--state', d.state, '--format', 'csv', '--out', '/dev/full']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no space left/);
    assert.match(r.stderr, /\n\s+at /);
  });

  const synthetic: [string, Error, number, RegExp][] = [
    [
      'permission denied on a file',
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', path: '/etc/x' }),
      1,
      /permission denied: \/etc\/x: check the permissions/,
    ],
    [
      'a read-only file system',
      Object.assign(new Error('EROFS'), { code: 'EROFS', path: '/ro/x' }),
      1,
      /\/ro\/x is on a read-only file system/,
    ],
    [
      'a reset connection wrapped by fetch',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
      1,
      /the connection to the server was reset: check the network/,
    ],
    [
      'an untrusted certificate named only in a message',
      new Error('request to https://login.example failed, reason: self-signed certificate in certificate chain'),
      1,
      /TLS certificate of https:\/\/login\.example is not trusted/,
    ],
  ];
  for (const [name, error, status, message] of synthetic)
    it(`${name}: exit ${status}`, () => {
      const lines: string[] = [];
      assert.equal(
        reportError(error, (l) => lines.push(l), { recognise }),
        status,
      );
      assert.equal(lines.length, 1);
      assert.match(lines[0], message);
    });

  it('keeps exit 70 with the stack for a real bug', () => {
    const lines: string[] = [];
    assert.equal(
      reportError(new TypeError("Cannot read properties of undefined (reading 'x')"), (l) => lines.push(l), {
        recognise,
      }),
      70,
    );
    assert.match(lines.join('\n'), /iam2sso hit a bug: TypeError/);
  });
});
