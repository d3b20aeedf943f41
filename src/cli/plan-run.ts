/** The work behind `iam2sso plan` and `plan export`, loaded only when one of them runs. */

import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AwsOptions } from '../aws/clients.js';
import { loadActionCatalog } from '../catalog/action-catalog.js';
import { awsManagedDocuments } from '../catalog/managed-policies.js';
import { loadConfig } from '../config/config.js';
import { privilegedGroups } from '../core/harden-plan.js';
import { type DirectoryLookup, type MappingEntry, resolveIdentities } from '../core/identity-map.js';
import { keptUserProblems } from '../core/kept-user-hygiene.js';
import type { AuditSnapshot } from '../core/model.js';
import { planMigration } from '../core/plan.js';
import { describeDiff, diffPlans } from '../core/plan-diff.js';
import { withDirectSaml } from '../core/plan-direct-saml.js';
import { type ExistingIdentityCenter, withExistingIdentityCenter } from '../core/plan-existing-iic.js';
import { withOutsideIdentityCenter } from '../core/plan-outside-iic.js';
import type { PlanSettings } from '../core/plan-settings.js';
import { withStandaloneAccount } from '../core/plan-standalone.js';
import type { MigrationPlan } from '../core/plan-types.js';
import { createPolicyCompiler } from '../core/policy/compile.js';
import { createExpander } from '../core/policy/expand.js';
import { UsageError, ValidationFailed } from '../errors.js';
import { readMappingFile } from '../plan-file/mapping-file.js';
import { parsePlanText } from '../plan-file/read.js';
import { renderPlanYaml } from '../plan-file/render.js';
import { renderPlanCsv } from '../report/plan-export-rows.js';
import { renderPlanTerraform } from '../report/plan-export-terraform.js';
import { renderPlanXlsx } from '../report/plan-export-xlsx.js';
import { loadAuditRun } from '../store/audit-repo.js';
import { openStateDb } from '../store/db.js';
import { loadDirectSamlEntra } from '../store/direct-saml-repo.js';
import { type Io, printJson } from './io.js';

export type PlanFlags = AwsOptions & {
  out: string;
  state: string;
  run?: string;
  config?: string;
  mapping?: string;
  json: boolean;
  reset: boolean;
  detailedExitcode: boolean;
  directoryLookup: boolean;
  /** Bring the Identity Center already in use into the plan (reads Identity Center and Entra). */
  adoptExisting?: boolean;
  /** Account ids kept outside Identity Center (direct SAML federation instead). */
  outsideIdentityCenter?: string[];
};
export type ExportFlags = {
  format: string;
  out?: string;
  plan: string;
  state: string;
  config?: string;
  azuread: boolean;
};

/**
 * `plan` and `plan export` share --out, --state and --config; commander hands them to the parent when given
 * after `export`, so take the parent's value when it came from the command line.
 */
export function withParentFlags(flags: ExportFlags, cmd: Command): ExportFlags {
  const parent = cmd.parent;
  if (!parent) return flags;
  const out = { ...flags };
  for (const key of ['out', 'state', 'config'] as const) {
    if (parent.getOptionValueSource(key) === 'cli') out[key] = parent.opts()[key] as string;
  }
  return out;
}

/**
 * The Entra directory, for users no mapping file, tag or template places: the same adapter and credentials
 * as `entra setup` (config `entra:` section and AZURE_* variables).
 */
async function entraDirectory(configPath: string | undefined, io: Io): Promise<DirectoryLookup> {
  const { createEntraAdapter } = await import('../entra/adapter.js');
  const { resolveEntraSettings } = await import('../entra/settings.js');
  const settings = resolveEntraSettings(loadConfig(configPath).config.entra, process.env);
  io.err(`mapping users without a mapping file row, tag or template through Entra tenant ${settings.tenantId}`);
  return createEntraAdapter({ settings, env: process.env }).lookup;
}

