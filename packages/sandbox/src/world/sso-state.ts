/**
 * IAM Identity Center state of the sandbox: one instance (in the management account), its permission
 * sets and account assignments, and its Identity Store. Users and groups here are the same whether they
 * came through the Identity Store API or the SCIM endpoint.
 */

export type IdentityStoreEmail = { value: string; type?: string; primary?: boolean };

export type IdentityStoreAddress = {
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  formatted?: string;
  type?: string;
  primary?: boolean;
};

export type IdentityStoreUser = {
  userId: string;
  identityStoreId: string;
  userName: string;
  displayName: string;
  name: {
    givenName?: string;
    familyName?: string;
    formatted?: string;
    middleName?: string;
    honorificPrefix?: string;
    honorificSuffix?: string;
  };
  emails: IdentityStoreEmail[];
  /** At most one each, as the Identity Store allows. */
  addresses?: IdentityStoreAddress[];
  phoneNumbers?: IdentityStoreEmail[];
  /** ExternalIds: issuer + id (SCIM sets issuer to the SCIM client, externalId the Entra object id). */
  externalIds: { issuer: string; id: string }[];
  active: boolean;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  nickName?: string;
  profileUrl?: string;
  /** Where it came from, for the SCIM `meta` and for tests. */
  createdBy: 'identitystore' | 'scim';
  createdAt: Date;
  updatedAt: Date;
  /** ARN of the principal that created / last changed it (the API's CreatedBy / UpdatedBy). */
  createdByArn?: string;
  updatedByArn?: string;
};

export type IdentityStoreGroup = {
  groupId: string;
  identityStoreId: string;
  displayName: string;
  description?: string;
  externalIds: { issuer: string; id: string }[];
  createdBy: 'identitystore' | 'scim';
  createdAt: Date;
  updatedAt: Date;
  createdByArn?: string;
  updatedByArn?: string;
};

export type GroupMembership = {
  membershipId: string;
  groupId: string;
  userId: string;
  createdAt?: Date;
  createdByArn?: string;
};

export type PermissionSet = {
  permissionSetArn: string;
  name: string;
  description?: string;
  sessionDuration: string;
  relayState?: string;
  createdDate: Date;
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  inlinePolicy?: string;
  permissionsBoundary?: { managedPolicyArn?: string; customerManagedPolicyReference?: { name: string; path: string } };
  tags: { key: string; value: string }[];
  /** Bumped on every change; provisioning copies it to the accounts. */
  revision: number;
  /** Account id to the revision last provisioned there. */
  provisionedRevision: Map<string, number>;
};

export type AccountAssignment = {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
};

/** An asynchronous Identity Center operation (assignment create/delete, provisioning) and its status. */
export type AsyncOperation = {
  requestId: string;
  kind: 'create-assignment' | 'delete-assignment' | 'provision' | 'delete-inline-policy';
  status: 'IN_PROGRESS' | 'FAILED' | 'SUCCEEDED';
  failureReason?: string;
  createdDate: Date;
  /** Virtual time at which the operation completes. */
  completesAt: Date;
  accountId?: string;
  permissionSetArn?: string;
  principalType?: 'USER' | 'GROUP';
  principalId?: string;
  /** Provisioning: one account (accountId) or every account the permission set is provisioned to. */
  targetType?: 'AWS_ACCOUNT' | 'ALL_PROVISIONED_ACCOUNTS';
};

export type SsoState = {
  instanceArn: string;
  /** Optional instance name and creation date, as DescribeInstance reports them. */
  name?: string;
  createdDate?: Date;
  identityStoreId: string;
  ownerAccountId: string;
  region: string;
  users: Map<string, IdentityStoreUser>;
  groups: Map<string, IdentityStoreGroup>;
  memberships: Map<string, GroupMembership>;
  permissionSets: Map<string, PermissionSet>;
  assignments: AccountAssignment[];
  operations: Map<string, AsyncOperation>;
  /**
   * Token-bucket limit in requests per second shared by the SSO Admin and Identity Store APIs (AWS: 20);
   * null or absent means unlimited, so tests run fast.
   */
  rateLimitPerSecond?: number | null;
  /** State of that token bucket. */
  rateBucket?: { tokens: number; atMs: number };
  /** How long (ms of virtual time) an asynchronous operation stays IN_PROGRESS; 250 when absent. */
  asyncDelayMs?: number;
};
