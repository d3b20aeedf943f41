/**
 * The narrow ports apply reconciles through: only the calls the product makes. The AWS SDK adapters
 * (src/aws/identity-center.ts, identity-store.ts), the Graph adapter and the dry-run wrappers implement them;
 * `iam2sso sync` reuses the Identity Store port.
 */
import type { EntraUser } from '../core/entra-user.js';
import type { BoundaryRef } from '../core/reconcile/desired.js';
import type { SyncJob } from '../entra/ports.js';
import type { IdentityStorePort } from '../ports/identity-store.js';

/** A permission set as listed: its ARN, name, settings and tags. */
export type PermissionSetInfo = {
  arn: string;
  name: string;
  description: string;
  sessionDuration: string;
  tags: Record<string, string>;
  /** Where the AWS access portal sends a user after sign-in (kept so that a deleted set can be restored). */
  relayState?: string | null;
};

/** The policies attached to a permission set. */
export type PermissionSetPolicies = {
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  inlinePolicy: string | null;
  permissionsBoundary: BoundaryRef | null;
};

/** An account assignment of a permission set to an Identity Store principal. */
export type AssignmentRef = {
  accountId: string;
  permissionSetArn: string;
  principalType: 'GROUP' | 'USER';
  principalId: string;
};

/** The state of an asynchronous Identity Center request. */
export type AsyncStatus = { status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED'; failureReason?: string };

/** Which asynchronous operation a request id belongs to. */
export type AsyncKind = 'create-assignment' | 'delete-assignment' | 'provision';

/** Identity Center reads. */
export type IdentityCenterReader = {
  /** The instance ARN and the Identity Store id of the (first) Identity Center instance. */
  instance(): Promise<{ instanceArn: string; identityStoreId: string }>;
  listPermissionSets(): Promise<PermissionSetInfo[]>;
  readPolicies(permissionSetArn: string): Promise<PermissionSetPolicies>;
  /** Accounts the permission set is provisioned to; `outdated` only those not at its latest version. */
  provisionedAccounts(permissionSetArn: string, outdated: boolean): Promise<string[]>;
  listAssignments(accountId: string, permissionSetArn: string): Promise<AssignmentRef[]>;
  asyncStatus(kind: AsyncKind, requestId: string): Promise<AsyncStatus>;
  /** Request ids of asynchronous operations of a kind still IN_PROGRESS, with what they act on. */
  inProgress(kind: AsyncKind): Promise<{ requestId: string; target: Partial<AssignmentRef> }[]>;
};

/** Identity Center writes; every one is idempotent (already there / already gone is success). */
export type IdentityCenterWriter = {
  createPermissionSet(p: {
    name: string;
    description: string;
    sessionDuration: string;
    tags: Record<string, string>;
    relayState?: string | null;
  }): Promise<string>;
  updatePermissionSet(arn: string, p: { description: string; sessionDuration: string }): Promise<void>;
  deletePermissionSet(arn: string): Promise<void>;
  attachManagedPolicy(arn: string, policyArn: string): Promise<void>;
  detachManagedPolicy(arn: string, policyArn: string): Promise<void>;
  attachCustomerManagedPolicy(arn: string, ref: { name: string; path: string }): Promise<void>;
  detachCustomerManagedPolicy(arn: string, ref: { name: string; path: string }): Promise<void>;
  putInlinePolicy(arn: string, document: string): Promise<void>;
  deleteInlinePolicy(arn: string): Promise<void>;
  putPermissionsBoundary(arn: string, boundary: BoundaryRef): Promise<void>;
  deletePermissionsBoundary(arn: string): Promise<void>;
  /** Starts the creation; returns the request id to poll. */
  createAssignment(a: AssignmentRef): Promise<string>;
  /** Starts the deletion; returns the request id to poll (null when it was already gone). */
  deleteAssignment(a: AssignmentRef): Promise<string | null>;
  /** Starts provisioning the permission set's latest version to one account; returns the request id. */
  provision(permissionSetArn: string, accountId: string): Promise<string>;
};

export type IdentityCenterPort = IdentityCenterReader & IdentityCenterWriter;

/** The Identity Store port and its records (one for apply, sync, rollback and verify). */
export type { IdentityStorePort, StoreGroup, StoreMembership, StoreUser } from '../ports/identity-store.js';

export type EntraGroupInfo = { id: string; displayName: string; description: string | null };

/** The enterprise app groups are assigned to (AWS IAM Identity Center from the gallery). */
export type EntraAppInfo = { servicePrincipalId: string; appRoleId: string; displayName: string };

/** Entra reads and idempotent writes: groups, their members, the app assignment. */
export type EntraPort = {
  listUsers(): Promise<EntraUser[]>;
  listGroups(): Promise<EntraGroupInfo[]>;
  /** Direct members of a group that are users (object ids). */
  listGroupMembers(groupId: string): Promise<string[]>;
  /** The Identity Center enterprise app, or null when it has not been set up. */
  findIdentityCenterApp(): Promise<EntraAppInfo | null>;
  /** Group object ids assigned to the app. */
  listAppAssignedGroups(servicePrincipalId: string): Promise<string[]>;
  /** The app's provisioning (synchronization) jobs, to say why groups do not reach the Identity Store. */
  provisioningJobs(servicePrincipalId: string): Promise<SyncJob[]>;
  /** Creates the group; a group holding the name is a NotManagedError (Entra allows duplicate names; we do not). */
  createGroup(displayName: string, description: string): Promise<string>;
  deleteGroup(groupId: string): Promise<void>;
  addGroupMember(groupId: string, userId: string): Promise<void>;
  removeGroupMember(groupId: string, userId: string): Promise<void>;
  assignGroupToApp(app: EntraAppInfo, groupId: string): Promise<void>;
  /** Removes the group's assignment to the app (only one the tool made; none left is success). */
  unassignGroupFromApp(app: EntraAppInfo, groupId: string): Promise<void>;
};

/** Everything apply talks to. */
export type ApplyPorts = { identityCenter: IdentityCenterPort; identityStore: IdentityStorePort; entra: EntraPort };

/** The tag that marks what iam2sso created (only those are ever deleted). */
export const MANAGED_TAG = { key: 'managed-by', value: 'iam2sso' } as const;

/** The marker in descriptions of Entra and Identity Store groups iam2sso created (groups have no tags). */
export const MANAGED_MARKER = '[managed by iam2sso]';
