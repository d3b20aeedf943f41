/**
 * Microsoft Entra tenant state of the sandbox: directory objects, the app registration the product uses,
 * enterprise apps and their provisioning. Graph, OAuth, SAML and the provisioning engine share it.
 */

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
};
