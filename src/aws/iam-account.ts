/**
 * Collects one account's snapshot with as few calls as AWS allows: the credential report, one paginated
 * GetAccountAuthorizationDetails, four small account-wide lists, then per-user calls only where those sources
 * are silent (see iam-user-credentials.ts), and CloudTrail user agents when asked.
 */
import type { AccountSnapshot, UserRecord } from '../core/model.js';
import { AccountReads } from './account-reads.js';
import type { AccountClients } from './clients.js';
import { collectActivity } from './cloudtrail-activity.js';
import { mapLimit } from './fan-out.js';
import {
  fetchAccountAlias,
  fetchSamlProviders,
  fetchServiceCredentialsAllUsers,
  fetchVirtualMfaByUser,
} from './iam-account-lists.js';
import { fetchAuthorizationDetails, policiesInUse } from './iam-authorization.js';
import { type CredentialReport, fetchCredentialReport } from './iam-credential-report.js';
import { fetchPasswordPolicy } from './iam-password-policy.js';
import { collectUserCredentials, needsUserCalls } from './iam-user-credentials.js';

export type CollectOptions = {
  keyIds: boolean;
  sshKeys: boolean;
  /** Look up CloudTrail user agents for users whose keys are in use (bounded: one page per user). */
  activity: boolean;
  activityDays: number;
  /** Per-user calls in flight within one account. */
  userConcurrency: number;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
};

/** Progress of one account: a phase name and, in the per-user phase, done of total. */
export type AccountProgress = { phase: string; done: number; total: number };

function rootRecord(report: CredentialReport, mfa: Map<string, string[]>): AccountSnapshot['root'] {
  const r = report.root;
  if (!r) return null;
  return {
    mfaActive: r.mfaActive || (mfa.get('<root>')?.length ?? 0) > 0,
    accessKeysPresent: r.keys.some((k) => k.active),
    accessKeys: r.keys.map((k) => ({ active: k.active, lastUsedAt: k.lastUsedAt })),
    passwordLastUsed: r.passwordLastUsed,
  };
}

/** Audits one reachable account: required reads throw RequiredReadFailed, optional ones leave it partial. */
export async function collectAccount(
  account: { id: string; name: string },
  clients: AccountClients,
  options: CollectOptions,
  progress: (p: AccountProgress) => void,
): Promise<AccountSnapshot> {
  const { iam } = clients;
  const reads = new AccountReads(account.id);
  progress({ phase: 'reading account', done: 0, total: 1 });
  const [report, details, alias, samlProviders, listedMfa, serviceCreds, passwordPolicy] = await Promise.all([
    reads.required('iam', 'GetCredentialReport', () => fetchCredentialReport(iam, options.sleep)),
    reads.required('iam', 'GetAccountAuthorizationDetails', () => fetchAuthorizationDetails(iam)),
    reads.optional('iam', 'ListAccountAliases', 'the account alias', () => fetchAccountAlias(iam)),
    reads.optional('iam', 'ListSAMLProviders', 'SAML identity providers', () => fetchSamlProviders(iam)),
    // Without the account-wide list, users whose report row shows MFA get a ListMFADevices call each instead.
    reads.optional('iam', 'ListVirtualMFADevices', 'virtual MFA devices (read per user instead)', () =>
      fetchVirtualMfaByUser(iam),
    ),
    reads.optional('iam', 'ListServiceSpecificCredentials', 'service-specific credentials of every user', async () => ({
      byUser: await fetchServiceCredentialsAllUsers(iam),
    })),
    reads.optional('iam', 'GetAccountPasswordPolicy', 'the account password policy', async () => ({
      policy: await fetchPasswordPolicy(iam),
    })),
  ]);
  const virtualMfa = listedMfa ?? new Map<string, string[]>();
  const total = details.users.filter((u) =>
    needsUserCalls(report.users.get(u.userName), virtualMfa.get(u.userName) ?? [], options),
  ).length;
  let done = 0;
  progress({ phase: 'users', done, total });
  const users: UserRecord[] = await mapLimit(details.users, options.userConcurrency, async (u) => {
    const row = report.users.get(u.userName);
    const mfa = virtualMfa.get(u.userName) ?? [];
    const { unknown, ...creds } = await collectUserCredentials(iam, u.userName, row, mfa, options, reads);
    if (needsUserCalls(row, mfa, options)) progress({ phase: 'users', done: ++done, total });
    if (!serviceCreds) unknown.push('serviceSpecificCredentials');
    return {
      accountId: account.id,
      ...u,
      ...creds,
      serviceSpecificCredentials: serviceCreds?.byUser?.get(u.userName) ?? [],
      ...(unknown.length ? { unknown } : {}),
    };
  });
  if (options.activity) {
    progress({ phase: 'cloudtrail', done: 0, total: 1 });
    await collectActivity(clients.cloudtrail, users, options, reads);
  }
  progress({ phase: 'done', done: 1, total: 1 });
  const unread = reads.unread();
  return {
    accountId: account.id,
    name: account.name,
    alias: alias ?? null,
    status: unread.length ? 'partial' : 'ok',
    ...(unread.length ? { unread } : {}),
    users,
    groups: details.groups,
    policies: policiesInUse(details),
    roles: details.roles,
    samlProviders: samlProviders ?? [],
    root: rootRecord(report, virtualMfa),
    ...(passwordPolicy ? { passwordPolicy: passwordPolicy.policy } : {}),
  };
}
