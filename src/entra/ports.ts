/**
 * The narrow ports of the Entra side: only the Microsoft Graph calls the product makes, as plain records.
 * The Graph adapter implements them; tests and the dry run wrap or fake them.
 */
import type { EntraUser } from '../core/entra-user.js';

/** An Entra user: the product's one record of it. */
export type { EntraUser };

/** An Entra group as the product reads it. */
export type EntraGroup = {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  securityEnabled: boolean;
  mailEnabled: boolean;
};

/** A direct member of a group: a user or a nested group. */
export type MemberRef = { id: string; type: 'user' | 'group' | 'other' };

/** A group in a delta round, with the member changes since the previous round. */
export type GroupChange = EntraGroup & { membersAdded: MemberRef[]; membersRemoved: MemberRef[] };

/** One delta round: what changed, and the link to ask for the next round (the caller stores it). */
export type DeltaRound<T> = {
  changed: T[];
  /** Object ids deleted since the previous round. */
  removed: string[];
  deltaLink: string;
  /** True when the stored delta link had expired and this round is a full resync (replace, do not merge). */
  fullResync: boolean;
};

/** Directory reads at scale. */
export type DirectoryReader = {
  listUsers(onPage?: (count: number) => void): Promise<EntraUser[]>;
  listGroups(onPage?: (count: number) => void): Promise<EntraGroup[]>;
  findUserByUpn(upn: string): Promise<EntraUser | null>;
  findGroupsByName(displayName: string): Promise<EntraGroup[]>;
  usersDelta(deltaLink?: string): Promise<DeltaRound<EntraUser>>;
  groupsDelta(deltaLink?: string): Promise<DeltaRound<GroupChange>>;
  /** Every user in the group, through nested groups. */
  transitiveUserMembers(groupId: string): Promise<EntraUser[]>;
  /** Direct members of many groups, fetched with `$batch` (20 requests each). */
  directMembersOf(groupIds: string[]): Promise<Map<string, MemberRef[]>>;
};

/** What an idempotent write did: it made the change, or the change was already in place. */
export type WriteOutcome = 'done' | 'already';

/** Directory writes; each is idempotent. */
export type DirectoryWriter = {
  createSecurityGroup(input: { displayName: string; description: string | null }): Promise<EntraGroup>;
  addMember(groupId: string, memberId: string): Promise<WriteOutcome>;
  removeMember(groupId: string, memberId: string): Promise<WriteOutcome>;
  assignToApp(servicePrincipalId: string, principalId: string, appRoleId: string): Promise<WriteOutcome>;
  /** Removes every assignment of the principal to the app (none left is success). */
  unassignFromApp(servicePrincipalId: string, principalId: string): Promise<WriteOutcome>;
};

/** The gallery enterprise app: application and service principal ids and what SAML setup needs. */
export type EnterpriseApp = {
  appObjectId: string;
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  applicationTemplateId: string | null;
  preferredSingleSignOnMode: string | null;
  preferredTokenSigningKeyThumbprint: string | null;
  identifierUris: string[];
  redirectUris: string[];
  /** Token signing certificates (keyCredentials with usage Verify) with their thumbprints and expiry. */
  signingCertificates: { keyId: string; thumbprint: string; endDateTime: string }[];
  appRoles: { id: string; displayName: string; value: string | null }[];
};

/** A provisioning (synchronization) job of the app. */
export type SyncJob = {
  id: string;
  templateId: string;
  scheduleState: string;
  quarantined: boolean;
  lastExecutionState: string | null;
};

/** Graph reads of the enterprise app and its provisioning. */
export type AppReader = {
  findApps(displayName: string, templateId: string): Promise<EnterpriseApp[]>;
  getApp(servicePrincipalId: string): Promise<EnterpriseApp | null>;
  listSyncJobs(servicePrincipalId: string): Promise<SyncJob[]>;
  listSyncTemplateIds(servicePrincipalId: string): Promise<string[]>;
  /** The id of the synchronization rule that provisions users (for provisionOnDemand). */
  userRuleId(servicePrincipalId: string, jobId: string): Promise<string | null>;
  /** True when the saved provisioning credentials reach the SCIM endpoint. */
  savedCredentialsWork(servicePrincipalId: string, jobId: string): Promise<boolean>;
  /** The federation metadata XML Entra publishes for the app (signed with its active certificate). */
  federationMetadata(appId: string): Promise<string>;
  listAssignments(servicePrincipalId: string): Promise<{ principalId: string; appRoleId: string }[]>;
};

/** A SCIM connection for provisioning; the token comes from the environment and is never stored. */
export type ScimCredentials = { baseAddress: string; token: string };

/** The result of provisioning one user on demand. */
export type OnDemandResult = {
  status: 'Success' | 'Skipped' | 'Failure' | string;
  action: string | null;
  reason: string | null;
  targetId: string | null;
};

/** Graph writes of the enterprise app and its provisioning; each is idempotent. */
export type AppWriter = {
  /** Instantiates the gallery template and waits until Graph can read the new service principal. */
  instantiate(templateId: string, displayName: string): Promise<EnterpriseApp>;
  /** Removes the app's service principal and application (only an app the tool created; rollback). */
  removeApp(servicePrincipalId: string, appObjectId: string): Promise<void>;
  /** Sets the single sign-on mode (saml; null clears it). */
  setSsoMode(servicePrincipalId: string, mode: string | null): Promise<void>;
  setSamlUrls(appObjectId: string, identifierUris: string[], redirectUris: string[]): Promise<void>;
  /** Adds a token signing certificate and returns its thumbprint. */
  addSigningCertificate(servicePrincipalId: string, displayName: string, endDateTime: Date): Promise<string>;
  setPreferredThumbprint(servicePrincipalId: string, thumbprint: string | null): Promise<void>;
  /** Saves the federation metadata Entra publishes for the app to `path`, whole (temporary file, then rename). */
  saveFederationMetadata(appId: string, path: string): Promise<void>;
  /** Puts the file back as it was (`content` null: removes it); the undo of a save. */
  restoreFederationMetadata(path: string, content: string | null): Promise<void>;
  createSyncJob(servicePrincipalId: string, templateId: string): Promise<SyncJob>;
  saveScimCredentials(servicePrincipalId: string, jobId: string, credentials: ScimCredentials): Promise<void>;
  startSyncJob(servicePrincipalId: string, jobId: string): Promise<void>;
  pauseSyncJob(servicePrincipalId: string, jobId: string): Promise<void>;
  deleteSyncJob(servicePrincipalId: string, jobId: string): Promise<void>;
  assign(servicePrincipalId: string, principalId: string, appRoleId: string): Promise<WriteOutcome>;
  /** Removes the principal's assignments to the app (none left is success). */
  unassign(servicePrincipalId: string, principalId: string): Promise<WriteOutcome>;
  provisionOnDemand(servicePrincipalId: string, jobId: string, ruleId: string, userId: string): Promise<OnDemandResult>;
};
