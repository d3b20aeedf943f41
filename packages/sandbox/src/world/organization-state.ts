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
  /** False once DisablePolicyType turned SCPs off in the root (undefined: enabled, as new organizations are here). */
  scpEnabled?: boolean;
};

/** Real Organizations quotas for service control policies. */
export const SCP_LIMITS = {
  /** Characters in one SCP document, white space included. */
  contentCharacters: 5120,
  /** SCPs attached directly to one root, OU or account. */
  perTarget: 5,
  /** SCPs in one organization. */
  perOrganization: 1000,
} as const;

export type OrgTargetType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

/** The kind of a root, OU or account id in the organization; undefined when there is no such target. */
export function orgTargetType(org: OrganizationState, id: string): OrgTargetType | undefined {
  if (id === org.rootId) return 'ROOT';
  if (org.units.has(id)) return 'ORGANIZATIONAL_UNIT';
  if (org.accounts.has(id)) return 'ACCOUNT';
  return undefined;
}

/** The ARN of the organization's root. */
export function rootArn(org: OrganizationState): string {
  return `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`;
}

/** Name and ARN of a root, OU or account, as ListTargetsForPolicy reports them. */
export function describeTarget(org: OrganizationState, id: string): { name: string; arn: string } | undefined {
  if (id === org.rootId) return { name: 'Root', arn: rootArn(org) };
  const unit = org.units.get(id);
  if (unit) return { name: unit.name, arn: unit.arn };
  const account = org.accounts.get(id);
  return account ? { name: account.name, arn: account.arn } : undefined;
}

/** The entity path of an OU or account, as Organizations writes it: `o-xxx/r-xxx/ou-xxx/.../<id>/`. */
export function orgEntityPath(org: OrganizationState, id: string): string {
  const chain: string[] = [id];
  let parent = org.units.get(id)?.parentId ?? org.accounts.get(id)?.parentId;
  while (parent && parent !== org.rootId) {
    chain.unshift(parent);
    parent = org.units.get(parent)?.parentId;
  }
  return `${org.id}/${org.rootId}/${chain.join('/')}/`;
}

/** SCPs attached directly to a target. */
export function policiesAttachedTo(org: OrganizationState, targetId: string): OrgPolicy[] {
  return [...org.policies.values()].filter((p) => p.targets.has(targetId));
}
