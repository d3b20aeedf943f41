/**
 * The audit fan-out: discover accounts, reach each one (base credentials for the caller's own account,
 * AssumeRole into the others), collect them with bounded concurrency, and report unreachable accounts with
 * the reason while the rest complete. An account whose optional reads failed is `partial` (see account-reads.ts).
 */
import type { AccountSnapshot, AuditSnapshot } from '../core/model.js';
import { assumeRoleCredentials, type DiscoveredAccount, discoverAccounts, roleArn } from './accounts.js';
import { type AwsSettings, createAccountClients, createBaseClients, destroyClients } from './clients.js';
import { mapLimit } from './fan-out.js';
import { type AccountProgress, type CollectOptions, collectAccount } from './iam-account.js';
import { adviceFor, describeReadFailure, isDenial, RequiredReadFailed, readFailureOf } from './read-failure.js';

export type AuditOptions = CollectOptions & {
  runId: string;
  assumeRole: string;
  /** Only these account ids, when given. */
  accounts?: string[];
  concurrency: number;
};

export type AuditEvents = {
  /** Called once the accounts are known, before any is collected. */
  accountsFound(accounts: DiscoveredAccount[], note?: string): void;
  progress(accountId: string, p: AccountProgress): void;
  accountDone(account: AccountSnapshot): void;
};

function unreachable(account: DiscoveredAccount, error: string): AccountSnapshot {
  return {
    accountId: account.id,
    name: account.name,
    alias: null,
    status: 'unreachable',
    error,
    users: [],
    groups: [],
    policies: [],
    roles: [],
    samlProviders: [],
    root: null,
  };
}

/** Why an account could not be audited, with what to do about it. */
function whyUnreachable(error: unknown, accountId: string, service: string, operation: string): string {
  const failure =
    error instanceof RequiredReadFailed ? error.failure : readFailureOf(error, service, operation, accountId);
  return `${describeReadFailure(failure)}; ${adviceFor(failure)}`;
}

/** Runs the collection side of `iam2sso audit` and returns the snapshot. */
export async function collectAudit(
  settings: AwsSettings,
  options: AuditOptions,
  events: AuditEvents,
): Promise<AuditSnapshot> {
  const base = createBaseClients(settings);
  const takenAt = options.now().toISOString();
  try {
    const found = await discoverAccounts(base.sts, base.organizations);
    let accounts = found.accounts;
    if (options.accounts?.length) {
      const wanted = new Set(options.accounts);
      const known = new Set(accounts.map((a) => a.id));
      accounts = [
        ...accounts.filter((a) => wanted.has(a.id)),
        // Named but not listed by Organizations: try them anyway (a delegated admin may not see every account).
        ...options.accounts.filter((id) => !known.has(id)).map((id) => ({ id, name: id, status: 'ACTIVE' })),
      ];
    }
    events.accountsFound(accounts, found.fallbackReason);
    const snapshots = await mapLimit(accounts, options.concurrency, async (account) => {
      const result = await auditOne(
        account,
        found.callerAccountId,
        found.partition,
        settings,
        base.sts,
        options,
        events,
      );
      events.accountDone(result);
      return result;
    });
    return {
      runId: options.runId,
      takenAt,
      managementAccountId: found.managementAccountId,
      accounts: snapshots,
      ...(found.standalone ? { standalone: true } : {}),
    };
  } finally {
    destroyClients(base);
  }
}

async function auditOne(
  account: DiscoveredAccount,
  callerAccountId: string,
  partition: string,
  settings: AwsSettings,
  sts: ReturnType<typeof createBaseClients>['sts'],
  options: AuditOptions,
  events: AuditEvents,
): Promise<AccountSnapshot> {
  if (account.status !== 'ACTIVE') return unreachable(account, `account is ${account.status}`);
  let credentials = settings.credentials;
  if (account.id !== callerAccountId) {
    const arn = roleArn(partition, account.id, options.assumeRole);
    events.progress(account.id, { phase: 'assuming role', done: 0, total: 1 });
    try {
      credentials = await assumeRoleCredentials(sts, arn);
    } catch (error) {
      const failure = readFailureOf(error, 'sts', 'AssumeRole', account.id);
      const advice = isDenial(failure)
        ? `check that ${options.assumeRole} exists in ${account.id} and trusts the caller (--assume-role names another role)`
        : adviceFor(failure);
      return unreachable(account, `cannot assume ${arn}: ${describeReadFailure(failure)}; ${advice}`);
    }
  }
  const clients = createAccountClients(settings, credentials);
  try {
    return await collectAccount(account, clients, options, (p) => events.progress(account.id, p));
  } catch (error) {
    return unreachable(account, whyUnreachable(error, account.id, 'iam', 'audit'));
  } finally {
    destroyClients(clients);
  }
}
