/** Builds snapshot records from the short user descriptions the case tables use (ages in days before NOW). */
import type { AccessKeyRecord, AccountSnapshot, UserRecord } from '../../../src/core/model.js';

export const NOW = new Date('2025-06-01T00:00:00Z');
export const ACCOUNT = '222222222222';

/** A key in a case table: age, days since last use (absent: never used), status. */
export type CaseKey = { ageDays: number; usedDaysAgo?: number; inactive?: boolean; service?: string };

/** A user in a case table. */
export type CaseUser = {
  name: string;
  createdDaysAgo?: number;
  console?: boolean;
  passwordUsedDaysAgo?: number;
  passwordSetDaysAgo?: number;
  mfa?: boolean;
  keys?: CaseKey[];
  groups?: string[];
  tags?: Record<string, string>;
  policies?: string[];
  inline?: Record<string, unknown>;
  userAgents?: string[];
  consoleSignIns?: number;
};

function ago(days: number | undefined): string | null {
  return days === undefined ? null : new Date(NOW.getTime() - days * 86_400_000).toISOString();
}

/** The UserRecord a case describes. */
export function buildUser(c: CaseUser): UserRecord {
  const keys: AccessKeyRecord[] = (c.keys ?? []).map((k, i) => ({
    id: `AKIACASE${c.name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(8, 'X')
      .slice(0, 8)}${i}`,
    status: k.inactive ? 'Inactive' : 'Active',
    createdAt: ago(k.ageDays)!,
    lastUsedAt: ago(k.usedDaysAgo),
    lastUsedService: k.usedDaysAgo === undefined ? null : (k.service ?? 's3'),
    lastUsedRegion: k.usedDaysAgo === undefined ? null : 'us-east-1',
  }));
  return {
    accountId: ACCOUNT,
    userName: c.name,
    userId: `AIDA${c.name.toUpperCase()}`,
    arn: `arn:aws:iam::${ACCOUNT}:user/${c.name}`,
    path: '/',
    createdAt: ago(c.createdDaysAgo ?? 400)!,
    tags: c.tags ?? {},
    consoleEnabled: c.console ?? false,
    passwordLastUsed: ago(c.passwordUsedDaysAgo),
    passwordLastChanged: c.console ? ago(c.passwordSetDaysAgo ?? c.createdDaysAgo ?? 400) : null,
    mfaDevices: c.mfa ? [`arn:aws:iam::${ACCOUNT}:mfa/${c.name}`] : [],
    accessKeys: keys,
    attachedPolicies: (c.policies ?? []).map((arn) => ({ arn, name: arn.split('/').pop()! })),
    inlinePolicies: Object.entries(c.inline ?? {}).map(([name, doc]) => ({ name, document: JSON.stringify(doc) })),
    groups: c.groups ?? [],
    permissionsBoundary: null,
    sshPublicKeys: [],
    signingCertificates: [],
    serviceSpecificCredentials: [],
    ...(c.userAgents || c.consoleSignIns
      ? {
          activity: {
            consoleSignIns: c.consoleSignIns ?? 0,
            lastConsoleSignIn: null,
            apiCalls: c.userAgents?.length ?? 0,
            userAgents: c.userAgents ?? [],
            sourceIps: [],
          },
        }
      : {}),
  };
}

/** An account holding the given users, with optional customer managed policies (arn to document). */
export function buildAccount(
  users: UserRecord[],
  policies: Record<string, unknown> = {},
  root: AccountSnapshot['root'] = null,
): AccountSnapshot {
  return {
    accountId: ACCOUNT,
    name: 'cases',
    alias: null,
    status: 'ok',
    users,
    groups: [],
    policies: Object.entries(policies).map(([arn, doc]) => ({
      arn,
      name: arn.split('/').pop()!,
      path: '/',
      awsManaged: false,
      defaultVersionId: 'v1',
      document: JSON.stringify(doc),
    })),
    roles: [],
    samlProviders: [],
    root,
  };
}
