/**
 * The permissions iam2sso needs, as data next to the adapters that need them: the AWS actions each adapter
 * module calls (a unit test reads the modules' SDK commands and fails when this table drifts from them), the
 * Microsoft Graph operations each Entra module makes, and which modules each command uses in which account.
 * `iam2sso permissions` turns it into least-privilege policies, as Prowler publishes its own.
 */
import type { GraphOperation } from '../entra/permissions.js';

/** The AWS actions each module calls through the SDK (`service:Operation`, the IAM action names). */
export const AWS_MODULE_ACTIONS: Record<string, string[]> = {
  'src/activity/athena-source.ts': [
    'athena:GetQueryExecution',
    'athena:GetQueryResults',
    'athena:GetTableMetadata',
    'athena:StartQueryExecution',
  ],
  'src/activity/idc-users.ts': ['identitystore:DescribeUser'],
  'src/activity/lookup-events.ts': ['cloudtrail:LookupEvents'],
  'src/activity/s3-source.ts': ['s3:GetObject', 's3:ListBucket'],
  'src/aws/accounts.ts': [
    'organizations:DescribeOrganization',
    'organizations:ListAccounts',
    'sts:AssumeRole',
    'sts:GetCallerIdentity',
  ],
  'src/aws/cloudtrail-activity.ts': ['cloudtrail:LookupEvents'],
  'src/aws/cloud-clock.ts': ['sts:GetCallerIdentity'],
  'src/aws/iam-account-lists.ts': [
    'iam:ListAccountAliases',
    'iam:ListSAMLProviders',
    'iam:ListServiceSpecificCredentials',
    'iam:ListVirtualMFADevices',
  ],
  'src/aws/alarm-client.ts': [
    'events:DeleteRule',
    'events:DescribeRule',
    'events:ListRules',
    'events:ListTargetsByRule',
    'events:PutRule',
    'events:PutTargets',
    'events:RemoveTargets',
    'sns:CreateTopic',
    'sns:DeleteTopic',
    'sns:GetTopicAttributes',
    'sns:TagResource',
  ],
  'src/aws/iam-authorization.ts': ['iam:GetAccountAuthorizationDetails'],
  // Sent by hand and signed with the SDK's signer (see the module): the actions are its `operation:` names.
  'src/aws/rolesanywhere.ts': [
    'rolesanywhere:CreateProfile',
    'rolesanywhere:CreateTrustAnchor',
    'rolesanywhere:DeleteProfile',
    'rolesanywhere:DeleteTrustAnchor',
    'rolesanywhere:ListProfiles',
    'rolesanywhere:ListTrustAnchors',
    'rolesanywhere:TagResource',
  ],
  'src/aws/iam-saml-keep.ts': [
    'iam:AttachRolePolicy',
    'iam:CreateRole',
    'iam:CreateSAMLProvider',
    'iam:DeleteRole',
    'iam:DeleteSAMLProvider',
    'iam:DetachRolePolicy',
    'iam:GetRole',
    'iam:GetSAMLProvider',
    'iam:ListAttachedRolePolicies',
    'iam:TagRole',
    'iam:TagSAMLProvider',
    'iam:UpdateSAMLProvider',
  ],
  'src/aws/iam-writer.ts': [
    'iam:AddRoleToInstanceProfile',
    'iam:AttachUserPolicy',
    'iam:CreateInstanceProfile',
    'iam:CreateLoginProfile',
    'iam:CreateOpenIDConnectProvider',
    'iam:CreateRole',
    'iam:CreateUser',
    'iam:DeleteInstanceProfile',
    'iam:DeleteLoginProfile',
    'iam:DeleteOpenIDConnectProvider',
    'iam:DeleteRole',
    'iam:DeleteRolePolicy',
    'iam:DeleteUser',
    'iam:DetachUserPolicy',
    'iam:GetInstanceProfile',
    'iam:GetLoginProfile',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:GetUser',
    'iam:ListAttachedUserPolicies',
    'iam:ListMFADevices',
    'iam:ListOpenIDConnectProviders',
    'iam:PutRolePolicy',
    'iam:RemoveRoleFromInstanceProfile',
    'iam:TagInstanceProfile',
    'iam:TagOpenIDConnectProvider',
    'iam:TagRole',
    'iam:TagUser',
  ],
  'src/aws/iam-password-policy.ts': ['iam:GetAccountPasswordPolicy'],
  'src/aws/saml-retire-iam.ts': [
    'iam:AttachRolePolicy',
    'iam:CreateRole',
    'iam:CreateSAMLProvider',
    'iam:DeleteRole',
    'iam:DeleteRolePolicy',
    'iam:DeleteSAMLProvider',
    'iam:DetachRolePolicy',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:GetSAMLProvider',
    'iam:ListAttachedRolePolicies',
    'iam:ListRolePolicies',
    'iam:PutRolePermissionsBoundary',
    'iam:PutRolePolicy',
    'iam:TagRole',
    'iam:TagSAMLProvider',
  ],
  'src/aws/iam-credential-report.ts': ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
  'src/aws/iam-user-credentials.ts': [
    'iam:GetAccessKeyLastUsed',
    'iam:GetLoginProfile',
    'iam:ListAccessKeys',
    'iam:ListMFADevices',
    'iam:ListSSHPublicKeys',
    'iam:ListSigningCertificates',
  ],
  'src/aws/iam-user-reads.ts': [
    'iam:GetLoginProfile',
    'iam:GetUser',
    'iam:GetUserPolicy',
    'iam:ListAccessKeys',
    'iam:ListAttachedUserPolicies',
    'iam:ListGroupsForUser',
    'iam:ListMFADevices',
    'iam:ListSSHPublicKeys',
    'iam:ListServiceSpecificCredentials',
    'iam:ListSigningCertificates',
    'iam:ListUserPolicies',
  ],
  'src/aws/iam-user-writes.ts': [
    'iam:AddUserToGroup',
    'iam:AttachUserPolicy',
    'iam:CreateLoginProfile',
    'iam:CreateUser',
    'iam:DeactivateMFADevice',
    'iam:DeleteAccessKey',
    'iam:DeleteLoginProfile',
    'iam:DeleteSSHPublicKey',
    'iam:DeleteServiceSpecificCredential',
    'iam:DeleteSigningCertificate',
    'iam:DeleteUser',
    'iam:DeleteUserPolicy',
    'iam:DeleteVirtualMFADevice',
    'iam:DetachUserPolicy',
    'iam:PutUserPolicy',
    'iam:RemoveUserFromGroup',
    'iam:TagUser',
    'iam:UpdateAccessKey',
    'iam:UpdateSSHPublicKey',
    'iam:UpdateServiceSpecificCredential',
    'iam:UpdateSigningCertificate',
  ],
  'src/aws/identity-center-async.ts': [
    'sso:DescribeAccountAssignmentCreationStatus',
    'sso:DescribeAccountAssignmentDeletionStatus',
    'sso:DescribePermissionSetProvisioningStatus',
    'sso:ListAccountAssignmentCreationStatus',
    'sso:ListAccountAssignmentDeletionStatus',
    'sso:ListPermissionSetProvisioningStatus',
  ],
  'src/aws/identity-center-instance.ts': ['sso:ListInstances'],
  'src/aws/organizations-scp.ts': [
    'organizations:AttachPolicy',
    'organizations:CreatePolicy',
    'organizations:DeletePolicy',
    'organizations:DescribeOrganization',
    'organizations:DescribePolicy',
    'organizations:DetachPolicy',
    'organizations:ListPolicies',
    'organizations:ListPoliciesForTarget',
    'organizations:ListRoots',
    'organizations:ListTargetsForPolicy',
    'organizations:UpdatePolicy',
  ],
  'src/aws/identity-center-reads.ts': [
    'sso:DescribePermissionSet',
    'sso:GetInlinePolicyForPermissionSet',
    'sso:GetPermissionsBoundaryForPermissionSet',
    'sso:ListAccountAssignments',
    'sso:ListAccountsForProvisionedPermissionSet',
    'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
    'sso:ListManagedPoliciesInPermissionSet',
    'sso:ListPermissionSets',
    'sso:ListTagsForResource',
  ],
  'src/aws/identity-center-region.ts': ['sso:ListInstances'],
  'src/aws/identity-center-writes.ts': [
    'sso:AttachCustomerManagedPolicyReferenceToPermissionSet',
    'sso:AttachManagedPolicyToPermissionSet',
    'sso:CreateAccountAssignment',
    'sso:CreatePermissionSet',
    'sso:DeleteAccountAssignment',
    'sso:DeleteInlinePolicyFromPermissionSet',
    'sso:DeletePermissionSet',
    'sso:DeletePermissionsBoundaryFromPermissionSet',
    'sso:DetachCustomerManagedPolicyReferenceFromPermissionSet',
    'sso:DetachManagedPolicyFromPermissionSet',
    'sso:ProvisionPermissionSet',
    'sso:PutInlinePolicyToPermissionSet',
    'sso:PutPermissionsBoundaryToPermissionSet',
    'sso:UpdatePermissionSet',
  ],
  'src/aws/identity-store.ts': [
    'identitystore:CreateGroup',
    'identitystore:CreateGroupMembership',
    'identitystore:CreateUser',
    'identitystore:DeleteGroup',
    'identitystore:DeleteGroupMembership',
    'identitystore:DeleteUser',
    'identitystore:GetGroupId',
    'identitystore:GetGroupMembershipId',
    'identitystore:GetUserId',
    'identitystore:ListGroupMemberships',
    'identitystore:ListGroups',
    'identitystore:ListUsers',
    'identitystore:UpdateGroup',
    'identitystore:UpdateUser',
  ],
  'src/cli/rollout-run.ts': ['sso:ListInstances'],
  'src/cli/apply-saml-keep.ts': ['sts:GetCallerIdentity'],
  'src/cli/scp-run.ts': ['sts:GetCallerIdentity'],
  'src/cli/sync-run.ts': ['sso:ListInstances'],
  'src/doctor/gather.ts': [
    'identitystore:ListUsers',
    'organizations:DescribeOrganization',
    'organizations:ListDelegatedAdministrators',
  ],
  'src/iam-changes/runtime.ts': ['sts:GetCallerIdentity'],
  'src/explain/aws-facts.ts': [
    'cloudtrail:LookupEvents',
    'iam:ListRoles',
    'identitystore:DescribeGroup',
    'identitystore:DescribeUser',
    'identitystore:GetUserId',
    'identitystore:ListGroupMembershipsForMember',
    'identitystore:ListUsers',
    'sso:DescribePermissionSet',
    'sso:ListAccountAssignmentsForPrincipal',
  ],
  'src/verify/account-iam.ts': ['sts:GetCallerIdentity'],
  'src/verify/reserved-roles.ts': [
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:ListRolePolicies',
    'iam:ListRoles',
  ],
};

