/** Organizations reads of the organization's shape: the organization, roots, OUs, accounts, parents, children. */
import {
  type OrgAccount,
  type OrganizationState,
  type OrgUnit,
  orgEntityPath,
  rootArn,
} from '../../world/organization-state.js';
import type { JsonHandler } from '../context.js';
import { AwsError } from '../errors.js';
import { invalidInput, organizationFor, page, requireString } from './common.js';
import { rootPolicyTypes } from './policy-types.js';

function accountView(org: OrganizationState, a: OrgAccount) {
  return {
    Id: a.id,
    Arn: a.arn,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
    Paths: [orgEntityPath(org, a.id)],
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: a.joinedTimestamp,
  };
}

function unitView(org: OrganizationState, u: OrgUnit) {
  return { Id: u.id, Arn: u.arn, Name: u.name, Path: orgEntityPath(org, u.id) };
}

function parentNotFound(): AwsError {
  return new AwsError(
    'ParentNotFoundException',
    "We can't find a root or OU with the ParentId that you specified.",
    400,
  );
}

/** Checks that `id` is the root or an OU of the organization. */
function requireParent(org: OrganizationState, id: string): void {
  if (!/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(id)) {
    throw invalidInput(
      'INVALID_PATTERN',
      'You provided a value for ParentId that does not match the required pattern.',
    );
  }
  if (id !== org.rootId && !org.units.has(id)) throw parentNotFound();
}

function accountsUnder(org: OrganizationState, parentId: string): OrgAccount[] {
  return [...org.accounts.values()].filter((a) => a.parentId === parentId);
}

function unitsUnder(org: OrganizationState, parentId: string): OrgUnit[] {
  return [...org.units.values()].filter((u) => u.parentId === parentId);
}

function requireAccount(org: OrganizationState, input: Record<string, unknown>): OrgAccount {
  const id = requireString(input, 'AccountId');
  if (!/^\d{12}$/.test(id)) {
    throw invalidInput(
      'INVALID_PATTERN',
      'You provided a value for AccountId that does not match the required pattern.',
    );
  }
  const account = org.accounts.get(id);
  if (!account) {
    throw new AwsError('AccountNotFoundException', "You specified an account that doesn't exist.", 400);
  }
  return account;
}

/** The read-only structure handlers, by operation name. */
export const structureHandlers: Record<string, JsonHandler> = {
  DescribeOrganization: (ctx) => {
    const org = organizationFor(ctx, { anyMember: true });
    return {
      Organization: {
        Id: org.id,
        Arn: org.arn,
        FeatureSet: 'ALL',
        MasterAccountArn: org.accounts.get(org.managementAccountId)?.arn,
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: org.managementAccountEmail,
        AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    };
  },

  ListRoots: (ctx, input) => {
    const org = organizationFor(ctx);
    const roots = [{ Id: org.rootId, Arn: rootArn(org), Name: 'Root', PolicyTypes: rootPolicyTypes(org) }];
    const p = page(roots, input, 'ListRoots');
    return { Roots: p.items, NextToken: p.NextToken };
  },

  ListAccounts: (ctx, input) => {
    const org = organizationFor(ctx);
    const p = page([...org.accounts.values()], input, 'ListAccounts');
    return { Accounts: p.items.map((a) => accountView(org, a)), NextToken: p.NextToken };
  },

  DescribeAccount: (ctx, input) => {
    const org = organizationFor(ctx);
    return { Account: accountView(org, requireAccount(org, input)) };
  },

  ListAccountsForParent: (ctx, input) => {
    const org = organizationFor(ctx);
    const parentId = requireString(input, 'ParentId');
    requireParent(org, parentId);
    const p = page(accountsUnder(org, parentId), input, `ListAccountsForParent:${parentId}`);
    return { Accounts: p.items.map((a) => accountView(org, a)), NextToken: p.NextToken };
  },

  ListOrganizationalUnitsForParent: (ctx, input) => {
    const org = organizationFor(ctx);
    const parentId = requireString(input, 'ParentId');
    requireParent(org, parentId);
    const p = page(unitsUnder(org, parentId), input, `ListOrganizationalUnitsForParent:${parentId}`);
    return { OrganizationalUnits: p.items.map((u) => unitView(org, u)), NextToken: p.NextToken };
  },

  DescribeOrganizationalUnit: (ctx, input) => {
    const org = organizationFor(ctx);
    const id = requireString(input, 'OrganizationalUnitId');
    const unit = org.units.get(id);
    if (!unit) {
      throw new AwsError(
        'OrganizationalUnitNotFoundException',
        "We can't find an OU with the OrganizationalUnitId that you specified.",
        400,
      );
    }
    return { OrganizationalUnit: unitView(org, unit) };
  },

  ListParents: (ctx, input) => {
    const org = organizationFor(ctx);
    const childId = requireString(input, 'ChildId');
    const parentId = org.accounts.get(childId)?.parentId ?? org.units.get(childId)?.parentId;
    if (!parentId) {
      throw new AwsError(
        'ChildNotFoundException',
        "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
        400,
      );
    }
    const type = parentId === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
    const p = page([{ Id: parentId, Type: type }], input, `ListParents:${childId}`);
    return { Parents: p.items, NextToken: p.NextToken };
  },

  ListChildren: (ctx, input) => {
    const org = organizationFor(ctx);
    const parentId = requireString(input, 'ParentId');
    const childType = requireString(input, 'ChildType');
    if (childType !== 'ACCOUNT' && childType !== 'ORGANIZATIONAL_UNIT') {
      throw invalidInput('INVALID_ENUM', 'You specified an invalid value for ChildType.');
    }
    requireParent(org, parentId);
    const ids =
      childType === 'ACCOUNT'
        ? accountsUnder(org, parentId).map((a) => a.id)
        : unitsUnder(org, parentId).map((u) => u.id);
    const p = page(ids, input, `ListChildren:${parentId}:${childType}`);
    return { Children: p.items.map((Id) => ({ Id, Type: childType })), NextToken: p.NextToken };
  },
};
