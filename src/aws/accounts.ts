/**
 * Account discovery and access: the organization's accounts (or the single account of the credentials when
 * there is no organization or no permission to list it), and role credentials for each member account.
 */
import {
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';

export type DiscoveredAccount = { id: string; name: string; status: 'ACTIVE' | 'SUSPENDED' | string };

export type Discovery = {
  callerAccountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: taken from the caller's ARN, for the role ARNs we build. */
  partition: string;
  managementAccountId: string | null;
  accounts: DiscoveredAccount[];
  /** Why the organization was not used, when the audit falls back to the caller's account. */
  fallbackReason?: string;
  /** True when Organizations says the account is in no organization (not merely that listing it was denied). */
  standalone?: boolean;
};

const NO_ORG = new Set(['AWSOrganizationsNotInUseException', 'AccessDeniedException', 'AccessDenied']);

/** Finds the accounts to audit. */
export async function discoverAccounts(sts: STSClient, organizations: OrganizationsClient): Promise<Discovery> {
  const me = await sts.send(new GetCallerIdentityCommand({}));
  const callerAccountId = me.Account!;
  const partition = me.Arn?.split(':')[1] ?? 'aws';
  try {
    const org = await organizations.send(new DescribeOrganizationCommand({}));
    const accounts: DiscoveredAccount[] = [];
    for await (const page of paginateListAccounts({ client: organizations }, {}))
      for (const a of page.Accounts ?? [])
        accounts.push({ id: a.Id!, name: a.Name ?? a.Id!, status: a.State ?? a.Status ?? 'ACTIVE' });
    accounts.sort((a, b) => a.id.localeCompare(b.id));
    return { callerAccountId, partition, managementAccountId: org.Organization?.MasterAccountId ?? null, accounts };
  } catch (error) {
    const name = (error as Error).name;
    if (!NO_ORG.has(name)) throw error;
    return {
      callerAccountId,
      partition,
      managementAccountId: null,
      accounts: [{ id: callerAccountId, name: callerAccountId, status: 'ACTIVE' }],
      ...(name === 'AWSOrganizationsNotInUseException' ? { standalone: true } : {}),
      fallbackReason:
        name === 'AWSOrganizationsNotInUseException'
          ? 'the account is not in an organization'
          : `not allowed to list the organization (${name}): auditing only the caller's account`,
    };
  }
}

/**
 * Credentials for a member account through AssumeRole, refreshed five minutes before they expire. The first
 * call happens at once so an account that cannot be reached is known before any work starts.
 */
export async function assumeRoleCredentials(
  sts: STSClient,
  roleArn: string,
  sessionName = 'iam2sso-audit',
): Promise<() => Promise<AwsCredentialIdentity>> {
  let current: AwsCredentialIdentity | undefined;
  const refresh = async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
    const c = out.Credentials!;
    current = {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    return current;
  };
  await refresh();
  return async () => {
    const expires = current?.expiration?.getTime() ?? 0;
    if (current && expires - Date.now() > 5 * 60_000) return current;
    return refresh();
  };
}

/** The ARN of a role in an account, in the caller's partition. */
export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName.replace(/^\/+/, '')}`;
}
