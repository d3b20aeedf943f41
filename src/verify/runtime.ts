/**
 * The readers verification uses, built in one place from the product's AWS settings: the Identity Center and
 * Identity Store adapters apply uses (unpaced: a verification reads, in bursts), and IAM in every account.
 */
import type { AwsSettings } from '../aws/clients.js';
import { createSsoAdminClient, identityCenterAdapter } from '../aws/identity-center.js';
import { createIdentityStoreClient, identityStoreAdapter } from '../aws/identity-store.js';
import { type AccountIam, accountIam } from './account-iam.js';
import type { AssignmentReaders } from './assignments.js';

/** Readers for `readLiveFacts`, and how to close them. */
export type VerifyRuntime = { readers: AssignmentReaders; iam: AccountIam; close(): void };

/** Builds the readers; member accounts are reached by assuming `assumeRole`. */
export function createVerifyRuntime(
  settings: AwsSettings,
  assumeRole = 'OrganizationAccountAccessRole',
): VerifyRuntime {
  const unpaced = async () => undefined;
  const sso = createSsoAdminClient(settings, unpaced);
  const identityCenter = identityCenterAdapter(sso);
  const storeClient = createIdentityStoreClient(settings, unpaced);
  const identityStore = identityStoreAdapter(
    storeClient,
    async () => (await identityCenter.instance()).identityStoreId,
  );
  const iam = accountIam(settings, assumeRole);
  return {
    readers: { identityCenter, identityStore },
    iam,
    close() {
      sso.destroy();
      storeClient.destroy();
      iam.close();
    },
  };
}