/** The Graph operations each Entra module makes (checked against the modules by the same test). */
export const GRAPH_MODULE_OPERATIONS: Record<string, GraphOperation[]> = {
  'src/apply/entra-port.ts': ['groups.create'],
  'src/doctor/gather.ts': ['apps.read'],
  'src/entra/direct-saml-apps.ts': ['apps.read'],
  'src/entra/directory-reader.ts': ['groups.read', 'users.read'],
  'src/entra/graph-app.ts': ['apps.instantiate', 'apps.read', 'apps.write'],
  'src/entra/graph-harden.ts': ['ca.read', 'ca.write', 'pim.activations.read', 'pim.read', 'pim.write'],
  'src/entra/graph-pim-rules.ts': ['pim.policy.read', 'pim.policy.write'],
  'src/entra/graph-provisioning.ts': ['sync.read', 'sync.write'],
  'src/entra/graph-saml-keep.ts': ['apps.assign', 'apps.read', 'apps.write', 'groups.read'],
  'src/entra/graph-writers.ts': ['apps.assign', 'groups.create', 'groups.members.write'],
  'src/entra/lookup.ts': ['users.read'],
  'src/entra/saml-retire-apps.ts': ['apps.read', 'apps.write'],
  'src/explain/entra-facts.ts': ['apps.read'],
};

