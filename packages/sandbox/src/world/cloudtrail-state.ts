/**
 * CloudTrail history of the sandbox: one list of events per account, newest last, kept for 90 days
 * of virtual time as LookupEvents does. Each event holds the record exactly as CloudTrail writes it.
 */

export type UserIdentity = {
  type:
    | 'IAMUser'
    | 'AssumedRole'
    | 'Root'
    | 'FederatedUser'
    | 'AWSService'
    | 'IdentityCenterUser'
    | 'Unknown'
    | 'SAMLUser'
    | 'AWSAccount'
    | 'WebIdentityUser';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: Record<string, unknown>;
  invokedBy?: string;
  /** Identity Center users (since July 2025) and some role sessions: the Identity Store user. */
  onBehalfOf?: { userId: string; identityStoreArn: string };
  /** SAMLUser: the identity provider's issuer hash. */
  identityProvider?: string;
  credentialId?: string;
};

/** A CloudTrail record (the JSON CloudTrail stores and LookupEvents returns as CloudTrailEvent). */
export type TrailRecord = {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  /** Service events (AwsServiceEvent) carry their outcome here. */
  serviceEventDetails?: Record<string, unknown>;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management';
  resources?: { ARN?: string; accountId?: string; type?: string }[];
};

export type TrailEvent = {
  time: Date;
  record: TrailRecord;
  /** The Username that LookupEvents reports (user name, role session name or "root"). */
  username?: string;
  resources: { resourceType?: string; resourceName?: string }[];
};

/** Virtual-time retention of LookupEvents. */
export const TRAIL_RETENTION_MS = 90 * 24 * 3600 * 1000;

/** A resource an event acted on: LookupEvents' ResourceType/ResourceName, and the record's `resources` when it has an ARN. */
export type TrailResource = { type: string; name: string; arn?: string; accountId?: string };

export type TrailState = {
  events: TrailEvent[];
  /** Virtual-clock instants (ms) of recent LookupEvents calls, for the optional per-account rate limit. */
  lookupCalls: number[];
};

/** An account's empty CloudTrail history. */
export function createTrailState(): TrailState {
  return { events: [], lookupCalls: [] };
}

/** Events still within LookupEvents' 90-day window at `nowMs`. */
export function isWithinRetention(event: TrailEvent, nowMs: number): boolean {
  return event.time.getTime() >= nowMs - TRAIL_RETENTION_MS;
}

/** Appends an event, keeping the list ordered by time (events recorded out of order are inserted in place). */
export function appendTrailEvent(trail: TrailState, event: TrailEvent): void {
  const events = trail.events;
  if (events.length === 0 || events[events.length - 1].time <= event.time) {
    events.push(event);
    return;
  }
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].time <= event.time) lo = mid + 1;
    else hi = mid;
  }
  events.splice(lo, 0, event);
}
