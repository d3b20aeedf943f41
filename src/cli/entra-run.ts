/** The work behind `iam2sso entra setup` and `entra provision`, loaded only when one of them runs. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { createEntraAdapter, type EntraAdapter } from '../entra/adapter.js';
import { type IntendedWrite, recordingAppWriter } from '../entra/dry-run.js';
import { entraCloudError } from '../entra/graph-errors.js';
import { provisionUser } from '../entra/provision.js';
import { parseSpMetadata, type SpMetadata } from '../entra/saml-metadata.js';
import { type CredentialKind, resolveEntraSettings } from '../entra/settings.js';
import { runSetup, type SetupResult } from '../entra/setup.js';
import type { SetupStep } from '../entra/setup-plan.js';
import { CloudError, UsageError, ValidationFailed } from '../errors.js';
import { countReport } from '../reconcile/executor.js';
import { memoryJournal, stateJournal } from '../reconcile/journal.js';
import { holdWriterLock } from '../reconcile/writer-lock.js';
import { DEFAULT_STATE_PATH, openStateDb } from '../store/db.js';
import { listOwned, memoryOwnership, type Ownership, stateOwnership } from '../store/ownership-repo.js';
import { finishRun, startRun } from '../store/runs-repo.js';
import { SCIM_TOKEN_ENV } from './entra.js';
import { type Io, printJson } from './io.js';

export type ConnectionFlags = {
  config?: string;
  tenantId?: string;
  clientId?: string;
  credential?: CredentialKind;
  graphEndpoint?: string;
  authorityHost?: string;
  json: boolean;
};

export type SetupFlags = ConnectionFlags & {
  dryRun: boolean;
  spMetadata?: string;
  spMetadataUrl?: string;
  scimEndpoint?: string;
  appName: string;
  federationMetadataOut: string;
  replaceScimCredentials: boolean;
  progress: boolean;
  /** The state database the run is journaled in. */
  state?: string;
};

export type ProvisionFlags = ConnectionFlags & {
  user: string;
  assign: boolean;
  appName: string;
  dryRun: boolean;
  /** The state database the run is journaled in (the app must be recorded there as iam2sso's to assign to it). */
  state?: string;
};

/** Where the SCIM access token is read from; it is passed to Entra and never stored or printed. */
export function buildAdapter(flags: ConnectionFlags, io: Io): EntraAdapter {
  const { config } = loadConfig(flags.config);
  const settings = resolveEntraSettings(
    config.entra,
    process.env,
    {
      tenantId: flags.tenantId,
      clientId: flags.clientId,
      credential: flags.credential,
      graphEndpoint: flags.graphEndpoint,
      authorityHost: flags.authorityHost,
    },
    { flags: true },
  );
  return createEntraAdapter({ settings, env: process.env, prompt: (m) => io.err(m) });
}

async function readSpMetadata(flags: SetupFlags): Promise<SpMetadata | null> {
  if (flags.spMetadata && flags.spMetadataUrl)
    throw new UsageError('give --sp-metadata or --sp-metadata-url, not both');
  const source = flags.spMetadata ?? flags.spMetadataUrl;
  if (!source) return null;
  let xml: string;
  if (flags.spMetadata) {
    xml = await readFile(flags.spMetadata, 'utf8').catch((e: Error) => {
      throw new UsageError(`cannot read --sp-metadata ${flags.spMetadata}: ${e.message}`);
    });
  } else {
    const response = await fetch(flags.spMetadataUrl!);
    if (!response.ok) throw new UsageError(`--sp-metadata-url answered ${response.status}`);
    xml = await response.text();
  }
  const parsed = parseSpMetadata(xml);
  if (!parsed.ok) throw new ValidationFailed([{ file: source, message: parsed.problem }]);
  return parsed.value;
}

