/**
 * Names of Identity Center users seen only by id: records since July 2025 carry `onBehalfOf.userId` and the
 * identity store's ARN instead of a name. DescribeUser gives the user name (the UPN when Entra provisions it).
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_DescribeUser.html
 */
import { DescribeUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { type AwsSettings, countRequests, identityCenterReadConfig } from '../aws/clients.js';

/** Resolves `identityStoreArn#userId` subjects to user names; ids that cannot be read stay unresolved. */
export async function resolveIdcUsers(settings: AwsSettings, subjects: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (subjects.length === 0) return out;
  const client = countRequests(
    new IdentitystoreClient(identityCenterReadConfig(settings)),
    'identitystore',
    settings.counter,
  );
  try {
    for (const subject of subjects) {
      const [arn, userId] = subject.split('#');
      const storeId = arn?.split('/').pop();
      if (!storeId || !userId) continue;
      try {
        const user = await client.send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: userId }));
        if (user.UserName) out.set(subject, user.UserName);
      } catch {
        // Deleted users and stores the caller cannot read stay unresolved; the report lists them.
      }
    }
  } finally {
    client.destroy();
  }
  return out;
}
