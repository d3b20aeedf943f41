/**
 * Permission sets against the floor on the sandbox scenarios: audits each scenario through the CLI, plans it with
 * the manifest's people as the identity mapping, and prints the number of permission sets next to the number of
 * distinct access patterns of the migrating users (bundles that differ only by account ids count once), and how
 * many names had to end in a hash.
 *
 *     node --conditions=iam2sso-source --import tsx bench/permission-sets.ts [small medium large]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '@iam2sso/sandbox';
import { sandboxClientEnv } from '@iam2sso/sandbox/client-env.js';
import { loadActionCatalog } from '../src/catalog/action-catalog.js';
import { awsManagedDocuments } from '../src/catalog/managed-policies.js';
import { resolveIdentities } from '../src/core/identity-map.js';
import { countAccessPatterns } from '../src/core/permission-sets-patterns.js';
import { planMigration } from '../src/core/plan.js';
import { defaultPlanSettings } from '../src/core/plan-settings.js';
import { createPolicyCompiler } from '../src/core/policy/compile.js';
import { createExpander } from '../src/core/policy/expand.js';
import { loadAuditRun } from '../src/store/audit-repo.js';
import { openStateDb } from '../src/store/db.js';

/** A name that fell back to the last resort: a 6-hex-digit hash (and maybe a part number) at its end. */
const HASHED = /-[0-9a-f]{6}(-\d+)?$/;
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const scenarios = process.argv.slice(2).length ? process.argv.slice(2) : ['small', 'medium', 'large'];
const compiler = createPolicyCompiler(createExpander(await loadActionCatalog()));
const settings = defaultPlanSettings();

console.log(`command: node --import tsx bench/permission-sets.ts ${scenarios.join(' ')}`);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; date ${new Date().toISOString()}`,
);
console.log('scenario | IAM users | migrating | permission sets | access patterns (floor) | names ending in a hash');
for (const scenario of scenarios) {
  const sandbox = await startSandbox({ scenario: scenario as 'small', seed: 1, port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'iam2sso-ps-bench-'));
  try {
    const state = join(dir, 'state.db');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      ...sandboxClientEnv(sandbox.info),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      NODE_NO_WARNINGS: '1',
    };
    // The sandbox answers from this process: the audit must run without blocking its event loop.
    await runAudit(env, state, scenario);
    const db = await openStateDb(state);
    const run = loadAuditRun(db);
    db.close();
    if (!run) throw new Error('no audit run');
    const users = run.snapshot.accounts.filter((a) => a.status === 'ok').flatMap((a) => a.users);
    const mapping = sandbox.manifest.users
      .filter((u) => u.upn)
      .map((u) => ({ accountId: u.accountId, userName: u.userName, upn: u.upn as string }));
    const identities = await resolveIdentities(users, { settings: settings.identity, mapping }, null);
    const { plan } = planMigration({
      snapshot: run.snapshot,
      classifications: run.classifications,
      settings,
      compiler,
      managedDocuments: awsManagedDocuments,
      identities,
      previous: null,
      createdAt: new Date().toISOString(),
    });
    const count = countAccessPatterns(plan, run.snapshot, settings, compiler, awsManagedDocuments);
    const hashed = plan.permissionSets.filter((p) => HASHED.test(p.name)).length;
    console.log(
      `${scenario} | ${users.length} | ${count.migrating} | ${count.permissionSets} | ${count.patterns}${count.permissionSets === count.patterns ? ' (at the floor)' : ''} | ${hashed}`,
    );
    for (const ps of plan.permissionSets) console.log(`  ${ps.name}: ${ps.reason}`);
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runAudit(env: Record<string, string>, state: string, scenario: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=iam2sso-source', '--import', 'tsx', MAIN, 'audit', '--no-progress', '--state', state],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`audit of ${scenario} failed: ${err}`))));
  });
}
