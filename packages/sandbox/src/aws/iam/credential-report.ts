/**
 * The IAM credential report: the 22 columns in AWS's order, its value conventions (N/A, no_information,
 * not_supported, true/false, ISO dates without milliseconds), and its lifecycle (generating, ready, expired after 4 hours).
 */
import type { AccessKey, IamAccountState, IamUser } from '../../world/iam-state.js';
import { iamArn } from '../../world/iam-state.js';
import type { World } from '../../world/world.js';
import { compareNames } from './ops/scope.js';

/** The report's header, in order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** How long generation takes (virtual milliseconds), and how long a report stays valid. */
export const REPORT_GENERATION_MS = 1500;
export const REPORT_TTL_MS = 4 * 60 * 60 * 1000;

/** The report's date format: ISO 8601, seconds precision, `+00:00`. */
export function reportDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

function keyColumns(key: AccessKey | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsed;
  return [
    String(key.status === 'Active'),
    reportDate(key.createDate),
    used ? reportDate(used.date) : 'N/A',
    used ? used.region : 'N/A',
    used ? used.serviceName : 'N/A',
  ];
}

function certColumns(cert: { status: string; uploadDate: Date } | undefined): string[] {
  return cert ? [String(cert.status === 'Active'), reportDate(cert.uploadDate)] : ['false', 'N/A'];
}

function userRow(accountId: string, user: IamUser): string[] {
  const profile = user.loginProfile;
  const passwordLastUsed = user.passwordLastUsed
    ? reportDate(user.passwordLastUsed)
    : profile
      ? 'no_information'
      : 'N/A';
  return [
    user.userName,
    iamArn(accountId, 'user', user.path, user.userName),
    reportDate(user.createDate),
    String(Boolean(profile)),
    passwordLastUsed,
    profile ? reportDate(profile.passwordLastChanged ?? profile.createDate) : 'N/A',
    'N/A',
    String(user.mfaDevices.length > 0),
    ...keyColumns(user.accessKeys[0]),
    ...keyColumns(user.accessKeys[1]),
    ...certColumns(user.signingCertificates[0]),
    ...certColumns(user.signingCertificates[1]),
  ];
}

function rootRow(accountId: string, iam: IamAccountState): string[] {
  const root = iam.root;
  return [
    '<root_account>',
    `arn:aws:iam::${accountId}:root`,
    reportDate(root.createDate),
    'not_supported',
    root.passwordLastUsed ? reportDate(root.passwordLastUsed) : 'no_information',
    'not_supported',
    'not_supported',
    String(root.mfaActive),
    ...keyColumns(root.accessKeys[0]),
    ...keyColumns(root.accessKeys[1]),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
}

/** The report's CSV text for an account: header, the root row, then users in name order. */
export function credentialReportCsv(accountId: string, iam: IamAccountState): string {
  const users = [...iam.users.values()].sort((a, b) => compareNames(a.userName, b.userName));
  const rows = [CREDENTIAL_REPORT_COLUMNS.join(','), rootRow(accountId, iam).join(',')];
  for (const user of users) rows.push(userRow(accountId, user).join(','));
  return rows.join('\n');
}

/** What GenerateCredentialReport answers: STARTED, INPROGRESS or COMPLETE. */
export function generateCredentialReport(
  world: World,
  accountId: string,
): { state: 'STARTED' | 'INPROGRESS' | 'COMPLETE'; description?: string } {
  const iam = world.account(accountId).iam;
  const now = world.clock.nowMs();
  const report = iam.credentialReport;
  if (report) {
    const ready = report.startedAt.getTime() + REPORT_GENERATION_MS;
    if (now < ready) return { state: 'INPROGRESS', description: 'Report generation in progress' };
    if (report.state !== 'COMPLETE') finish(world, accountId);
    if (now - (iam.credentialReport?.generatedAt?.getTime() ?? 0) < REPORT_TTL_MS) return { state: 'COMPLETE' };
  }
  iam.credentialReport = { state: 'STARTED', startedAt: world.clock.now() };
  return { state: 'STARTED', description: 'No report exists. Starting a new report generation task' };
}

function finish(world: World, accountId: string): void {
  const iam = world.account(accountId).iam;
  const report = iam.credentialReport;
  if (!report) return;
  report.state = 'COMPLETE';
  report.generatedAt = new Date(report.startedAt.getTime() + REPORT_GENERATION_MS);
  report.content = credentialReportCsv(accountId, iam);
}

/** The current report of an account, or why there is none (the GetCredentialReport errors). */
export function currentCredentialReport(
  world: World,
  accountId: string,
): { content: string; generatedAt: Date } | 'not-present' | 'in-progress' | 'expired' {
  const iam = world.account(accountId).iam;
  const report = iam.credentialReport;
  if (!report) return 'not-present';
  const now = world.clock.nowMs();
  if (report.state !== 'COMPLETE') {
    if (now < report.startedAt.getTime() + REPORT_GENERATION_MS) return 'in-progress';
    finish(world, accountId);
  }
  const done = iam.credentialReport!;
  if (now - done.generatedAt!.getTime() >= REPORT_TTL_MS) return 'expired';
  return { content: done.content!, generatedAt: done.generatedAt! };
}