/** The `plan:` settings from the config file. */
function planSettings(configPath: string | undefined): PlanSettings {
  return loadConfig(configPath).config.plan;
}

/** `iam2sso plan`: writes the plan, or under --detailed-exitcode only compares it with the live state. */
export async function runPlan(flags: PlanFlags, io: Io): Promise<void> {
  if (existsSync(flags.out) && statSync(flags.out).isDirectory())
    throw new UsageError(`--out ${flags.out} is a directory: give the path of the plan file`);
  if (flags.detailedExitcode && existsSync(flags.out)) return checkPendingOnly(flags, io);
  const settings = planSettings(flags.config);
  const { snapshot, classifications, directSamlEntra } = await loadRun(flags.state, flags.run);
  const previousText = !flags.reset && existsSync(flags.out) ? readFileSync(flags.out, 'utf8') : undefined;
  let previous: MigrationPlan | null = null;
  if (previousText !== undefined) {
    const read = parsePlanText(previousText, flags.out, { quota: settings.managedPoliciesQuota, strict: false });
    if (read.problems.length > 0) throw new ValidationFailed(read.problems);
    previous = read.plan;
  }
  const mapping = readMapping(flags.mapping ?? settings.identity.mappingFile);
  const users = snapshot.accounts.filter((a) => a.status !== 'unreachable').flatMap((a) => a.users);
  const identitySettings = {
    ...settings.identity,
    directoryLookup: flags.directoryLookup || settings.identity.directoryLookup,
  };
  const directory = identitySettings.directoryLookup ? await entraDirectory(flags.config, io) : null;
  const identities = await resolveIdentities(users, { settings: identitySettings, mapping }, directory);
  const compiler = createPolicyCompiler(createExpander(await loadActionCatalog()));
  const { plan: generated, keptEdits } = planMigration({
    snapshot,
    classifications,
    settings,
    compiler,
    managedDocuments: awsManagedDocuments,
    identities,
    previous,
    createdAt: new Date().toISOString(),
  });
  const existing = flags.adoptExisting ? await readExisting(flags, io) : null;
  const brought = withOutsideIdentityCenter(
    withDirectSaml(withExistingIdentityCenter(generated, existing, previous), {
      snapshot,
      entra: directSamlEntra,
      settings,
      compiler,
      managedDocuments: awsManagedDocuments,
      previous,
    }),
    { accounts: flags.outsideIdentityCenter ?? [], previous, snapshot, entra: directSamlEntra },
  );
  const plan = { ...brought, problems: [...brought.problems, ...keptUserProblems(brought, snapshot, new Date())] };
  // Last (after every section made from the planned access): a standalone account gets no Identity Center object.
  Object.assign(plan, withStandaloneAccount(plan, snapshot));
  // The privileged groups of `entra harden --pim`: proposed from the permission sets, kept as the reviewer edits them.
  plan.privilegedAccess = previous?.privilegedAccess ?? privilegedGroups(plan).settings;
  if (flags.json) printJson(io, plan);
  if (flags.detailedExitcode) {
    // No plan file yet: compare the plan that would be written, and write nothing.
    io.err(`no plan file ${flags.out}: comparing the plan \`iam2sso plan\` would write (nothing written)`);
    const { exitWithPendingChanges } = await import('./plan-pending.js');
    return exitWithPendingChanges(plan, loadConfig(flags.config).config.entra, io, flags, flags.state);
  }
  writeAtomically(flags.out, renderPlanYaml(plan, previousText));
  for (const line of summarize(plan, previous, keptEdits, flags.out)) io.err(line);
}

