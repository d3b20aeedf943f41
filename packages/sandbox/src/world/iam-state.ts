/**
 * IAM state of one sandbox account. Plain records; the IAM protocol handlers and the scenario
 * generator both change it through the functions here and in `src/sandbox/aws/iam/`.
 */

export type Tag = { key: string; value: string };

export type KeyLastUsed = { date: Date; serviceName: string; region: string };

export type AccessKey = {
  accessKeyId: string;
  /** Held only by the sandbox, to verify SigV4 signatures; never returned after creation. */
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
  lastUsed?: KeyLastUsed;
};

export type LoginProfile = {
  createDate: Date;
  passwordResetRequired: boolean;
  password: string;
  /** When the password was last set (the credential report's password_last_changed); createDate if unset. */
  passwordLastChanged?: Date;
};

export type SshPublicKey = {
  sshPublicKeyId: string;
  body: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploadDate: Date;
};

export type SigningCertificate = {
  certificateId: string;
  body: string;
  status: 'Active' | 'Inactive';
  uploadDate: Date;
};

export type ServiceSpecificCredential = {
  serviceSpecificCredentialId: string;
  serviceName: string;
  serviceUserName: string;
  servicePassword: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
};

export type IamUser = {
  userName: string;
  userId: string;
  path: string;
  createDate: Date;
  passwordLastUsed?: Date;
  tags: Tag[];
  permissionsBoundary?: string;
  loginProfile?: LoginProfile;
  accessKeys: AccessKey[];
  /** Managed policy ARNs. */
  attachedPolicies: string[];
  /** Inline policy name to JSON document text. */
  inlinePolicies: Map<string, string>;
  /** Group names, in the order the user joined them. */
  groups: string[];
  /** Serial numbers of MFA devices enabled for this user. */
  mfaDevices: string[];
  sshPublicKeys: SshPublicKey[];
  signingCertificates: SigningCertificate[];
  serviceSpecificCredentials: ServiceSpecificCredential[];
};

export type IamGroup = {
  groupName: string;
  groupId: string;
  path: string;
  createDate: Date;
  attachedPolicies: string[];
  inlinePolicies: Map<string, string>;
};

export type PolicyVersion = { versionId: string; document: string; createDate: Date; isDefault: boolean };

export type ManagedPolicy = {
  arn: string;
  policyName: string;
  policyId: string;
  path: string;
  description: string;
  createDate: Date;
  updateDate: Date;
  versions: PolicyVersion[];
  tags: Tag[];
  /** Number of the next version (IAM never reuses a deleted version's id). */
  nextVersion?: number;
};

export type IamRole = {
  roleName: string;
  roleId: string;
  path: string;
  createDate: Date;
  assumeRolePolicyDocument: string;
  description: string;
  maxSessionDuration: number;
  attachedPolicies: string[];
  inlinePolicies: Map<string, string>;
  permissionsBoundary?: string;
  tags: Tag[];
  roleLastUsed?: { date: Date; region: string };
};

export type VirtualMfaDevice = {
  serialNumber: string;
  base32Seed: string;
  createDate: Date;
  userName?: string;
  enableDate?: Date;
  tags: Tag[];
};

export type SamlProvider = { arn: string; metadataDocument: string; createDate: Date; validUntil: Date; tags: Tag[] };

export type RootAccount = {
  createDate: Date;
  passwordLastUsed?: Date;
  mfaActive: boolean;
  accessKeys: AccessKey[];
};

export type CredentialReportState = {
  state: 'STARTED' | 'COMPLETE';
  startedAt: Date;
  content?: string;
  generatedAt?: Date;
};

export type IamAccountState = {
  users: Map<string, IamUser>;
  groups: Map<string, IamGroup>;
  /** Customer managed policies by ARN. AWS managed ones live in the world's catalog. */
  policies: Map<string, ManagedPolicy>;
  roles: Map<string, IamRole>;
  mfaDevices: Map<string, VirtualMfaDevice>;
  samlProviders: Map<string, SamlProvider>;
  aliases: string[];
  root: RootAccount;
  credentialReport?: CredentialReportState;
  /** Quota "managed policies per role" (10 unless raised), read by Identity Center when it provisions. */
  managedPoliciesPerRole: number;
  /** The account password policy; absent when the account has none (GetAccountPasswordPolicy: NoSuchEntity). */
  passwordPolicy?: AccountPasswordPolicy;
};

/** An account password policy as UpdateAccountPasswordPolicy sets it (0 / false: not set). */
export type AccountPasswordPolicy = {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  maxPasswordAge: number;
  passwordReusePrevention: number;
  hardExpiry: boolean;
};

/** An empty IAM account, created at `now`. */
export function createIamAccountState(now: Date): IamAccountState {
  return {
    users: new Map(),
    groups: new Map(),
    policies: new Map(),
    roles: new Map(),
    mfaDevices: new Map(),
    samlProviders: new Map(),
    aliases: [],
    root: { createDate: now, mfaActive: true, accessKeys: [] },
    managedPoliciesPerRole: 10,
  };
}

/** A user with nothing attached yet. */
export function newIamUser(userName: string, userId: string, createDate: Date, path = '/'): IamUser {
  return {
    userName,
    userId,
    path,
    createDate,
    tags: [],
    accessKeys: [],
    attachedPolicies: [],
    inlinePolicies: new Map(),
    groups: [],
    mfaDevices: [],
    sshPublicKeys: [],
    signingCertificates: [],
    serviceSpecificCredentials: [],
  };
}

/** The ARN of a user, group or role in an account (paths included, as IAM does). */
export function iamArn(
  accountId: string,
  kind: 'user' | 'group' | 'role' | 'policy',
  path: string,
  name: string,
): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}