/** The commands `iam2sso permissions --for` knows. */
export const PERMISSION_COMMANDS = [
  'audit',
  'plan',
  'apply',
  'sync',
  'track',
  'decommission',
  'entra',
  'scp',
  'breakglass',
  'replace',
  'decommission-saml',
] as const;
/** One of PERMISSION_COMMANDS. */
export type PermissionCommand = (typeof PERMISSION_COMMANDS)[number];

/** What one command uses: modules in the management account and in member accounts, Graph operations, notes. */
export type CommandModules = {
  management: string[];
  member: string[];
  graph: GraphOperation[];
  /** Assumes the member-account role (`--assume-role`) from the management account. */
  assumesRole: boolean;
  /** Creates assignments, which may target the management account itself. */
  assigns: boolean;
  /** Uses only the reads of its modules (e.g. plan reads Identity Center through apply's adapters). */
  readOnly?: boolean;
  /**
   * Actions of its modules it never calls (a module serves several commands; apply leaves the Identity Store's
   * writes to provisioning when the plan's identity source is not iam2sso's sync).
   */
  except?: string[];
  /**
   * The resources its IAM, SNS and EventBridge writes act on (`PARTITION` is replaced), when they can be named in
   * advance; otherwise `*`.
   */
  writeResources?: string[];
  /** Actions a call needs besides its own (IAM authorizes AddRoleToInstanceProfile with iam:PassRole on the role). */
  extra?: string[];
  notes: string[];
};

