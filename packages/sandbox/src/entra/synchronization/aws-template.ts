/**
 * The synchronization template of the AWS IAM Identity Center gallery app: its id and factory tag, and the
 * default schema with the attribute mappings Entra ships for it (the ones the seed guide checks), including
 * the soft-delete expression for `active`.
 */

/** The gallery application template id of "AWS IAM Identity Center (successor to AWS Single Sign-On)". */
export const AWS_GALLERY_TEMPLATE_ID = '21ed01d2-ec13-4e9e-86c1-cd546719ebc4';
/**
 * The synchronization template id (and factory tag) of the AWS IAM Identity Center app. `aws` belongs to the
 * older "Amazon Web Services (AWS)" single-account app; job ids of the Identity Center app read
 * `aWSSingleSignon.<32 hex>.<tenant id>` in public Terraform modules that drive it.
 */
export const AWS_SYNC_TEMPLATE_ID = 'aWSSingleSignon';
/** The target directory of the AWS IAM Identity Center app's synchronization schema. */
export const AWS_TARGET_DIRECTORY = 'AWSSingleSignon';
/** The soft-delete expression the AWS app maps to SCIM `active`. */
export const ACTIVE_EXPRESSION = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

export const USER_RULE_ID = '03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8';
export const GROUP_OBJECT = 'Group';
export const USER_OBJECT = 'User';
export const SCIM_USER_OBJECT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_GROUP_OBJECT = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export type AttributeMappingSource = {
  expression: string;
  name: string;
  type: 'Attribute' | 'Function' | 'Constant';
  parameters: { key: string; value: AttributeMappingSource }[];
};

export type AttributeMapping = {
  defaultValue: string | null;
  exportMissingReferences: boolean;
  flowBehavior: 'FlowWhenChanged' | 'FlowAlways';
  flowType: 'Always' | 'ObjectAddOnly' | 'MultiValueAddOnly' | 'ValueAddOnly' | 'AttributeAddOnly';
  matchingPriority: number;
  source: AttributeMappingSource;
  targetAttributeName: string;
};

export type ObjectMapping = {
  attributeMappings: AttributeMapping[];
  enabled: boolean;
  flowTypes: string;
  metadata: { key: string; value: string }[];
  name: string;
  scope: null;
  sourceObjectName: string;
  targetObjectName: string;
};

export type SynchronizationRule = {
  id: string;
  name: string;
  editable: boolean;
  containerFilter: { includedContainers: string[] };
  groupFilter: { includedGroups: string[] };
  metadata: { key: string; value: string }[];
  objectMappings: ObjectMapping[];
  priority: number;
  sourceDirectoryName: string;
  targetDirectoryName: string;
};

export type SynchronizationSchema = {
  directories: { id: string; name: string; objects: { name: string }[] }[];
  synchronizationRules: SynchronizationRule[];
  version: string;
};

function attribute(name: string): AttributeMappingSource {
  return { expression: `[${name}]`, name, type: 'Attribute', parameters: [] };
}

function direct(source: string, target: string, matchingPriority = 0): AttributeMapping {
  return {
    defaultValue: null,
    exportMissingReferences: false,
    flowBehavior: 'FlowWhenChanged',
    flowType: 'Always',
    matchingPriority,
    source: attribute(source),
    targetAttributeName: target,
  };
}

const ACTIVE_MAPPING: AttributeMapping = {
  ...direct('IsSoftDeleted', 'active'),
  source: {
    expression: ACTIVE_EXPRESSION,
    name: 'Switch',
    type: 'Function',
    parameters: [
      { key: 'source', value: attribute('IsSoftDeleted') },
      { key: 'defaultValue', value: { expression: '""', name: '', type: 'Constant', parameters: [] } },
    ],
  },
};

/** A fresh copy of the AWS app's default synchronization schema. */
export function awsDefaultSchema(): SynchronizationSchema {
  return {
    directories: [
      { id: 'AzureActiveDirectory', name: 'Azure Active Directory', objects: [{ name: 'User' }, { name: 'Group' }] },
      {
        id: AWS_TARGET_DIRECTORY,
        name: AWS_TARGET_DIRECTORY,
        objects: [{ name: SCIM_USER_OBJECT }, { name: SCIM_GROUP_OBJECT }],
      },
    ],
    synchronizationRules: [
      {
        id: USER_RULE_ID,
        name: 'USER_OUTBOUND_USER',
        editable: true,
        containerFilter: { includedContainers: [] },
        groupFilter: { includedGroups: [] },
        metadata: [],
        priority: 1,
        sourceDirectoryName: 'Azure Active Directory',
        targetDirectoryName: AWS_TARGET_DIRECTORY,
        objectMappings: [
          {
            name: 'Provision Microsoft Entra ID Users',
            enabled: true,
            flowTypes: 'Add, Update, Delete',
            metadata: [],
            scope: null,
            sourceObjectName: USER_OBJECT,
            targetObjectName: SCIM_USER_OBJECT,
            attributeMappings: [
              direct('userPrincipalName', 'userName', 1),
              ACTIVE_MAPPING,
              direct('displayName', 'displayName'),
              direct('surname', 'name.familyName'),
              direct('givenName', 'name.givenName'),
              direct('mail', 'emails[type eq "work"].value'),
              direct('jobTitle', 'title'),
            ],
          },
          {
            name: 'Provision Microsoft Entra ID Groups',
            enabled: true,
            flowTypes: 'Add, Update, Delete',
            metadata: [],
            scope: null,
            sourceObjectName: GROUP_OBJECT,
            targetObjectName: SCIM_GROUP_OBJECT,
            attributeMappings: [
              direct('displayName', 'displayName', 1),
              direct('objectId', 'externalId'),
              direct('members', 'members'),
            ],
          },
        ],
      },
    ],
    version: 'Date:2024-01-01T00:00:00Z~###~ScriptVersion:1',
  };
}

/** The template as GET /servicePrincipals/{id}/synchronization/templates lists it. */
export function awsSynchronizationTemplate(applicationId: string): Record<string, unknown> {
  return {
    id: AWS_SYNC_TEMPLATE_ID,
    applicationId,
    default: true,
    description: 'AWS IAM Identity Center provisioning (SCIM 2.0)',
    discoverable: true,
    factoryTag: AWS_SYNC_TEMPLATE_ID,
    metadata: [{ key: 'IsOAuthEnabled', value: 'false' }],
    schema: awsDefaultSchema(),
  };
}
