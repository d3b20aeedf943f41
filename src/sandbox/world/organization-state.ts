/** AWS Organizations state of the sandbox: the organization, its OUs and its policies. */

export type OrgAccount = {
  id: string;
  name: string;
  email: string;
  arn: string;
  status: 'ACTIVE' | 'SUSPENDED';
  joinedMethod: 'CREATED' | 'INVITED';
  joinedTimestamp: Date;
  parentId: string;
};

export type OrgUnit = { id: string; arn: string; name: string; parentId: string };

export type OrgPolicy = {
  id: string;
  arn: string;
  name: string;
  description: string;
  type: 'SERVICE_CONTROL_POLICY';
  awsManaged: boolean;
  content: string;
  /** Root, OU or account ids the policy is attached to. */
  targets: Set<string>;
};

export type OrganizationState = {
  id: string;
  arn: string;
  managementAccountId: string;
  managementAccountEmail: string;
  rootId: string;
  accounts: Map<string, OrgAccount>;
  units: Map<string, OrgUnit>;
  policies: Map<string, OrgPolicy>;
};