const AUDIT_READS = [
  'src/aws/iam-account-lists.ts',
  'src/aws/iam-password-policy.ts',
  'src/aws/iam-authorization.ts',
  'src/aws/iam-credential-report.ts',
  'src/aws/iam-user-credentials.ts',
  'src/aws/cloudtrail-activity.ts',
];
const IDENTITY_CENTER_READS = [
  'src/aws/identity-center-region.ts',
  'src/aws/identity-center-instance.ts',
  'src/aws/identity-center-reads.ts',
];
/** iam-writer's actions that only `breakglass` calls (its user and console password). */
const BREAKGLASS_ONLY = [
  'iam:AttachUserPolicy',
  'iam:CreateLoginProfile',
  'iam:CreateUser',
  'iam:DeleteLoginProfile',
  'iam:DeleteUser',
  'iam:DetachUserPolicy',
  'iam:GetLoginProfile',
  'iam:GetUser',
  'iam:ListAttachedUserPolicies',
  'iam:ListMFADevices',
  'iam:TagUser',
];
/** iam-writer's actions that only `replace` calls (roles, OIDC providers, instance profiles). */
const REPLACE_ONLY = [
  'iam:AddRoleToInstanceProfile',
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:TagInstanceProfile',
  'iam:CreateOpenIDConnectProvider',
  'iam:CreateRole',
  'iam:DeleteOpenIDConnectProvider',
  'iam:DeleteRole',
  'iam:DeleteRolePolicy',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListOpenIDConnectProviders',
  'iam:PutRolePolicy',
  'iam:TagOpenIDConnectProvider',
  'iam:TagRole',
];
const none: CommandModules = { management: [], member: [], graph: [], assumesRole: false, assigns: false, notes: [] };

