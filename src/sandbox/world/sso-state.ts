/**
 * IAM Identity Center state of the sandbox (one instance, in the management account) and its
 * Identity Store. Extended by the SSO Admin and Identity Store handlers.
 */

export type SsoState = {
  instanceArn: string;
  identityStoreId: string;
  ownerAccountId: string;
  region: string;
};
