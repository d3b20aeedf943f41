/**
 * The work of `iam2sso explain`: reads the facts from Entra and AWS, walks the chain, prints it, and keeps it in the
 * state database for the dashboard.
 */
import { existsSync } from 'node:fs';
import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { createSsoAdminClient } from '../aws/identity-center.js';
import { instanceScope } from '../aws/identity-center-instance.js';
import { createIdentityStoreClient } from '../aws/identity-store.js';
import { loadConfig } from '../config/config.js';
import { createEntraAdapter } from '../entra/adapter.js';
import { resolveEntraSettings } from '../entra/settings.js';
import { ExitCode, UsageError } from '../errors.js';
import { readAwsFacts } from '../explain/aws-facts.js';
import { type Explanation, explainChain } from '../explain/chain.js';
import { readEntraFacts } from '../explain/entra-facts.js';
import { saveExplanation } from '../store/computed-repo.js';
import { openStateDb } from '../store/db.js';
import { accountIam } from '../verify/account-iam.js';
import { type Io, printJson } from './io.js';

export type ExplainFlags = {
  account?: string;
  appName?: string;
  assumeRole: string;
  endpointUrl?: string;
  config?: string;
  json?: boolean;
  /** The state database the result is kept in for the dashboard, when that file exists. */
  state?: string;
};

const MARK = { ok: 'ok     ', warning: 'WARN   ', broken: 'BROKEN ', skipped: 'skipped' };

/** Prints the chain for a person. */
export function printExplanation(io: Io, e: Explanation): void {
  io.out(`${e.upn}: ${e.ok ? 'every link holds' : `broken at ${e.brokenAt}`}`);
  for (const link of e.links) {
    io.out(`  ${MARK[link.status]} ${link.title}: ${link.detail}`);
    if (link.cause) io.out(`          cause: ${link.cause}`);
    if (link.fix) io.out(`          fix:   ${link.fix}`);
  }
}

/** Keeps the chain in the state database (when there is one) so the person's dashboard page shows it. */
async function keepForDashboard(statePath: string | undefined, explanation: Explanation, now: Date): Promise<void> {
  if (!statePath || !existsSync(statePath)) return;
  const db = await openStateDb(statePath);
  try {
    saveExplanation(db, explanation, now);
  } finally {
    db.close();
  }
}

/** Runs `explain`. */
export async function runExplain(upn: string, flags: ExplainFlags, io: Io): Promise<Explanation> {
  if (!upn.includes('@')) throw new UsageError(`explain takes a user principal name (name@domain), not "${upn}"`);
  if (flags.account && !/^\d{12}$/.test(flags.account)) throw new UsageError('--account takes a 12-digit account id');
  const { config } = loadConfig(flags.config);
  const entra = createEntraAdapter({
    settings: resolveEntraSettings(config.entra, process.env, {}),
    env: process.env,
    prompt: (m) => io.err(m),
  });
  const settings = await resolveAwsSettings(flags as AwsOptions, {
    identityCenter: true,
    note: (line) => io.err(line),
  });
  const unpaced = async () => undefined;
  const sso = createSsoAdminClient(settings, unpaced);
  const store = createIdentityStoreClient(settings, unpaced);
  const iam = accountIam(settings, flags.assumeRole);
  try {
    const entraFacts = await readEntraFacts(entra, upn, flags.appName);
    const awsFacts = await readAwsFacts(
      { scope: instanceScope(sso), store, iam, settings },
      { upn, entraId: entraFacts.entraUser?.id ?? null, mail: entraFacts.entraMail },
    );
    const now = new Date();
    const explanation = explainChain({ upn, ...entraFacts, ...awsFacts }, now, flags.account);
    await keepForDashboard(flags.state, explanation, now);
    if (flags.json) printJson(io, explanation);
    else printExplanation(io, explanation);
    if (!explanation.ok) throw new ExitCode(1);
    return explanation;
  } finally {
    sso.destroy();
    store.destroy();
    iam.close();
  }
}