/** The modules each command uses; the management account is audited like a member, with the base credentials. */
export const COMMAND_MODULES: Record<PermissionCommand, CommandModules> = {
  audit: {
    ...none,
    management: ['src/aws/accounts.ts', ...AUDIT_READS],
    member: AUDIT_READS,
    assumesRole: true,
    graph: ['apps.read', 'groups.read', 'users.read'],
    notes: [
      'cloudtrail:LookupEvents is used only with --activity',
      'Microsoft Graph is read only when direct SAML federation is found and an Entra tenant is configured (its apps, their app-role holders)',
    ],
  },
  plan: {
    ...none,
    readOnly: true,
    management: ['src/aws/identity-center-region.ts', ...IDENTITY_CENTER_READS, 'src/aws/identity-store.ts'],
    graph: ['users.read', 'groups.read', 'apps.read'],
    notes: [
      'plan reads only the state database; Identity Center and the Identity Store are read with --detailed-exitcode and --adopt-existing',
      'Microsoft Graph is read with --directory-lookup and --detailed-exitcode',
    ],
  },
  apply: {
    ...none,
    management: [
      'src/aws/accounts.ts',
      ...AUDIT_READS.filter((m) => m !== 'src/aws/cloudtrail-activity.ts'),
      ...IDENTITY_CENTER_READS,
      'src/aws/identity-center-async.ts',
      'src/aws/identity-center-writes.ts',
      'src/aws/identity-store.ts',
    ],
    member: AUDIT_READS.filter((m) => m !== 'src/aws/cloudtrail-activity.ts'),
    graph: ['users.read', 'groups.read', 'apps.read', 'groups.create', 'groups.members.write', 'apps.assign'],
    assumesRole: true,
    assigns: true,
    notes: [
      'member accounts are read again before any write, to refuse a stale plan',
      'a plan with outsideIdentityCenter adds the SAML provider and role calls in those accounts and the Entra app writes (permissions --for apply --plan FILE includes them)',
    ],
  },
  sync: {
    ...none,
    management: ['src/cli/sync-run.ts', 'src/aws/identity-center-region.ts', 'src/aws/identity-store.ts'],
    graph: ['users.read', 'groups.read'],
  },
  track: {
    ...none,
    management: [
      'src/aws/accounts.ts',
      'src/aws/cloud-clock.ts',
      'src/activity/lookup-events.ts',
      'src/activity/idc-users.ts',
      'src/activity/s3-source.ts',
      'src/activity/athena-source.ts',
    ],
    member: ['src/activity/lookup-events.ts'],
    assumesRole: true,
    notes: [
      'CloudTrail LookupEvents in each account (the default source)',
      's3:ListBucket/GetObject on the trail bucket only with --s3 (and --athena, which also needs the Glue catalog and the results bucket)',
      'identitystore:DescribeUser names Identity Center users in records since July 2025',
    ],
  },
  decommission: {
    ...none,
    management: [
      'src/aws/accounts.ts',
      'src/aws/iam-user-reads.ts',
      'src/aws/iam-user-writes.ts',
      'src/aws/iam-authorization.ts',
      'src/verify/reserved-roles.ts',
      ...IDENTITY_CENTER_READS,
      'src/aws/identity-store.ts',
    ],
    member: [
      'src/aws/iam-user-reads.ts',
      'src/aws/iam-user-writes.ts',
      'src/aws/iam-authorization.ts',
      'src/verify/reserved-roles.ts',
    ],
    assumesRole: true,
    except: ['organizations:DescribeOrganization', 'organizations:ListAccounts'],
    notes: [
      'the SSO proof of `--stage delete` and `status` reads each account as `iam2sso verify` does (authorization details, the Identity Center roles)',
      'Identity Center and the Identity Store are read for the SSO proof of `--stage delete` and `status`',
      'iam:CreateUser, CreateLoginProfile, PutUserPolicy, AttachUserPolicy and AddUserToGroup only for --rollback',
    ],
  },
  'decommission-saml': {
    ...none,
    management: [
      'src/aws/accounts.ts',
      'src/aws/cloud-clock.ts',
      'src/aws/saml-retire-iam.ts',
      'src/aws/iam-user-reads.ts',
      'src/aws/iam-user-writes.ts',
      ...IDENTITY_CENTER_READS,
      'src/aws/identity-store.ts',
    ],
    member: ['src/aws/saml-retire-iam.ts', 'src/aws/iam-user-reads.ts', 'src/aws/iam-user-writes.ts'],
    graph: ['apps.read', 'apps.write'],
    assumesRole: true,
    except: ['organizations:DescribeOrganization', 'organizations:ListAccounts'],
    notes: [
      '`decommission saml`: Identity Center and the Identity Store are read to prove the replacing assignments exist',
      'iam:CreateRole, AttachRolePolicy, PutRolePolicy, PutRolePermissionsBoundary and CreateSAMLProvider only for `rollback` of its runs',
      'Microsoft Graph Application.ReadWrite.All: the enterprise apps are disabled, deleted and restored from deleted items',
    ],
  },
  entra: {
    ...none,
    graph: [
      'users.read',
      'apps.read',
      'apps.instantiate',
      'apps.write',
      'apps.assign',
      'sync.read',
      'sync.write',
      'groups.read',
      'groups.members.write',
      'ca.read',
      'ca.write',
      'pim.read',
      'pim.write',
      'pim.activations.read',
      'pim.policy.read',
      'pim.policy.write',
    ],
    notes: [
      '`entra setup` and `entra provision`; apps.assign only for `entra provision --assign`',
      '`entra harden`: ca.* for --conditional-access, pim.* and groups.members.write for --pim',
    ],
  },
  scp: {
    ...none,
    management: ['src/cli/scp-run.ts', 'src/aws/organizations-scp.ts'],
    notes: ['`scp plan` uses only the reads; SCPs are managed from the management account'],
  },
  breakglass: {
    ...none,
    management: [
      'src/iam-changes/runtime.ts',
      'src/verify/account-iam.ts',
      'src/aws/accounts.ts',
      'src/aws/iam-writer.ts',
      'src/aws/alarm-client.ts',
    ],
    member: ['src/aws/iam-writer.ts', 'src/aws/alarm-client.ts'],
    assumesRole: true,
    except: [...REPLACE_ONLY, 'organizations:DescribeOrganization', 'organizations:ListAccounts'],
    notes: [
      'the break-glass user is named by the plan (or --user), so its IAM writes cannot be scoped by name in advance',
      'the member-account role only with --account; sns:CreateTopic only without --topic',
    ],
  },
  replace: {
    ...none,
    management: [
      'src/iam-changes/runtime.ts',
      'src/verify/account-iam.ts',
      'src/aws/accounts.ts',
      'src/aws/iam-writer.ts',
      'src/aws/rolesanywhere.ts',
    ],
    member: ['src/aws/iam-writer.ts', 'src/aws/rolesanywhere.ts'],
    assumesRole: true,
    except: [...BREAKGLASS_ONLY, 'organizations:DescribeOrganization', 'organizations:ListAccounts'],
    extra: ['iam:PassRole'],
    writeResources: [
      'arn:PARTITION:iam::*:role/iam2sso-*',
      'arn:PARTITION:iam::*:instance-profile/iam2sso-*',
      'arn:PARTITION:iam::*:oidc-provider/token.actions.githubusercontent.com',
    ],
    notes: [
      'the role, its instance profile and the GitHub OIDC provider are the only IAM objects replace writes',
      'the member-account role for service accounts outside the management account',
      'IAM Roles Anywhere trust anchors and profiles get ids the service picks (and its creates take no resource), so their writes are on `*`: replace deletes only those it recorded making',
    ],
  },
};

