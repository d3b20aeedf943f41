/**
 * The records `decommission` works on: an IAM user as read live (never a secret), where it stands in the staged
 * retirement, and the evidence that gates the next stage. Pure types.
 */

/** A credential's id, status and date (a password or secret key is never read). */
export type IamCredentialFact = {
  id: string;
  status: 'Active' | 'Inactive';
  date: string;
  /** The service of a service-specific credential. */
  serviceName?: string;
};

/** An IAM user as `decommission` reads it before acting (null fields: the user has none). */
export type IamUserFacts = {
  accountId: string;
  userName: string;
  userId: string;
  path: string;
  createDate: string;
  tags: { key: string; value: string }[];
  permissionsBoundary: string | null;
  loginProfile: { createDate: string; passwordResetRequired: boolean } | null;
  accessKeys: IamCredentialFact[];
  signingCertificates: IamCredentialFact[];
  sshKeys: IamCredentialFact[];
  serviceCredentials: IamCredentialFact[];
  /** Assigned MFA devices; `virtual` for those IAM stores (deleted after deactivation). */
  mfaDevices: { serialNumber: string; enableDate: string; virtual: boolean }[];
  inlinePolicies: { name: string; document: string }[];
  attachedPolicies: { arn: string; name: string }[];
  groups: string[];
};

/** The stages of a retired user, in order. `deleting`: the snapshot is taken and removals have begun. */
export type DecommissionStage = 'active' | 'console-disabled' | 'keys-deactivated' | 'deleting' | 'deleted';

/** The stage commands, each moving a user one stage on. */
export type StageCommand = 'disable-console' | 'deactivate-keys' | 'delete';

/** Where a user stands, as the state database records it. */
export type StageRecord = {
  accountId: string;
  userName: string;
  stage: DecommissionStage;
  enteredAt: string;
  runId: string | null;
};

/** One legacy use of a user's password or keys, as `track` recorded it. */
export type LegacyUse = {
  via: string;
  usage: string;
  detail: string;
  accountId: string;
  lastTime: string;
  lastEventId: string;
  events: number;
  sourceIp: string | null;
};

/** What proves a person can work through SSO: assignments, `verify`, a sign-in seen by `track`. */
export type SsoProof = {
  /** Permission sets Identity Center assigns the person in the user's account. */
  assigned: string[];
  /** What `verify` found wrong for this user (empty: it passes); null when verify has no entry for the user. */
  verifyProblems: string[] | null;
  /** The first SSO use `track` saw, or null. */
  firstSsoSignIn: string | null;
};

/** A reason the next stage cannot run for a user (stable id, message with the evidence). */
export type Blocker = { id: string; message: string };
