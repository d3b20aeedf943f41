/** The work of `iam2sso audit` (loaded when the command runs, so other commands start fast). */
import { randomBytes } from 'node:crypto';
import { type AuditOptions, collectAudit } from '../aws/audit-collector.js';
import { type AwsOptions, resolveAwsSettings } from '../aws/clients.js';
import { toCloudError } from '../aws/errors.js';
import { loadConfig } from '../config/config.js';
import { type AccountSummary, summarizeAudit } from '../core/audit-summary.js';
import { classifySnapshot } from '../core/classify.js';
import { classifyProvisioningUsers, recognizeDirectSaml } from '../core/direct-saml.js';
import { findSnapshotFindings } from '../core/findings.js';
import { CloudError } from '../errors.js';
import { textTable } from '../report/text-table.js';
import { saveAuditRun } from '../store/audit-repo.js';
import { openStateDb } from '../store/db.js';
import { saveDirectSamlEntra } from '../store/direct-saml-repo.js';
import { directSamlEntraLines, readDirectSamlEntra } from './audit-direct-saml.js';
import { type Io, printJson } from './io.js';
import { AccountProgress } from './progress.js';

/** The flags of `iam2sso audit`. */
export type AuditFlags = AwsOptions & {
  state: string;
  config?: string;
  assumeRole: string;
  accounts?: string[];
  concurrency: number;
  endpointUrl?: string;
  activity: boolean;
  activityDays: number;
  keyIds: boolean;
  sshKeys: boolean;
  json: boolean;
  progress: boolean;
};