/** The Identity Store writes of apply's adapter: made by apply only when iam2sso feeds the Identity Store. */
const IDENTITY_STORE_WRITES = AWS_MODULE_ACTIONS['src/aws/identity-store.ts'].filter((a) =>
  /^identitystore:(Create|Delete|Update)/.test(a),
);

/**
 * What apply adds for a plan that keeps accounts outside Identity Center: the SAML provider and role calls in those
 * accounts, and the Entra app (instantiated from the gallery, configured, its app roles assigned).
 */
export const OUTSIDE_IDENTITY_CENTER: { aws: string[]; graph: GraphOperation[] } = {
  aws: ['src/aws/iam-saml-keep.ts'],
  graph: [
    ...GRAPH_MODULE_OPERATIONS['src/entra/graph-saml-keep.ts'],
    ...GRAPH_MODULE_OPERATIONS['src/entra/graph-app.ts'],
  ],
};

/**
 * apply under the plan's identity source (see src/core/reconcile/identity-source.ts): `scim` makes the Entra groups,
 * their members and app assignments and reads the provisioning job, but leaves the Identity Store to provisioning;
 * `external` works on the AWS side only.
 */
export const APPLY_BY_IDENTITY_SOURCE: Record<'scim' | 'external', CommandModules> = {
  scim: {
    ...COMMAND_MODULES.apply,
    graph: [
      'users.read',
      'groups.read',
      'apps.read',
      'groups.create',
      'groups.members.write',
      'apps.assign',
      'sync.read',
    ],
    except: IDENTITY_STORE_WRITES,
    notes: [
      ...COMMAND_MODULES.apply.notes,
      "identitySource scim: Entra's provisioning writes the Identity Store (apply only reads it); Synchronization.Read.All is read to say why groups do not arrive",
    ],
  },
  external: {
    ...COMMAND_MODULES.apply,
    graph: [],
    except: IDENTITY_STORE_WRITES,
    notes: [
      ...COMMAND_MODULES.apply.notes,
      'identitySource external: no Microsoft Graph; the Identity Store is only read',
    ],
  },
};
