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
import type { AccessKeyRecord, UserRecord } from '../core/model.js';
import type { ReportRow } from './iam-credential-report.js';

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
  const na = (v: string | undefined) => (!v || v === 'N/A' ? null : v);
  return {
    lastUsedAt: u?.LastUsedDate?.toISOString() ?? null,
    lastUsedService: na(u?.ServiceName),
    lastUsedRegion: na(u?.Region),
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
): Promise<Credentials> {
  const hasKeys = row ? row.keys.length > 0 : true;
  const accessKeys = !hasKeys
    ? []
    : options.keyIds || !row
      ? await keysWithIds(iam, userName, row)
      : keysFromReport(row);
  const mfaActive = row ? row.mfaActive : true;
  const mfa = virtualMfa.length > 0 || !mfaActive ? virtualMfa : await mfaDevices(iam, userName);
  const signingCertificates: Credentials['signingCertificates'] = (row?.certificates ?? []).map((c, i) => ({
    id: `cert-${i + 1}`,
    status: c.active ? 'Active' : 'Inactive',
    uploadedAt: c.lastRotated,
  }));
  if (!row)
    for await (const page of paginateListSigningCertificates({ client: iam }, { UserName: userName }))
      for (const c of page.Certificates ?? [])
        signingCertificates.push({ id: c.CertificateId!, status: c.Status!, uploadedAt: c.UploadDate!.toISOString() });
  const sshPublicKeys: Credentials['sshPublicKeys'] = [];
  if (options.sshKeys)
    for await (const page of paginateListSSHPublicKeys({ client: iam }, { UserName: userName }))
      for (const k of page.SSHPublicKeys ?? [])
        sshPublicKeys.push({ id: k.SSHPublicKeyId!, status: k.Status!, uploadedAt: k.UploadDate!.toISOString() });
  return {
    consoleEnabled: row ? row.passwordEnabled : await loginProfile(iam, userName),
    passwordLastUsed: row?.passwordLastUsed ?? null,
    passwordLastChanged: row?.passwordLastChanged ?? null,
    mfaDevices: mfa,
    accessKeys,
    signingCertificates,
    sshPublicKeys,
  };
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
