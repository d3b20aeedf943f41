/**
 * The migration plan: what `iam2sso plan` proposes and `iam2sso apply` makes. The JSON field names are a
 * contract with apply and with the plan file people edit; `formatVersion` changes when they do.
 */
import type { Category } from './model.js';
import type { PlannedAdoption } from './plan-adopt.js';
import type { IdentitySource } from './reconcile/identity-source.js';

/** The plan file format this code reads and writes. */
export const PLAN_FORMAT_VERSION = 1;

/** A permissions boundary as Identity Center takes it: an AWS managed ARN or a customer managed reference. */
export type PermissionsBoundaryRef =
  | { managedPolicyArn: string }
  | { customerManagedPolicy: { name: string; path: string } };

/** How strong a permission set is; decides its default session duration. */
export type PermissionSetKind = 'admin' | 'power-user' | 'read-only';

export type PlannedPermissionSet = {
  /** Stable id from the policy content it was made from; edits are kept by it. */
  key: string;
  name: string;
  /** The description Identity Center shows (absent: `iam2sso: <name>`). */
  description?: string;
  /** ISO-8601 duration, PT1H..PT12H. */
  sessionDuration: string;
  kind: PermissionSetKind;
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  /** Minified policy JSON, or null. */
  inlinePolicy: string | null;
  permissionsBoundary: PermissionsBoundaryRef | null;
  /** Why it exists, where it came from, and why it was split if it was. */
  reason: string;
};

export type PlannedAssignment = { accountId: string; permissionSet: string };

export type PlannedGroup = {
  key: string;
  name: string;
  description: string;
  /** Entra user principal names. */
  members: string[];
  assignments: PlannedAssignment[];
  /**
   * The Identity Center directory group this group replaces (same name; see plan-directory-groups.ts): its
   * `members` are its members as listed, since directory users have no user block. Absent for other groups.
   */
  replaces?: string;
};

/**
 * What happens to an IAM user: `migrate` (into Entra groups), `replace` (service account), `keep` (stays an
 * IAM user), `decommission`, or `skip` (left out of this migration for now; a reviewer's choice).
 */
export type UserAction = 'migrate' | 'replace' | 'keep' | 'decommission' | 'skip';

/** How a user's Entra UPN was found. */
export type UpnSource = 'plan-file' | 'mapping-file' | 'tag' | 'template' | 'directory' | 'none';

export type UserParity = {
  /** Access the user has today and would lose (`action` or `action on resource`). */
  gaps: string[];
  /** Access the user would gain. */
  excess: string[];
  /** Statements that cannot be compared statically (conditions, NotResource, scoped Deny). */
  needsReview: string[];
  /** Gaps accepted by a reviewer (exact entries or IAM-style wildcards, e.g. `s3:*`). */
  acknowledged: string[];
};

export type PlannedUser = {
  accountId: string;
  userName: string;
  category: Category;
  /** Why a reviewer should confirm this user's action (classification undecided or contradicted); absent when none. */
  review?: string;
  upn: string | null;
  upnSource: UpnSource;
  action: UserAction;
  permissionSets: string[];
  groups: string[];
  parity: UserParity;
  /** Why apply must skip this user for now (empty: ready). */
  blockedBy: string[];
  notes: string[];
};

export type ServiceRecommendation =
  | 'iam-role-on-compute'
  | 'github-actions-oidc'
  | 'iam-roles-anywhere'
  | 'keep-with-rotation';

export type PlannedServiceAccount = {
  accountId: string;
  userName: string;
  recommendation: ServiceRecommendation;
  reason: string;
  /** Trust policy JSON for the replacement role, or null. */
  trustPolicy: string | null;
  /** The policy the replacement (or the kept user) should have: minified JSON, or null. */
  policy: string | null;
};

/** What the plan was made from, so apply can refuse a plan made from a state that has since changed. */
export type PlanFingerprint = {
  runId: string;
  takenAt: string;
  accounts: { accountId: string; hash: string }[];
};

/** Something about the plan as a whole a reviewer should know (a policy that could not be read, ...). */
export type PlanProblem = { id: string; message: string; accountId?: string; userName?: string };

export type MigrationPlan = {
  formatVersion: number;
  createdAt: string;
  /** Who feeds Identity Center's users and groups (absent in older plans: `iam2sso-sync`). */
  identitySource?: IdentitySource;
  fingerprint: PlanFingerprint;
  permissionSets: PlannedPermissionSet[];
  groups: PlannedGroup[];
  users: PlannedUser[];
  serviceAccounts: PlannedServiceAccount[];
  problems: PlanProblem[];
  /** Existing objects a person adopted: apply manages them from then on (absent when none). */
  adopt?: PlannedAdoption[];
  /** PIM for Groups settings of the privileged groups (`entra harden --pim`); absent: proposed from the sets. */
  privilegedAccess?: PrivilegedGroupSetting[];
  /** Roles of direct SAML federation and the Identity Center access that replaces them (absent when none). */
  directSaml?: PlannedSamlRole[];
  /** Accounts kept outside Identity Center: direct SAML federation from Entra, made or kept by apply. */
  outsideIdentityCenter?: PlannedOutsideAccount[];
};

/**
 * An account that stays outside Identity Center: its Entra "AWS Single-Account Access" app, the IAM SAML provider made
 * from that app's federation metadata, and the roles people reach through it. `adopt: true` keeps the existing app and
 * provider of these names as the tool's (otherwise a name already taken is refused); apply gives the account no
 * Identity Center assignment.
 */
export type PlannedOutsideAccount = {
  accountId: string;
  /** The Entra enterprise app's display name. */
  app: string;
  /** The IAM SAML provider's name in the account. */
  provider: string;
  adopt?: boolean;
  roles: PlannedOutsideRole[];
};

/** One role with the SAML trust: its AWS managed or customer managed policy ARNs and the Entra groups given it. */
export type PlannedOutsideRole = {
  name: string;
  policies: string[];
  groups: string[];
  /** Keep the existing role of this name as it is (adopted); otherwise it is created. */
  adopt?: boolean;
};

/**
 * One IAM role that a SAML provider other than Identity Center's lets people assume (Entra's "AWS Single-Account
 * Access"), the permission set and account assignment that replace it, and the people who hold it in Entra.
 */
export type PlannedSamlRole = {
  accountId: string;
  role: string;
  provider: string;
  /** The permission sets that give the role's access (more than one when it had to be split). */
  permissionSets: string[];
  /** The `AWS-<Account>-<PermissionSet>` groups assigned them on the account; holders join these. */
  groups: string[];
  /** UPNs of the people Entra gives the role: members of the assigned groups, and users assigned directly. */
  members: string[];
  /** Where each holder comes from: `group <name>` or `user <upn>`, in the Entra app. */
  via: string[];
  /** The role's access today against the permission sets' (gaps block the holders until acknowledged). */
  parity: UserParity;
  /** Why apply adds nobody for this role yet (empty: ready). */
  blockedBy: string[];
};

/** One group whose membership is eligible (activated for a while) rather than standing. */
export type PrivilegedGroupSetting = {
  group: string;
  /** Longest activation, ISO-8601 (PT4H by default). */
  maxActivation: string;
  /** Activation needs an approver. */
  approval: boolean;
  /** Who approves (UPNs of Entra users, or names of Entra groups whose members approve); needed with approval. */
  approvers?: string[];
  /** Activation needs a justification. */
  justification: boolean;
};
