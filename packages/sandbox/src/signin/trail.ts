/**
 * CloudTrail events of the sign-in path, in the account that holds the Identity Center instance: the SAML
 * sign-in (`UserAuthentication` from signin.amazonaws.com), the OIDC service (`sso-oauth.amazonaws.com`:
 * RegisterClient, StartDeviceAuthorization, CreateToken) and the portal (`sso.amazonaws.com`: Authenticate,
 * ListAccounts, ListAccountRoles, GetRoleCredentials, Logout), with an `IdentityCenterUser` identity.
 * Sources: "Logging IAM Identity Center API calls with AWS CloudTrail" and "Understanding IAM Identity Center
 * sign-in events" (docs.aws.amazon.com/singlesignon/latest/userguide/), EventBridge's events-ref-sso-oauth.
 */
import { randomUUID } from 'node:crypto';
import { appendTrailEvent, type UserIdentity } from '../world/cloudtrail-state.js';
import type { IdentityStoreUser } from '../world/sso-state.js';
import type { World } from '../world/world.js';

export type SigninEvent = {
  source: 'signin' | 'sso' | 'sso-oauth';
  name: string;
  user: IdentityStoreUser | null;
  /** The name the person typed or the assertion carried, for failures with no Identity Store user. */
  attemptedName?: string;
  sourceIp: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
};

function identityOf(world: World, event: SigninEvent): UserIdentity {
  const sso = world.sso!;
  if (!event.user) {
    return { type: 'Unknown', accountId: sso.ownerAccountId, userName: event.attemptedName ?? 'UNKNOWN' };
  }
  return {
    type: 'IdentityCenterUser',
    accountId: sso.ownerAccountId,
    principalId: event.user.userId,
    userName: event.user.userName,
    sessionContext: {
      identityStoreArn: `arn:aws:identitystore::${sso.ownerAccountId}:identitystore/${sso.identityStoreId}`,
    },
  };
}

/** Appends one sign-in path event to the Identity Center account's trail. */
export function recordSigninEvent(world: World, event: SigninEvent): void {
  const sso = world.sso;
  const account = sso && world.accounts.get(sso.ownerAccountId);
  if (!sso || !account) return;
  const time = world.clock.now();
  const signIn = event.source === 'signin';
  appendTrailEvent(account.trail, {
    time,
    username: event.user?.userName ?? event.attemptedName ?? 'UNKNOWN',
    resources: [],
    record: {
      eventVersion: '1.08',
      userIdentity: identityOf(world, event),
      eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: `${event.source}.amazonaws.com`,
      eventName: event.name,
      awsRegion: sso.region,
      sourceIPAddress: event.sourceIp,
      userAgent: event.userAgent,
      ...(event.errorCode ? { errorCode: event.errorCode, errorMessage: event.errorMessage } : {}),
      requestParameters: event.requestParameters ?? null,
      responseElements: null,
      ...(event.additionalEventData ? { additionalEventData: event.additionalEventData } : {}),
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: /^(List|Get|Describe)/.test(event.name),
      eventType: signIn ? 'AwsServiceEvent' : 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: sso.ownerAccountId,
      eventCategory: 'Management',
      ...(signIn
        ? {
            serviceEventDetails: { UserAuthentication: event.errorCode ? 'Failure' : 'Success' },
          }
        : {}),
    },
  });
}
