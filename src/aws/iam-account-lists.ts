/** The small account-wide IAM lists: alias, SAML providers, virtual MFA devices, service-specific credentials. */
import {
  type IAMClient,
  ListSAMLProvidersCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAccountAliases,
  paginateListVirtualMFADevices,
} from '@aws-sdk/client-iam';
import type { UserRecord } from '../core/model.js';

/** The account alias (an account has at most one), or null. */
export async function fetchAccountAlias(iam: IAMClient): Promise<string | null> {
  for await (const page of paginateListAccountAliases({ client: iam }, {}))
    if (page.AccountAliases?.[0]) return page.AccountAliases[0];
  return null;
}

/** SAML identity providers already set up in the account (an earlier federation attempt, or Entra already). */
export async function fetchSamlProviders(iam: IAMClient): Promise<{ arn: string; validUntil: string | null }[]> {
  const out = await iam.send(new ListSAMLProvidersCommand({}));
  return (out.SAMLProviderList ?? []).map((p) => ({ arn: p.Arn!, validUntil: p.ValidUntil?.toISOString() ?? null }));
}

/** Serial numbers of assigned virtual MFA devices, by user name (root's device is keyed by '<root>'). */
export async function fetchVirtualMfaByUser(iam: IAMClient): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const page of paginateListVirtualMFADevices(
    { client: iam, pageSize: 1000 },
    { AssignmentStatus: 'Assigned' },
  ))
    for (const d of page.VirtualMFADevices ?? []) {
      const user = d.User?.Arn?.endsWith(':root') ? '<root>' : d.User?.UserName;
      if (!user) continue;
      out.set(user, [...(out.get(user) ?? []), d.SerialNumber!]);
    }
  return out;
}

type ServiceCredential = UserRecord['serviceSpecificCredentials'][number];

/**
 * Every user's service-specific credentials (CodeCommit, Keyspaces, Bedrock API keys) in one paginated call
 * with `AllUsers`. Returns undefined when the endpoint does not know `AllUsers` (then the caller decides
 * whether per-user calls are worth it).
 */
export async function fetchServiceCredentialsAllUsers(
  iam: IAMClient,
): Promise<Map<string, ServiceCredential[]> | undefined> {
  const out = new Map<string, ServiceCredential[]>();
  let marker: string | undefined;
  try {
    do {
      const page = await iam.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, Marker: marker }));
      for (const c of page.ServiceSpecificCredentials ?? [])
        out.set(c.UserName!, [
          ...(out.get(c.UserName!) ?? []),
          {
            id: c.ServiceSpecificCredentialId!,
            serviceName: c.ServiceName!,
            status: c.Status!,
            createdAt: c.CreateDate!.toISOString(),
          },
        ]);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return out;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ValidationError' || name === 'InvalidInput' || name === 'InvalidInputException') return undefined;
    throw error;
  }
}