function scimToken(): string {
  const token = process.env[SCIM_TOKEN_ENV];
  if (!token) {
    throw new UsageError(
      `provisioning needs Identity Center's SCIM access token in ${SCIM_TOKEN_ENV} (Identity Center > Settings > Automatic provisioning)`,
    );
  }
  return token;
}

function stepLine(step: SetupStep, dryRun: boolean, detail?: string): string {
  if (!step.change) return `  = ${step.description}`;
  return `  + ${dryRun ? 'would set up: ' : ''}${step.description}${detail ? ` (${detail})` : ''}`;
}

/** The ownership a setup run checks against: the state database's (a dry run records in memory only). */
async function setupState(flags: { state?: string; dryRun: boolean }) {
  const path = flags.state ?? DEFAULT_STATE_PATH;
  const db = !flags.dryRun || existsSync(path) ? await openStateDb(path) : null;
  const owned = db ? stateOwnership(db) : null;
  const ownership = flags.dryRun ? memoryOwnership(owned ?? emptyOwnership()) : owned!;
  const ownedAppId = (name: string) =>
    db ? (listOwned(db, 'entra-app').find((o) => o.key === name.toLowerCase())?.objectId ?? null) : null;
  return { db, ownership, ownedAppId };
}

/** Runs `iam2sso entra setup`. */
export async function runSetupCommand(flags: SetupFlags, io: Io): Promise<void> {
  if (flags.spMetadata === undefined && flags.spMetadataUrl === undefined && !flags.json && flags.progress) {
    io.err('note: no --sp-metadata: SAML identifier and reply URL are left as they are');
  }
  const sp = await readSpMetadata(flags);
  const adapter = buildAdapter(flags, io);
  const intended: IntendedWrite[] = [];
  const writer = flags.dryRun ? recordingAppWriter(intended) : adapter.appWriter;
  const say = (line: string) => flags.progress && io.err(line);
  const out = resolve(flags.federationMetadataOut);
  let result: SetupResult;
  const { db, ownership, ownedAppId } = await setupState(flags);
  const runId = `entra-setup-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  const live = !flags.dryRun && db;
  const lock = live ? holdWriterLock(db, runId, { command: 'entra setup', note: (line) => io.err(line) }) : null;
  if (live) startRun(db, runId, 'entra setup', new Date());
  try {
    result = await runSetup(
      adapter.apps,
      writer,
      {
        appName: flags.appName,
        sp,
        federationMetadataOut: out,
        scimEndpoint: flags.scimEndpoint ?? null,
        replaceCredentials: flags.replaceScimCredentials,
      },
      {
        now: new Date(),
        scimToken,
        onPlan: (steps) => {
          const changes = steps.filter((s) => s.change).length;
          say(`${flags.dryRun ? 'Dry run: ' : ''}${changes} change(s), ${steps.length - changes} already in place`);
        },
        progress: {
          starting: (step) => !flags.dryRun && say(`  … ${step.description}`),
          finished: (step, detail) => say(stepLine(step, flags.dryRun, detail)),
        },
        runId,
        journal: live ? stateJournal(db, runId, 'entra-setup') : memoryJournal(),
        ownership,
        ownedAppId: ownedAppId(flags.appName),
        log: (line) => io.err(line),
      },
    );
    if (live) finishRun(db, runId, 'done', countReport(result.report), new Date());
  } catch (error) {
    if (live) finishRun(db, runId, 'failed', null, new Date());
    throw entraCloudError(error, adapter.settings.clientId);
  } finally {
    lock?.release();
    db?.close();
  }
  printSetupResult(io, flags, result, intended, out, adapter.graph.stats);
}

/** Ownership with nothing in it (a dry run without a state database). */
function emptyOwnership(): Ownership {
  return { isOwned: () => false, originOf: () => null, record() {}, release() {}, count: () => 0 };
}

function printSetupResult(
  io: Io,
  flags: SetupFlags,
  result: SetupResult,
  intended: IntendedWrite[],
  out: string,
  stats: { requests: number; retries: number },
): void {
  const changes = result.steps.filter((s) => s.change).length;
  if (flags.json) {
    printJson(io, {
      dryRun: flags.dryRun,
      changes,
      inPlace: result.steps.length - changes,
      steps: result.steps.map((s) => ({ kind: s.action.kind, change: s.change, description: s.description })),
      app: {
        displayName: result.app.displayName,
        servicePrincipalId: result.app.servicePrincipalId,
        appId: result.app.appId,
        appObjectId: result.app.appObjectId,
      },
      signingThumbprint: result.signingThumbprint,
      federationMetadata: out,
      ...(flags.dryRun ? { intendedWrites: intended } : {}),
      graphRequests: stats.requests,
      retries: stats.retries,
    });
    return;
  }
  if (flags.dryRun) {
    io.out(
      changes
        ? `Dry run: ${changes} change(s) would be made; nothing was changed:`
        : 'Dry run: everything is already in place.',
    );
    for (const w of intended) io.out(`  ${w.call}  ${w.detail}`);
    return;
  }
  io.out(
    changes
      ? `${changes} change(s) made, ${result.steps.length - changes} already in place.`
      : 'Everything is already in place; nothing changed.',
  );
  io.out(`Enterprise app '${result.app.displayName}': service principal ${result.app.servicePrincipalId}.`);
  io.out(
    `Federation metadata: ${out}. Upload it in Identity Center > Settings > Identity source > Change identity source`,
  );
  io.out('(External identity provider); AWS has no API for that step.');
}

/** Runs `iam2sso entra provision`: journaled as a run of its own (`iam2sso rollback RUN` removes the assignment). */
export async function runProvisionCommand(flags: ProvisionFlags, io: Io): Promise<void> {
  const adapter = buildAdapter(flags, io);
  const intended: IntendedWrite[] = [];
  const { db, ownership } = await setupState(flags);
  const runId = `entra-provision-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
  const live = !flags.dryRun && db;
  const lock = live ? holdWriterLock(db, runId, { command: 'entra provision', note: (line) => io.err(line) }) : null;
  let provisioned: Awaited<ReturnType<typeof provisionUser>>;
  try {
    if (live) startRun(db, runId, 'entra provision', new Date());
    provisioned = await provisionUser(
      {
        apps: adapter.apps,
        writer: flags.dryRun ? recordingAppWriter(intended) : adapter.appWriter,
        reader: adapter.reader,
      },
      { appName: flags.appName, upn: flags.user, assign: flags.assign },
      {
        runId,
        journal: live ? stateJournal(db, runId, 'entra-provision') : memoryJournal(),
        ownership,
        log: (line) => io.err(line),
      },
    );
    if (live) finishRun(db, runId, 'done', countReport(provisioned.report), new Date());
  } catch (error) {
    if (live) finishRun(db, runId, 'failed', null, new Date());
    throw entraCloudError(error, adapter.settings.clientId);
  } finally {
    lock?.release();
    db?.close();
  }
  const { result, report: _report, ...rest } = provisioned;
  if (flags.dryRun) {
    if (flags.json) printJson(io, { user: flags.user, dryRun: true, intendedWrites: intended });
    else for (const w of intended) io.out(`  ${w.call}  ${w.detail}`);
    return;
  }
  if (flags.json)
    printJson(io, { user: flags.user, run: runId, ...rest, result, app: provisioned.app.servicePrincipalId });
  else
    io.out(
      `${flags.user}: ${result.status}${result.action ? ` (${result.action})` : ''}${result.reason ? `: ${result.reason}` : ''}`,
    );
  if (result.status !== 'Success') {
    throw new CloudError(
      'entra-provisioning',
      result.status,
      `${flags.user} was not provisioned${result.reason ? `: ${result.reason}` : ''}`,
      undefined,
      'only users assigned to the app, directly or through a group they are a direct member of, are provisioned (members of nested groups are not); --assign assigns the user',
    );
  }
}