/** The Identity Center already in use, through apply's read ports, with the directory users matched to Entra. */
async function readExisting(flags: PlanFlags, io: Io): Promise<ExistingIdentityCenter> {
  const { resolveAwsSettings } = await import('../aws/clients.js');
  const { createApplyRuntime, rateFromEnv } = await import('../apply/run.js');
  const { createIdentityStoreClient } = await import('../aws/identity-store.js');
  const { readExistingIdentityCenter } = await import('../aws/existing-identity-center.js');
  const { createEntraAdapter } = await import('../entra/adapter.js');
  const { resolveEntraSettings } = await import('../entra/settings.js');
  const { listOwned } = await import('../store/ownership-repo.js');
  const settings = await resolveAwsSettings(flags, { identityCenter: true, note: (line) => io.err(line) });
  const entra = createEntraAdapter({
    settings: resolveEntraSettings(loadConfig(flags.config).config.entra, process.env),
    env: process.env,
  });
  const runtime = createApplyRuntime(settings, entra, rateFromEnv(process.env));
  const store = createIdentityStoreClient(settings, async () => undefined);
  const db = await openStateDb(flags.state);
  const owned = listOwned(db);
  const created = new Set(owned.filter((o) => o.kind === 'permission-set' && o.origin === 'created').map((o) => o.key));
  const ownGroups = new Set(owned.filter((o) => o.kind === 'entra-group').map((o) => o.key));
  db.close();
  try {
    io.err('reading the Identity Center already in use (permission sets, assignments, directory users and groups)');
    const users = await runtime.ports.entra.listUsers();
    return await readExistingIdentityCenter(
      runtime.ports,
      store,
      users,
      (name) => created.has(name),
      (name) => ownGroups.has(name.toLowerCase()),
    );
  } finally {
    runtime.close();
    store.destroy();
  }
}

/** --detailed-exitcode with a plan file: reads it (strictly, as apply would) and compares; never rewrites it. */
async function checkPendingOnly(flags: PlanFlags, io: Io): Promise<void> {
  const config = loadConfig(flags.config).config;
  const read = parsePlanText(readFileSync(flags.out, 'utf8'), flags.out, {
    quota: config.plan.managedPoliciesQuota,
    strict: true,
  });
  if (read.problems.length > 0) throw new ValidationFailed(read.problems);
  const plan = read.plan as MigrationPlan;
  if (flags.json) printJson(io, plan);
  const { exitWithPendingChanges } = await import('./plan-pending.js');
  await exitWithPendingChanges(plan, config.entra, io, flags, flags.state, flags.out);
}

async function loadRun(statePath: string, runId: string | undefined) {
  if (!existsSync(statePath)) throw new UsageError(`no state database at ${statePath}: run \`iam2sso audit\` first`);
  const db = await openStateDb(statePath);
  try {
    const run = loadAuditRun(db, runId);
    if (!run)
      throw new UsageError(
        runId ? `no audit run ${runId} in ${statePath}` : `no audit in ${statePath}: run \`iam2sso audit\` first`,
      );
    return { ...run, directSamlEntra: loadDirectSamlEntra(db, run.snapshot.runId) };
  } finally {
    db.close();
  }
}

function readMapping(path: string | null | undefined): MappingEntry[] {
  if (!path) return [];
  if (!existsSync(path)) throw new ValidationFailed([{ file: path, message: 'mapping file not found' }]);
  const { entries, problems } = readMappingFile(path);
  if (problems.length > 0) throw new ValidationFailed(problems);
  return entries;
}

