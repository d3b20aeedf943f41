/** The package's own `iam2sso-sandbox` command: starts a server from the package alone, stops on SIGTERM. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--conditions=iam2sso-source', '--import', 'tsx', BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('iam2sso-sandbox command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-sandbox-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the scenario, writes the connection details, and stops cleanly on SIGTERM', async () => {
    const infoFile = join(dir, 'info.json');
    const child = run(['--port', '0', '--scenario', 'small', '--seed', '3', '--info-file', infoFile]);
    const done = exited(child);
    for (let i = 0; i < 600 && !existsSync(infoFile); i++) await new Promise((r) => setTimeout(r, 100));
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as {
      endpoint: string;
      entra?: { tlsCertificateFile?: string };
    };
    const manifest = (await (await fetch(`${info.endpoint}/_sandbox/manifest`)).json()) as { seed: number };
    assert.equal(manifest.seed, 3);
    assert.ok(info.entra?.tlsCertificateFile && existsSync(info.entra.tlsCertificateFile));
    child.kill('SIGTERM');
    assert.equal((await done).code, 0);
  });

  it('refuses an unknown scenario with exit code 2 and says what it takes', async () => {
    const result = await exited(run(['--scenario', 'no-such-scenario']));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--scenario takes small, medium, large or the path of a YAML file/);
  });
});