/** A run id that sorts by time: `audit-20250601T120000Z-1a2b`. */
export function newRunId(now: Date): string {
  return `audit-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/** Runs the audit and prints its summary. */
export async function runAudit(flags: AuditFlags, io: Io): Promise<void> {
  const { config } = loadConfig(flags.config);
  const started = Date.now();
  const settings = await resolveAwsSettings(flags);
  const now = new Date();
  const options: AuditOptions = {
    runId: newRunId(now),
    assumeRole: flags.assumeRole,
    accounts: flags.accounts,
    concurrency: flags.concurrency,
    keyIds: flags.keyIds,
    sshKeys: flags.sshKeys,
    activity: flags.activity,
    activityDays: flags.activityDays,
    userConcurrency: 4,
    now: () => now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const progress = new AccountProgress(io, flags.progress);
  const names = new Map<string, string>();
  const snapshot = await collectAudit(settings, options, {
    accountsFound(accounts, note) {
      for (const a of accounts) names.set(a.id, `${a.name} ${a.id}`);
      if (note && flags.progress) io.err(`note: ${note}`);
      progress.start(accounts.length);
    },
    progress: (id, p) => progress.update(id, names.get(id) ?? id, p.phase, p.done, p.total),
    accountDone: (a) =>
      progress.finish(
        a.accountId,
        a.status === 'ok'
          ? `${names.get(a.accountId)}: ${a.users.length} users`
          : a.status === 'partial'
            ? `${names.get(a.accountId)}: ${a.users.length} users, PARTIAL (${a.unread?.length} reads failed)`
            : `${names.get(a.accountId)}: NOT READ ${a.error}`,
      ),
  }).catch((error) => {
    progress.close();
    throw toCloudError(error, 'aws');
  });
  progress.close();
  // Direct SAML federation (Entra's per-account app): its provisioning user is a service account with that purpose.
  const directSaml = snapshot.accounts.map(recognizeDirectSaml).filter((f) => f !== null);
  const classifications = classifyProvisioningUsers(classifySnapshot(snapshot, config.classification, now), directSaml);
  const findings = findSnapshotFindings(snapshot, now);
  const directSamlEntra = await readDirectSamlEntra(directSaml, flags.config, process.env);
  const durationMs = Date.now() - started;
  const meta = {
    durationMs,
    apiCalls: settings.counter.total,
    apiCallsByOperation: settings.counter.byOperation(),
    options: { keyIds: flags.keyIds, sshKeys: flags.sshKeys, activity: flags.activity, assumeRole: flags.assumeRole },
  };
  const summary = summarizeAudit(snapshot, classifications, findings);
  const nothingRead = summary.accounts.length > 0 && summary.accounts.every((a) => a.status === 'unreachable');
  // A run that read no account is not stored: the last run that read something stays the one plan uses.
  if (!nothingRead) {
    const db = await openStateDb(flags.state);
    try {
      saveAuditRun(db, { snapshot, classifications, findings, meta });
      if (directSamlEntra) saveDirectSamlEntra(db, snapshot.runId, directSamlEntra);
    } finally {
      db.close();
    }
  }
  if (flags.json) {
    printJson(io, {
      runId: snapshot.runId,
      takenAt: snapshot.takenAt,
      accounts: summary.accounts,
      users: summary.users,
      byCategory: summary.byCategory,
      lowConfidence: summary.lowConfidence,
      findings: summary.findings,
      directSaml,
      ...(directSamlEntra ? { directSamlEntra } : {}),
      apiCalls: settings.counter.total,
      retries: settings.counter.retries,
      apiCallsByOperation: meta.apiCallsByOperation,
      durationMs,
      state: flags.state,
    });
  } else {
    io.out(
      textTable(
        ['Account', 'Name', 'Status', 'Users'],
        summary.accounts.map((a) => [a.id, a.name, statusCell(a), String(a.users)]),
        90,
      ),
    );
    for (const line of unreadLines(summary.accounts)) io.out(line);
    io.out('');
    io.out(
      textTable(
        ['Category', 'Users'],
        Object.entries(summary.byCategory).map(([k, v]) => [k, String(v)]),
      ),
    );
    io.out('');
    io.out(
      textTable(
        ['Severity', 'Findings'],
        Object.entries(summary.findings.bySeverity).map(([k, v]) => [k, String(v)]),
      ),
    );
    for (const f of directSaml)
      io.out(
        `Direct SAML federation in ${f.accountId}: ${f.providers.map((p) => `${p.arn.split('/').pop()} (roles ${p.roles.join(', ') || 'none'})`).join('; ')}` +
          `${f.provisioningUsers.length ? `; provisioning user ${f.provisioningUsers.join(', ')}` : ''}`,
      );
    for (const line of directSamlEntraLines(directSamlEntra)) io.out(line);
    io.out('');
    io.out(
      `${summary.users} users in ${summary.accounts.length} accounts; ${summary.lowConfidence} need review (low confidence). ` +
        `${settings.counter.total} API calls (${settings.counter.retries} retries) in ${(durationMs / 1000).toFixed(1)} s.`,
    );
    if (!nothingRead)
      io.out(
        `Saved as ${snapshot.runId} in ${flags.state}. Next: iam2sso inventory --format xlsx --out inventory.xlsx`,
      );
  }
  if (nothingRead)
    throw new CloudError(
      'aws',
      'NoAccountAudited',
      `no account could be audited: ${summary.accounts[0].error}`,
      undefined,
      `nothing was saved in ${flags.state}${summary.accounts.length > 1 ? '; the table above names the cause for each account' : ''}`,
    );
}

function statusCell(a: AccountSummary): string {
  if (a.status === 'ok') return 'ok';
  if (a.status === 'partial') return `partial: ${a.unread?.length ?? 0} reads failed`;
  return `not read: ${a.error}`;
}

/** The reads that failed, one line each, and what it means for plan and apply. */
export function unreadLines(accounts: AccountSummary[]): string[] {
  const partial = accounts.filter((a) => a.status !== 'ok');
  if (partial.length === 0) return [];
  const lines = ['', 'Not read (plan and apply change nothing in these accounts until an audit reads them fully):'];
  for (const a of partial) {
    if (a.status === 'unreachable') lines.push(`  ${a.id} ${a.name}: ${a.error}`);
    for (const u of a.unread ?? []) lines.push(`  ${a.id} ${a.name}: ${u.message}; unknown: ${u.affects}`);
  }
  return lines;
}
