/**
 * The domain records every stage shares. Adapters produce them, the store keeps them, the pure core reads
 * them. Dates are ISO-8601 strings so snapshots serialize without loss.
 */

export type Iso = string;

export type AccessKeyRecord = {
  id: string;
  status: 'Active' | 'Inactive';
  createdAt: Iso;
  lastUsedAt: Iso | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
};

export type PolicyRef = { arn: string; name: string };

export type InlinePolicy = { name: string; document: string };

export type GroupRecord = {
  name: string;
  arn: string;
  attachedPolicies: PolicyRef[];
  inlinePolicies: InlinePolicy[];
};

export type ManagedPolicyRecord = {
  arn: string;
  name: string;
  path: string;
  awsManaged: boolean;
  defaultVersionId: string;
  /** The default version's document, as JSON text. */
  document: string;
};

/** What CloudTrail says about how a user's credentials were used (empty when not looked up). */
export type ActivityEvidence = {
  consoleSignIns: number;
  lastConsoleSignIn: Iso | null;
  apiCalls: number;
  userAgents: string[];
  sourceIps: string[];
};

export type UserRecord = {
  accountId: string;
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createdAt: Iso;
  tags: Record<string, string>;
  consoleEnabled: boolean;
  passwordLastUsed: Iso | null;
  /** When the console password was last set (credential report), null when unknown or no password. */
  passwordLastChanged?: Iso | null;
  mfaDevices: string[];
  accessKeys: AccessKeyRecord[];
  attachedPolicies: PolicyRef[];
  inlinePolicies: InlinePolicy[];
  groups: string[];
  permissionsBoundary: string | null;
  sshPublicKeys: { id: string; status: string; uploadedAt: Iso }[];
  signingCertificates: { id: string; status: string; uploadedAt: Iso }[];
  serviceSpecificCredentials: { id: string; serviceName: string; status: string; createdAt: Iso }[];
  activity?: ActivityEvidence;
  /**
   * Fields of this record that could not be read (a failed optional read), e.g. `serviceSpecificCredentials`;
   * their values above are placeholders, not data.
   */
  unknown?: UnknownField[];
};

/** A field of a user record that an optional read would have filled. */
export type UnknownField =
  | 'serviceSpecificCredentials'
  | 'mfaDevices'
  | 'accessKeys'
  | 'consoleEnabled'
  | 'signingCertificates'
  | 'sshPublicKeys'
  | 'activity';

/** A read that failed in an account that was otherwise audited. */
export type UnreadItem = {
  service: string;
  operation: string;
  /** The AWS error code (AccessDenied, Throttling) or the failure below it (NonXmlBody, ECONNRESET). */
  code: string;
  /** The HTTP status, null when no answer came. */
  httpStatus: number | null;
  /** One line naming the service, operation, account and status. */
  message: string;
  /** What is unknown because of it, e.g. `service-specific credentials of every user`. */
  affects: string;
  /** How many calls failed this way (per-user reads fail once per user). */
  calls?: number;
};

/**
 * How completely an account was read: `ok` every read answered; `partial` the required reads answered but some
 * optional ones did not (see `unread`); `unreachable` the account could not be audited (see `error`).
 */
export type AccountReadStatus = 'ok' | 'partial' | 'unreachable';

export type RootRecord = {
  mfaActive: boolean;
  accessKeysPresent: boolean;
  accessKeys: { active: boolean; lastUsedAt: Iso | null }[];
  passwordLastUsed: Iso | null;
};

export type AccountSnapshot = {
  accountId: string;
  name: string;
  alias: string | null;
  status: AccountReadStatus;
  /** Why the account could not be audited, when status is 'unreachable'. */
  error?: string;
  /** The reads that failed, when status is 'partial'. */
  unread?: UnreadItem[];
  users: UserRecord[];
  groups: GroupRecord[];
  /** Managed policies in use by users or groups of this account (AWS managed ones included). */
  policies: ManagedPolicyRecord[];
  roles: RoleRecord[];
  samlProviders: { arn: string; validUntil: Iso | null }[];
  root: RootRecord | null;
  /** The account password policy: null when the account has none, absent when it was not read. */
  passwordPolicy?: PasswordPolicyRecord | null;
};

/**
 * An IAM role. Its policies are read only for roles a SAML provider may assume (direct federation, which the plan
 * turns into permission sets); other roles' access is not the migration's to move.
 */
export type RoleRecord = {
  name: string;
  arn: string;
  trustPolicy: string;
  attachedPolicies?: PolicyRef[];
  inlinePolicies?: InlinePolicy[];
  permissionsBoundary?: string | null;
};

/** The account password policy (GetAccountPasswordPolicy), the parts the hygiene findings weigh. */
export type PasswordPolicyRecord = {
  minimumLength: number;
  /** Previous passwords that may not be reused (null: no prevention). */
  reusePrevention: number | null;
  /** Days a password is valid (null: passwords never expire). */
  maxAgeDays: number | null;
};

/** One audit: every account as it was at `takenAt`. */
export type AuditSnapshot = {
  runId: string;
  takenAt: Iso;
  managementAccountId: string | null;
  accounts: AccountSnapshot[];
  /** True when the audited account is in no organization (absent: in one, or not known). */
  standalone?: boolean;
};

export type Category = 'human-console' | 'human-programmatic' | 'service' | 'break-glass' | 'stale';
export type Confidence = 'high' | 'medium' | 'low';

export type Classification = {
  accountId: string;
  userName: string;
  category: Category;
  confidence: Confidence;
  /** Human-readable reasons, strongest first. */
  evidence: string[];
  /** The rule or override that decided it. */
  decidedBy: string;
};

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type FindingKind =
  | 'console-without-mfa'
  | 'admin-attached-directly'
  | 'key-older-than-90-days'
  | 'key-unused-90-days'
  | 'key-never-used'
  | 'two-active-keys'
  | 'password-unused-90-days'
  | 'console-and-keys'
  | 'root-access-keys'
  | 'root-without-mfa'
  | 'read-failed'
  | AccountHygieneKind;

/** Account hygiene findings the field guides ask for (see core/account-hygiene.ts). */
export type AccountHygieneKind = 'no-password-policy' | 'weak-password-policy' | 'root-password-used-recently';

export type Finding = {
  /** Stable id: `<kind>:<accountId>:<userName or root>[:<keyId>]`. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  accountId: string;
  userName: string | null;
  message: string;
  fix: string;
};