function summarize(plan: MigrationPlan, previous: MigrationPlan | null, kept: string[], file: string): string[] {
  const lines: string[] = [];
  if (previous)
    lines.push(`Changes since the last plan:`, ...describeDiff(diffPlans(previous, plan)).map((l) => `  ${l}`));
  if (kept.length)
    lines.push(`Kept ${kept.length} edit${kept.length === 1 ? '' : 's'} from ${file}:`, ...kept.map((k) => `  ${k}`));
  const migrating = plan.users.filter((u) => u.action === 'migrate');
  const blocked = migrating.filter((u) => u.blockedBy.length > 0);
  lines.push(
    `Plan written to ${file}: ${plan.permissionSets.length} permission sets, ${plan.groups.length} groups, ` +
      `${migrating.length} users to migrate (${blocked.length} blocked), ${plan.serviceAccounts.length} service accounts to replace.`,
  );
  for (const u of blocked.slice(0, 20)) lines.push(`  blocked ${u.accountId}/${u.userName}: ${u.blockedBy.join('; ')}`);
  for (const r of plan.directSaml ?? [])
    lines.push(
      `  SAML role ${r.accountId}/${r.role} -> ${r.permissionSets.join(', ') || 'nothing'} via ${r.groups.join(', ') || 'no group'}: ` +
        `${r.members.length} holder${r.members.length === 1 ? '' : 's'}${r.blockedBy.length ? `; blocked: ${r.blockedBy.join('; ')}` : ''}`,
    );
  for (const o of plan.outsideIdentityCenter ?? [])
    lines.push(
      `  outside Identity Center ${o.accountId}: Entra app '${o.app}', SAML provider ${o.provider}, roles ${o.roles.map((r) => r.name).join(', ')}${o.adopt ? ' (kept, adopted)' : ''}`,
    );
  const review = plan.users.filter((u) => u.review);
  if (review.length) lines.push(`${review.length} user(s) to review (see review in the plan):`);
  for (const u of review.slice(0, 20)) lines.push(`  review ${u.accountId}/${u.userName}: ${u.review}`);
  if (blocked.length > 20) lines.push(`  … and ${blocked.length - 20} more (see blockedBy in the plan)`);
  const unread = plan.problems.filter((p) => p.id === 'account.unreachable' || p.id === 'account.partial');
  if (unread.length > 0)
    lines.push(
      `Accounts not fully read in this audit (nothing there will be updated or deleted): ${unread
        .map((p) => `${p.accountId} (${p.id === 'account.partial' ? 'partly read' : 'not read'})`)
        .join(', ')}`,
    );
  for (const p of plan.problems.slice(0, 20)) lines.push(`  problem ${p.id}: ${p.message}`);
  return lines;
}

export async function runExport(flags: ExportFlags, io: Io): Promise<void> {
  if (!['terraform', 'csv', 'xlsx'].includes(flags.format))
    throw new UsageError(`--format takes terraform, csv or xlsx, not "${flags.format}"`);
  if (flags.format === 'xlsx' && !flags.out) throw new UsageError('--format xlsx needs --out FILE');
  if (!existsSync(flags.plan)) throw new UsageError(`no plan file ${flags.plan}: run \`iam2sso plan\` first`);
  const settings = planSettings(flags.config);
  const read = parsePlanText(readFileSync(flags.plan, 'utf8'), flags.plan, {
    quota: settings.managedPoliciesQuota,
    strict: true,
  });
  if (read.problems.length > 0) throw new ValidationFailed(read.problems);
  const plan = read.plan as MigrationPlan;
  if (flags.format === 'terraform') {
    emit(io, flags.out, renderPlanTerraform(plan, { azuread: flags.azuread }));
    return;
  }
  const snapshot = await snapshotFor(flags.state, plan.fingerprint.runId);
  if (flags.format === 'csv') {
    emit(io, flags.out, renderPlanCsv(plan, snapshot));
    return;
  }
  writeAtomically(flags.out as string, await renderPlanXlsx(plan, snapshot));
  io.err(`wrote ${flags.out}`);
}

async function snapshotFor(statePath: string, runId: string): Promise<AuditSnapshot | null> {
  if (!existsSync(statePath)) return null;
  const db = await openStateDb(statePath);
  try {
    return loadAuditRun(db, runId)?.snapshot ?? null;
  } finally {
    db.close();
  }
}

function emit(io: Io, out: string | undefined, text: string): void {
  if (!out) {
    io.out(text);
    return;
  }
  writeAtomically(out, text);
  io.err(`wrote ${out}`);
}

function writeAtomically(path: string, content: string | Buffer): void {
  const tmp = resolve(dirname(resolve(path)), `.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
