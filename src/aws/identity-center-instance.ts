/**
 * The Identity Center instance every SSO Admin call names: looked up once per adapter (the first instance),
 * with the request fields built from it.
 */
import { ListInstancesCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';

/** An SSO Admin client bound to its instance. */
export type InstanceScope = {
  client: SSOAdminClient;
  /** The instance ARN and the Identity Store id of the (first) Identity Center instance. */
  instance(): Promise<{ instanceArn: string; identityStoreId: string }>;
  /** The instance ARN. */
  arn(): Promise<string>;
  /** `{ InstanceArn, PermissionSetArn }`, the input of every per-permission-set call. */
  ps(permissionSetArn: string): Promise<{ InstanceArn: string; PermissionSetArn: string }>;
};

/** Binds a client to the first Identity Center instance, read on first use and remembered. */
export function instanceScope(client: SSOAdminClient): InstanceScope {
  let instanceArn: string | undefined;
  let storeId: string | undefined;
  const instance = async () => {
    if (!instanceArn) {
      const out = await client.send(new ListInstancesCommand({}));
      const first = out.Instances?.[0];
      if (!first?.InstanceArn) throw new Error('no IAM Identity Center instance: enable Identity Center first');
      instanceArn = first.InstanceArn;
      storeId = first.IdentityStoreId;
    }
    return { instanceArn, identityStoreId: storeId ?? '' };
  };
  const arn = async () => (await instance()).instanceArn;
  return { client, instance, arn, ps: async (PermissionSetArn) => ({ InstanceArn: await arn(), PermissionSetArn }) };
}
