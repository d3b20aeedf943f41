/**
 * Shapes of `iam2sso track`: the activity row every CloudTrail source produces (one CloudTrail record, or a
 * group of records with the same identity and action, with first/last times and evidence), what the
 * classifier makes of it, and the statuses computed per person and per IAM user.
 */

/**
 * One group of CloudTrail records that share everything the classifier looks at. LookupEvents and log files
 * read in TypeScript produce groups through `ActivityAggregator`; DuckDB and Athena produce them with GROUP BY
 * (src/activity/track.sql). Field names follow the CloudTrail record (https://docs.aws.amazon.com/awscloudtrail/
 * latest/userguide/cloudtrail-event-reference-record-contents.html).
 */
export type ActivityRow = {
  /** recipientAccountId: the account whose trail holds the record. */
  accountId: string;
  region: string;
  eventSource: string;
  eventName: string;
  /** userIdentity.type ('' when the record has none). */
  identityType: string;
  arn: string | null;
  userName: string | null;
  accessKeyId: string | null;
  /** userIdentity.onBehalfOf (Identity Center users since July 2025). */
  onBehalfOfUserId: string | null;
  identityStoreArn: string | null;
  /** userIdentity.sessionContext.sessionIssuer.arn (role sessions). */
  issuerArn: string | null;
  /** The record's sessionCredentialFromConsole is "true". */
  sessionFromConsole: boolean;
  /** additionalEventData.MFAUsed of a ConsoleLogin ('Yes' | 'No'). */
  mfaUsed: string | null;
  /** responseElements.ConsoleLogin ('Success' | 'Failure'). */
  loginResult: string | null;
  errorCode: string | null;
  /** requestParameters.principalArn of AssumeRoleWithSAML: the SAML provider. */
  samlProvider: string | null;
  /** requestParameters.roleArn of AssumeRoleWithSAML. */
  roleArn: string | null;
  /** requestParameters.roleSessionName of AssumeRoleWithSAML (the RoleSessionName attribute; Entra sends the UPN). */
  sessionName: string | null;
  /** requestParameters.accountId / roleName of the portal's GetRoleCredentials and ListAccountRoles. */
  targetAccountId: string | null;
  targetRoleName: string | null;
  count: number;
  /** CloudTrail eventTime (ISO 8601, to the second). */
  firstTime: string;
  lastTime: string;
  firstEventId: string;
  lastEventId: string;
  lastSourceIp: string | null;
  lastUserAgent: string | null;
};

/** Who used SSO: a name seen in the record (UPN or Identity Center user name), or an Identity Store user id. */
export type SsoSubject =
  | { kind: 'name'; name: string }
  | { kind: 'idc-user'; userId: string; identityStoreArn: string };

/** How a legacy credential was used. */
export type LegacyVia = 'console-sign-in' | 'access-key' | 'console-session' | 'temporary-credentials';

/** How SSO was used. */
export type SsoVia = 'sign-in' | 'portal' | 'saml-role' | 'role-session';

/** Why a record is neither legacy nor SSO use. */
export type OtherReason =
  | 'root'
  | 'aws-service'
  | 'federated-user'
  | 'cross-account'
  | 'assumed-role'
  | 'saml-other-provider'
  | 'web-identity'
  | 'unknown-iam-user'
  | 'sso-failed'
  | 'unattributed';

/** What one activity row means for the migration. */
export type Usage =
  | {
      kind: 'legacy';
      via: LegacyVia;
      accountId: string;
      userName: string;
      /** The key for access-key use; empty for console sign-ins. */
      accessKeyId: string;
      /** Console sign-in: MFA was used. */
      mfa?: boolean;
      /** The call was refused after authentication (AccessDenied and others): the key still works. */
      failedCalls: boolean;
    }
  | {
      kind: 'legacy-attempt';
      via: 'console-sign-in' | 'access-key';
      accountId: string;
      userName: string;
      accessKeyId: string;
      reason: string;
    }
  | { kind: 'sso'; via: SsoVia; subject: SsoSubject; accountId: string; permissionSet: string }
  /** A sign-in through a SAML provider of the account that is not Identity Center's (direct federation to IAM). */
  | { kind: 'direct-saml'; upn: string; accountId: string; roleName: string }
  | { kind: 'other'; reason: OtherReason }
  | { kind: 'unrecognized'; reason: string };

/** A person's or IAM user's status over the window. */
export type TrackStatusKind = 'legacy-only' | 'dual' | 'sso-only' | 'silent';

/** Evidence for a status: the event that shows it. */
export type Evidence = { time: string; eventId: string };

/** One line of the timeline: a subject's use of one way in, with first and last time. */
export type TimelineEntry = {
  subjectKind: 'iam-user' | 'person' | 'idc-user';
  /** `accountId/userName`, a lower-case UPN, or `identityStoreArn#userId`. */
  subject: string;
  usage: 'legacy' | 'legacy-attempt' | 'sso' | 'direct-saml';
  via: LegacyVia | SsoVia;
  accountId: string;
  /** Access key id (legacy), permission set name (sso), role name (direct-saml), or ''. */
  detail: string;
  firstTime: string;
  lastTime: string;
  events: number;
  firstEventId: string;
  lastEventId: string;
  lastService: string | null;
  lastSourceIp: string | null;
  lastUserAgent: string | null;
  /** Console sign-ins: MFA was used on the last one. */
  mfa: boolean | null;
};
