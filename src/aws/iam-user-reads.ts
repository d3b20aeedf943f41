/**
 * Reads one IAM user whole for `decommission`: what every stage acts on and what the snapshot before `delete`
 * keeps (policies with documents, groups, tags, boundary, MFA devices, credential ids and metadata; never a
 * secret: GetLoginProfile returns no password, the list calls return no secret key or service password).
 */
import {
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  type IAMClient,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
} from '@aws-sdk/client-iam';
import type { IamCredentialFact, IamUserFacts } from '../core/decommission-types.js';

const status = (s: string | undefined): 'Active' | 'Inactive' => (s === 'Active' ? 'Active' : 'Inactive');
const iso = (d: Date | undefined) => d?.toISOString() ?? '';

/** Null when IAM answers NoSuchEntity (the user, or its login profile, does not exist). */
async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntity' || (error as Error).name === 'NoSuchEntityException') return null;
    throw error;
  }
}

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

/**
 * An MFA device's serial number is the device's ARN for virtual devices (`arn:aws:iam::ACCOUNT:mfa/NAME`) and a
 * serial for hardware TOTP tokens; FIDO keys have a `u2f/` ARN. Only virtual ones are deleted with
 * DeleteVirtualMFADevice (IAM API reference, ListMFADevices: "SerialNumber ... for virtual devices, the serial
 * number is the device ARN").
 */
function isVirtual(serial: string): boolean {
  return /^arn:aws[\w-]*:iam::\d{12}:mfa\//.test(serial);
}

async function inlinePolicies(iam: IAMClient, userName: string): Promise<{ name: string; document: string }[]> {
  const names = await collect(paginateListUserPolicies({ client: iam }, { UserName: userName }), (p) => p.PolicyNames);
  const out: { name: string; document: string }[] = [];
  for (const name of names.sort()) {
    const got = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
    // The document comes URL-encoded (RFC 3986), as in every IAM policy read (IAM API reference, GetUserPolicy).
    out.push({ name, document: decodeURIComponent(got.PolicyDocument ?? '') });
  }
  return out;
}

/** Reads the user in `accountId` through `iam`; null when it does not exist. */
export async function readIamUser(iam: IAMClient, accountId: string, userName: string): Promise<IamUserFacts | null> {
  const got = await orNull(iam.send(new GetUserCommand({ UserName: userName })));
  if (!got?.User) return null;
  const u = got.User;
  const q = { UserName: userName };
  const c = { client: iam };
  const [login, keys, certs, ssh, service, mfa, inline, attached, groups] = await Promise.all([
    orNull(iam.send(new GetLoginProfileCommand(q))),
    collect(paginateListAccessKeys(c, q), (p) => p.AccessKeyMetadata),
    collect(paginateListSigningCertificates(c, q), (p) => p.Certificates),
    collect(paginateListSSHPublicKeys(c, q), (p) => p.SSHPublicKeys),
    // The SDK has no paginator for ListServiceSpecificCredentials; one call returns a user's (at most two per service).
    iam.send(new ListServiceSpecificCredentialsCommand(q)).then((r) => r.ServiceSpecificCredentials ?? []),
    collect(paginateListMFADevices(c, q), (p) => p.MFADevices),
    inlinePolicies(iam, userName),
    collect(paginateListAttachedUserPolicies(c, q), (p) => p.AttachedPolicies),
    collect(paginateListGroupsForUser(c, q), (p) => p.Groups),
  ]);
  const fact = (id: string | undefined, s: string | undefined, d: Date | undefined, serviceName?: string) =>
    ({ id: id ?? '', status: status(s), date: iso(d), ...(serviceName ? { serviceName } : {}) }) as IamCredentialFact;
  return {
    accountId,
    userName: u.UserName ?? userName,
    userId: u.UserId ?? '',
    path: u.Path ?? '/',
    createDate: iso(u.CreateDate),
    tags: (u.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    loginProfile: login?.LoginProfile
      ? {
          createDate: iso(login.LoginProfile.CreateDate),
          passwordResetRequired: login.LoginProfile.PasswordResetRequired === true,
        }
      : null,
    accessKeys: keys.map((k) => fact(k.AccessKeyId, k.Status, k.CreateDate)),
    signingCertificates: certs.map((k) => fact(k.CertificateId, k.Status, k.UploadDate)),
    sshKeys: ssh.map((k) => fact(k.SSHPublicKeyId, k.Status, k.UploadDate)),
    serviceCredentials: service.map((k) => fact(k.ServiceSpecificCredentialId, k.Status, k.CreateDate, k.ServiceName)),
    mfaDevices: mfa.map((d) => ({
      serialNumber: d.SerialNumber ?? '',
      enableDate: iso(d.EnableDate),
      virtual: isVirtual(d.SerialNumber ?? ''),
    })),
    inlinePolicies: inline,
    attachedPolicies: attached.map((p) => ({ arn: p.PolicyArn ?? '', name: p.PolicyName ?? '' })),
    groups: groups.map((g) => g.GroupName ?? '').sort(),
  };
}

/**
 * The cloud's clock: the AWS SDK sets `systemClockOffset` from the `Date` header of each response (its clock-skew
 * correction), so after one call this is the time as the cloud sees it. The watch window is measured on it, so the
 * stage dates and CloudTrail's event times are on one clock (the sandbox's virtual clock included).
 */
export function cloudNow(iam: IAMClient): Date {
  const offset = (iam.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
  return new Date(Date.now() + offset);
}
