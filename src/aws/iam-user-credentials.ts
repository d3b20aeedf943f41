/**
 * The per-user calls, made only where no account-wide source has the data:
 * - ListAccessKeys: the credential report has no key ids (needed to name keys in findings, to match CloudTrail
 *   events and to deactivate later). Only for users whose report row shows a key. GetAccessKeyLastUsed only
 *   when a key cannot be matched to its report slot by creation time.
 * - ListMFADevices: only when the report says MFA is active but no virtual device is assigned (hardware/FIDO).
 * - Signing certificates come from the report's cert columns (status and date; named cert-1/cert-2): their ids
 *   matter only when deleting the user, and decommission lists them then. ListSigningCertificates is called
 *   only for users without a report row.
 * - ListSSHPublicKeys: no report column and no account-wide list exists; CodeCommit-only credentials, so only
 *   with `--ssh-keys` (decommission must list them anyway, since DeleteUser refuses while they exist).
 * - Users created after the report was generated have no row: for them GetLoginProfile, ListAccessKeys,
 *   GetAccessKeyLastUsed and ListMFADevices fill the gap.
 */
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  type IAMClient,
  paginateListAccessKeys,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
} from '@aws-sdk/client-iam';
import type { AccessKeyRecord, UnknownField, UserRecord } from '../core/model.js';
import type { AccountReads } from './account-reads.js';
import { type ReportRow, reportText } from './iam-credential-report.js';

type Credentials = Pick<
  UserRecord,
  'consoleEnabled' | 'passwordLastUsed' | 'passwordLastChanged' | 'accessKeys' | 'signingCertificates' | 'sshPublicKeys'
> & { mfaDevices: string[] };

export type UserCredentialOptions = { keyIds: boolean; sshKeys: boolean };

async function lastUsed(
  iam: IAMClient,
  keyId: string,
): Promise<Pick<AccessKeyRecord, 'lastUsedAt' | 'lastUsedService' | 'lastUsedRegion'>> {
  const out = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
  const u = out.AccessKeyLastUsed;
  return {
    lastUsedAt: u?.LastUsedDate?.toISOString() ?? null,
    lastUsedService: reportText(u?.ServiceName),
    lastUsedRegion: reportText(u?.Region),
  };
}

/** Keys with ids: ListAccessKeys, matched to report slots by creation time. */
async function keysWithIds(iam: IAMClient, userName: string, row: ReportRow | undefined): Promise<AccessKeyRecord[]> {
  const listed: { id: string; status: 'Active' | 'Inactive'; createdAt: Date }[] = [];
  for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName }))
    for (const k of page.AccessKeyMetadata ?? [])
      listed.push({
        id: k.AccessKeyId!,
        status: k.Status === 'Active' ? 'Active' : 'Inactive',
        createdAt: k.CreateDate!,
      });
  const out: AccessKeyRecord[] = [];
  for (const k of listed) {
    const near = (row?.keys ?? []).filter((s) => Math.abs(Date.parse(s.lastRotated) - k.createdAt.getTime()) < 1500);
    const slot = near.length === 1 ? near[0] : undefined;
    const used = slot
      ? { lastUsedAt: slot.lastUsedAt, lastUsedService: slot.lastUsedService, lastUsedRegion: slot.lastUsedRegion }
      : await lastUsed(iam, k.id);
    out.push({ id: k.id, status: k.status, createdAt: k.createdAt.toISOString(), ...used });
  }
  return out;
}

/** Keys from the report alone (no ids): named by slot, `key-1` and `key-2`. */
function keysFromReport(row: ReportRow): AccessKeyRecord[] {
  return row.keys.map((s) => ({
    id: `key-${s.slot}`,
    status: s.active ? 'Active' : 'Inactive',
    createdAt: s.lastRotated,
    lastUsedAt: s.lastUsedAt,
    lastUsedService: s.lastUsedService,
    lastUsedRegion: s.lastUsedRegion,
  }));
}

