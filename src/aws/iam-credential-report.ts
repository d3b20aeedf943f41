/**
 * The IAM credential report: one CSV row per user (and the root user) with password, MFA, access key and
 * certificate facts. Generating it is asynchronous; AWS reuses a report younger than four hours.
 */

import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Iso } from '../core/model.js';

/** One key slot of a report row (the report has no key ids, only slots 1 and 2). */
export type ReportKey = {
  slot: 1 | 2;
  active: boolean;
  /** Creation (or last rotation) time; matches the key's CreateDate. */
  lastRotated: Iso;
  lastUsedAt: Iso | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
};

export type ReportRow = {
  user: string;
  arn: string;
  createdAt: Iso | null;
  /** Root: 'not_supported' in the report means the root has a password; we read it as true. */
  passwordEnabled: boolean;
  passwordLastUsed: Iso | null;
  passwordLastChanged: Iso | null;
  mfaActive: boolean;
  keys: ReportKey[];
  /** Certificate slots that hold a certificate (active or not). */
  certificates: { active: boolean; lastRotated: Iso }[];
};

export type CredentialReport = { generatedAt: Iso | null; root: ReportRow | null; users: Map<string, ReportRow> };

export const ROOT_ROW = '<root_account>';

/**
 * The credential report's placeholders for "no value": `N/A` (never used, no such key), `no_information` (used
 * before IAM tracked it, October 2014), `not_supported` (the root user's password; services whose last use IAM
 * does not report). See https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */
export type ReportSentinel = 'N/A' | 'not_supported' | 'no_information' | 'empty';

/** One report cell: a value, or why there is none. Every cell is read through this once, so no sentinel is data. */
export type ReportCell = { known: true; value: string } | { known: false; why: ReportSentinel };

const SENTINELS = new Set<string>(['N/A', 'not_supported', 'no_information']);

/** Parses one cell (AWS also uses these placeholders in GetAccessKeyLastUsed). */
export function reportCell(raw: string | undefined): ReportCell {
  const value = raw?.trim() ?? '';
  if (value === '') return { known: false, why: 'empty' };
  if (SENTINELS.has(value)) return { known: false, why: value as ReportSentinel };
  return { known: true, value };
}

function date(raw: string | undefined): Iso | null {
  const cell = reportCell(raw);
  if (!cell.known) return null;
  const t = Date.parse(cell.value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** A text cell's value; null when the report has a placeholder instead. */
export function reportText(raw: string | undefined): string | null {
  const cell = reportCell(raw);
  return cell.known ? cell.value : null;
}

/** Parses the report CSV. Unknown columns are ignored, so newer report formats still read. */
export function parseCredentialReport(csv: string, generatedAt: Iso | null = null): CredentialReport {
  const records: Record<string, string>[] = parseCsv(csv, { columns: true, skip_empty_lines: true });
  const users = new Map<string, ReportRow>();
  let root: ReportRow | null = null;
  for (const record of records) {
    const col = (name: string): string | undefined => record[name];
    const keys: ReportKey[] = [];
    for (const slot of [1, 2] as const) {
      const lastRotated = date(col(`access_key_${slot}_last_rotated`));
      if (!lastRotated) continue;
      keys.push({
        slot,
        active: col(`access_key_${slot}_active`) === 'true',
        lastRotated,
        lastUsedAt: date(col(`access_key_${slot}_last_used_date`)),
        lastUsedRegion: reportText(col(`access_key_${slot}_last_used_region`)),
        lastUsedService: reportText(col(`access_key_${slot}_last_used_service`)),
      });
    }
    const certificates = [1, 2].flatMap((slot) => {
      const lastRotated = date(col(`cert_${slot}_last_rotated`));
      return lastRotated ? [{ active: col(`cert_${slot}_active`) === 'true', lastRotated }] : [];
    });
    const row: ReportRow = {
      user: col('user') ?? '',
      arn: col('arn') ?? '',
      createdAt: date(col('user_creation_time')),
      passwordEnabled: col('password_enabled') === 'true' || col('password_enabled') === 'not_supported',
      passwordLastUsed: date(col('password_last_used')),
      passwordLastChanged: date(col('password_last_changed')),
      mfaActive: col('mfa_active') === 'true',
      keys,
      certificates,
    };
    if (row.user === ROOT_ROW) root = row;
    else users.set(row.user, row);
  }
  return { generatedAt, root, users };
}

const NOT_READY = new Set(['CredentialReportNotReadyException', 'ReportInProgress']);
const MISSING = new Set([
  'CredentialReportNotPresentException',
  'ReportNotPresent',
  'CredentialReportExpiredException',
  'ReportExpired',
]);

/**
 * Generates (or reuses, when AWS has one younger than four hours) the report and downloads it. When AWS says
 * the report was started, waits before asking for it (a report takes seconds), then polls GetCredentialReport
 * itself, backing off to 5 s: usually two calls in all.
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  sleep: (ms: number) => Promise<void>,
  timeoutMs = 10 * 60_000,
): Promise<CredentialReport> {
  const started = Date.now();
  let wait = 2000;
  let generate = true;
  for (;;) {
    if (generate) {
      const gen = await iam.send(new GenerateCredentialReportCommand({}));
      generate = false;
      if (gen.State !== 'COMPLETE') await sleep(wait);
    }
    try {
      const got = await iam.send(new GetCredentialReportCommand({}));
      const csv = new TextDecoder().decode(got.Content ?? new Uint8Array());
      return parseCredentialReport(csv, got.GeneratedTime?.toISOString() ?? null);
    } catch (error) {
      const name = (error as Error).name;
      if (MISSING.has(name)) generate = true;
      else if (!NOT_READY.has(name)) throw error;
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`the credential report was not ready after ${Math.round(timeoutMs / 1000)} s`);
    wait = Math.min(wait * 1.5, 5000);
    await sleep(wait);
  }
}
