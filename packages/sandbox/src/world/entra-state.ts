/**
 * Microsoft Entra tenant state of the sandbox: directory objects, the app registration the product uses,
 * enterprise apps and their provisioning. Graph, OAuth, SAML and the provisioning engine share it.
 */

import type { EntraHardenState } from './entra-harden-state.js';

export type EntraUser = {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  givenName: string | null;
  surname: string | null;
  displayName: string;
  accountEnabled: boolean;
  onPremisesImmutableId: string | null;
  jobTitle: string | null;
  department: string | null;
  createdDateTime: Date;
  /** Set when the user is deleted (soft-deleted users stay for delta queries). */
  deletedDateTime?: Date;
  mailNickname?: string;
  employeeId?: string | null;
  usageLocation?: string | null;
};

export type EntraGroup = {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  createdDateTime: Date;
  /** Direct member object ids: users or groups. */
  members: Set<string>;
  deletedDateTime?: Date;
};

export type AppRole = {
  id: string;
  displayName: string;
  value: string | null;
  description: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
};

export type EntraApplication = {
  id: string;
  appId: string;
  displayName: string;
  identifierUris: string[];
  web: { redirectUris: string[]; logoutUrl: string | null };
  appRoles: AppRole[];
  createdDateTime: Date;
  /** Client secrets (hashed is not needed in a sandbox; the value is never returned after creation). */
  passwordCredentials: { keyId: string; displayName: string | null; secretText: string; endDateTime: Date }[];
  /** Certificates (PEM of the public certificate) the app may authenticate with. */
  keyCredentials: { keyId: string; type: string; usage: string; certificatePem: string; endDateTime: Date }[];
  /** Graph application permissions granted to this app (e.g. 'User.Read.All'). */
  grantedPermissions: string[];
  templateId?: string;
  signInAudience?: string;
  /** Set by `instantiate`: Graph answers 404 for the object until then, as Entra's replication does. */
  visibleAfter?: Date;
  deletedDateTime?: Date;
};

export type SigningCertificate = {
  keyId: string;
  thumbprint: string;
  certificatePem: string;
  privateKeyPem: string;
  startDateTime: Date;
  endDateTime: Date;
  displayName: string;
};

export type AppRoleAssignment = {
  id: string;
  principalId: string;
  principalType: 'User' | 'Group';
  principalDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  appRoleId: string;
  createdDateTime: Date;
};

export type ServicePrincipal = {
  id: string;
  appId: string;
  displayName: string;
  applicationTemplateId: string | null;
  preferredSingleSignOnMode: string | null;
  preferredTokenSigningKeyThumbprint: string | null;
  appRoles: AppRole[];
  servicePrincipalNames: string[];
  signingCertificates: SigningCertificate[];
  appRoleAssignedTo: AppRoleAssignment[];
  /** SAML SP settings (from the Identity Center SP metadata). */
  samlSingleSignOnSettings: { relayState: string | null };
  createdDateTime: Date;
  /** Instantiated from a gallery template; visible a few seconds after `instantiate`, as in Entra. */
  visibleAfter?: Date;
  accountEnabled?: boolean;
  appRoleAssignmentRequired?: boolean;
  servicePrincipalType?: string;
  tags?: string[];
  loginUrl?: string | null;
  notificationEmailAddresses?: string[];
  /** Object id of the application registration (absent for Microsoft's own service principals). */
  applicationObjectId?: string;
  deletedDateTime?: Date;
};

/** One change to a group's direct members, for `members@delta` in group delta queries. */
export type MemberChange = { seq: number; groupId: string; memberId: string; removed: boolean };

/** The tenant's key that signs access tokens (published at the discovery document's jwks_uri). */
export type TokenSigningKey = { kid: string; privateKeyPem: string; certificateBase64: string };

/** Graph throttling: a request budget per app and a fault-injection knob. */
export type GraphThrottle = {
  /** Requests allowed per app in each window; null means unlimited (the default). */
  limit: number | null;
  windowMs: number;
  retryAfterSeconds: number;
  /** The next N Graph requests are answered with 429 regardless of the budget. */
  failNext: number;
};

/** What the tenant builder decided per person, for tests to compare the product's matching against. */
export type EntraScenarioTruth = {
  /** Manifest UPN to the Entra user id it became (null when the person has no Entra account). */
  people: Map<string, string | null>;
  /** Manifest UPNs of leavers whose Entra account is disabled, and of those deleted. */
  disabledLeavers: string[];
  deletedLeavers: string[];
  /** UPNs of Entra users with no IAM user. */
  nobodies: string[];
  /** People whose mail or display name is spelled differently from their UPN. */
  differentSpellings: string[];
};

export type EntraState = {
  tenantId: string;
  /** The app registration the product authenticates as. */
  clientId: string;
  clientSecret: string;
  domain: string;
  users: Map<string, EntraUser>;
  groups: Map<string, EntraGroup>;
  applications: Map<string, EntraApplication>;
  servicePrincipals: Map<string, ServicePrincipal>;
  /** A monotonically increasing change counter; each directory change records it for delta queries. */
  changeSeq: number;
  /** Object id to the change sequence and virtual time of its last change. */
  changes: Map<string, { seq: number; at: Date; kind: 'user' | 'group' }>;
  /** Direct-member additions and removals in change order (see MemberChange). */
  memberChanges?: MemberChange[];
  /** Bumped by a synchronization reset: delta links issued before it answer 410 Gone. */
  deltaGeneration?: number;
  tokenSigningKey?: TokenSigningKey;
  graphThrottle?: GraphThrottle;
  /** Access token lifetime in seconds (default 3599, as Entra issues). */
  tokenLifetimeSeconds?: number;
  /** How long an instantiated gallery app stays invisible to Graph (default 5000 ms of virtual time). */
  instantiateDelayMs?: number;
  /** HTTPS endpoint of the sandbox (Graph and the authority), once the TLS front is listening. */
  httpsEndpoint?: string;
  /** PEM of the certificate the HTTPS endpoint presents (self-signed: clients trust it as a CA). */
  tlsCertificatePem?: string;
  scenarioTruth?: EntraScenarioTruth;
  /** Conditional Access, PIM for Groups and the sign-in log (see entra-harden-state.ts); created on first use. */
  harden?: EntraHardenState;
};