async function mfaDevices(iam: IAMClient, userName: string): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateListMFADevices({ client: iam }, { UserName: userName }))
    for (const d of page.MFADevices ?? []) out.push(d.SerialNumber!);
  return out;
}

async function loginProfile(iam: IAMClient, userName: string): Promise<boolean> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException' || (error as Error).name === 'NoSuchEntity') return false;
    throw error;
  }
}

/** Collects one user's credentials from the report row, calling IAM only where the row cannot answer. */
export async function collectUserCredentials(
  iam: IAMClient,
  userName: string,
  row: ReportRow | undefined,
  virtualMfa: string[],
  options: UserCredentialOptions,
  reads: AccountReads,
): Promise<Credentials & { unknown: UnknownField[] }> {
  const unknown: UnknownField[] = [];
  // A per-user read that fails leaves that field of this user unknown (and the account partial).
  const read = async <T>(operation: string, field: UnknownField, fallback: T, fn: () => Promise<T>): Promise<T> => {
    const value = await reads.optional('iam', operation, `${field} of some users`, fn);
    if (value !== undefined) return value;
    unknown.push(field);
    return fallback;
  };
  const hasKeys = row ? row.keys.length > 0 : true;
  const accessKeys = !hasKeys
    ? []
    : options.keyIds || !row
      ? await read('ListAccessKeys', 'accessKeys', row ? keysFromReport(row) : [], () =>
          keysWithIds(iam, userName, row),
        )
      : keysFromReport(row);
  const mfaActive = row ? row.mfaActive : true;
  const mfa =
    virtualMfa.length > 0 || !mfaActive
      ? virtualMfa
      : await read('ListMFADevices', 'mfaDevices', virtualMfa, () => mfaDevices(iam, userName));
  const signingCertificates: Credentials['signingCertificates'] = (row?.certificates ?? []).map((c, i) => ({
    id: `cert-${i + 1}`,
    status: c.active ? 'Active' : 'Inactive',
    uploadedAt: c.lastRotated,
  }));
  if (!row)
    signingCertificates.push(
      ...(await read('ListSigningCertificates', 'signingCertificates', [], () => certificates(iam, userName))),
    );
  const sshPublicKeys = options.sshKeys
    ? await read('ListSSHPublicKeys', 'sshPublicKeys', [], () => sshKeys(iam, userName))
    : [];
  return {
    consoleEnabled: row
      ? row.passwordEnabled
      : await read('GetLoginProfile', 'consoleEnabled', false, () => loginProfile(iam, userName)),
    passwordLastUsed: row?.passwordLastUsed ?? null,
    passwordLastChanged: row?.passwordLastChanged ?? null,
    mfaDevices: mfa,
    accessKeys,
    signingCertificates,
    sshPublicKeys,
    unknown,
  };
}

async function certificates(iam: IAMClient, userName: string): Promise<Credentials['signingCertificates']> {
  const out: Credentials['signingCertificates'] = [];
  for await (const page of paginateListSigningCertificates({ client: iam }, { UserName: userName }))
    for (const c of page.Certificates ?? [])
      out.push({ id: c.CertificateId!, status: c.Status!, uploadedAt: c.UploadDate!.toISOString() });
  return out;
}

async function sshKeys(iam: IAMClient, userName: string): Promise<Credentials['sshPublicKeys']> {
  const out: Credentials['sshPublicKeys'] = [];
  for await (const page of paginateListSSHPublicKeys({ client: iam }, { UserName: userName }))
    for (const k of page.SSHPublicKeys ?? [])
      out.push({ id: k.SSHPublicKeyId!, status: k.Status!, uploadedAt: k.UploadDate!.toISOString() });
  return out;
}

/** True when collecting this user needs at least one per-user call (for progress totals). */
export function needsUserCalls(
  row: ReportRow | undefined,
  virtualMfa: string[],
  options: UserCredentialOptions,
): boolean {
  if (!row || options.sshKeys) return true;
  return (options.keyIds && row.keys.length > 0) || (row.mfaActive && virtualMfa.length === 0);
}
