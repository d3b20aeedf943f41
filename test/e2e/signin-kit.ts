/**
 * A sandbox after the whole migration, for the sign-in, explain and doctor tests: the Entra enterprise app set up
 * (`entra setup`), then audit, plan, apply and sync through the CLI, and Identity Center's identity source given
 * Entra's federation metadata (the console step, on the sandbox's control endpoint).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { startTestSandbox } from '../../packages/sandbox/test/helpers/sandbox.js';
import { runIam2sso } from '../helpers/cli.js';
import { syncEnv } from './sync-helpers.js';

export type MigratedSandbox = {
  sandbox: RunningSandbox;
  env: Record<string, string>;
  dir: string;
  state: string;
  plan: string;
  metadata: string;
};

async function step(args: string[], env: Record<string, string>): Promise<string> {
  const r = await runIam2sso(args, env, 180_000);
  if (r.status !== 0) throw new Error(`iam2sso ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Sets Identity Center's identity source from IdP metadata (what the console's upload does). */
export async function setIdentitySource(sandbox: RunningSandbox, xml: string): Promise<void> {
  const r = await fetch(`${sandbox.info.endpoint}/_sandbox/signin/identity-source`, { method: 'PUT', body: xml });
  if (!r.ok) throw new Error(`identity source refused: ${await r.text()}`);
}

/** Starts the small scenario and migrates it (about 15 s). */
export async function startMigratedSandbox(): Promise<MigratedSandbox> {
  const sandbox = await startTestSandbox({ scenario: 'small', seed: 1 });
  const { env, dir: base, state } = syncEnv(sandbox);
  const dir = mkdtempSync(join(base || tmpdir(), 'migrated-'));
  const plan = join(dir, 'migration-plan.yaml');
  const metadata = join(dir, 'federation.xml');
  const spUrl = `${sandbox.info.endpoint}/_sandbox/identity-center/saml-metadata.xml`;
  await step(
    ['entra', 'setup', '--sp-metadata-url', spUrl, '--federation-metadata-out', metadata, '--state', state, '--json'],
    env,
  );
  await step(['audit', '--state', state, '--no-progress'], env);
  await step(['plan', '--state', state, '--out', plan, '--directory-lookup', '--json'], env);
  await step(['apply', '--plan', plan, '--state', state, '--auto-approve', '--json'], env);
  await step(['sync', '--plan', plan, '--state', state, '--json'], env);
  await setIdentitySource(sandbox, readFileSync(metadata, 'utf8'));
  return { sandbox, env, dir, state, plan, metadata };
}
