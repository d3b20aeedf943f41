/**
 * Where a user's permissions come from: policies attached to the user, inline policies, and both through
 * IAM groups, with their documents from the snapshot (or, for AWS managed policies missing from it, from the
 * managed-policy port).
 */
import type { AccountSnapshot, RoleRecord, UserRecord } from './model.js';
import type { PermissionsBoundaryRef } from './plan-types.js';

/** Looks up an AWS managed policy's document by ARN when the snapshot does not hold it. */
export type ManagedPolicyDocuments = (arn: string) => string | null;

/** One policy that contributes to a user's access. */
export type PolicySource = {
  kind: 'aws-managed' | 'customer-managed' | 'inline';
  /** ARN for managed policies; `<owner>/<name>` for inline ones. */
  id: string;
  name: string;
  path: string;
  /** JSON text, or null when it could not be found. */
  document: string | null;
  /** `user` or `group <name>`. */
  via: string;
};

/** Everything that decides a user's access today. */
export type UserPolicies = {
  sources: PolicySource[];
  boundary: { ref: PermissionsBoundaryRef; document: string | null } | null;
};

const AWS_MANAGED = /^arn:[^:]+:iam::aws:policy\//;

/** True for an AWS managed policy ARN. */
export function isAwsManagedArn(arn: string): boolean {
  return AWS_MANAGED.test(arn);
}

/** The name and path of a managed policy ARN (`arn:aws:iam::1:policy/team/Name` → Name, /team/). */
export function policyNameAndPath(arn: string): { name: string; path: string } {
  const resource = arn.slice(arn.indexOf(':policy/') + ':policy/'.length);
  const slash = resource.lastIndexOf('/');
  return slash < 0
    ? { name: resource, path: '/' }
    : { name: resource.slice(slash + 1), path: `/${resource.slice(0, slash + 1)}` };
}

/** The parts of a principal (an IAM user, or a role seen as one) that decide its access. */
type PolicyHolder = Pick<
  UserRecord,
  'userName' | 'attachedPolicies' | 'inlinePolicies' | 'groups' | 'permissionsBoundary'
>;

/** A role's policy sources (attached, then inline) and boundary, as userPolicies gives a user's. */
export function rolePolicies(role: RoleRecord, account: AccountSnapshot, lookup: ManagedPolicyDocuments): UserPolicies {
  return userPolicies(
    {
      userName: role.name,
      attachedPolicies: role.attachedPolicies ?? [],
      inlinePolicies: role.inlinePolicies ?? [],
      groups: [],
      permissionsBoundary: role.permissionsBoundary ?? null,
    },
    account,
    lookup,
  );
}

/** The user's policy sources, direct ones first, then each group's in the order the user's groups list. */
export function userPolicies(
  user: PolicyHolder,
  account: AccountSnapshot,
  lookup: ManagedPolicyDocuments,
): UserPolicies {
  const docs = documentIndex(account);
  const sources: PolicySource[] = [];
  const addManaged = (arn: string, via: string) => {
    const aws = isAwsManagedArn(arn);
    const { name, path } = policyNameAndPath(arn);
    const document = docs.get(arn) ?? (aws ? lookup(arn) : null);
    sources.push({ kind: aws ? 'aws-managed' : 'customer-managed', id: arn, name, path, document, via });
  };
  for (const p of user.attachedPolicies) addManaged(p.arn, 'user');
  for (const p of user.inlinePolicies) {
    sources.push({
      kind: 'inline',
      id: `${user.userName}/${p.name}`,
      name: p.name,
      path: '/',
      document: p.document,
      via: 'user',
    });
  }
  const groups = new Map(account.groups.map((g) => [g.name, g]));
  for (const groupName of user.groups) {
    const group = groups.get(groupName);
    if (!group) continue;
    for (const p of group.attachedPolicies) addManaged(p.arn, `group ${group.name}`);
    for (const p of group.inlinePolicies) {
      sources.push({
        kind: 'inline',
        id: `${group.name}/${p.name}`,
        name: p.name,
        path: '/',
        document: p.document,
        via: `group ${group.name}`,
      });
    }
  }
  let boundary: UserPolicies['boundary'] = null;
  if (user.permissionsBoundary) {
    const arn = user.permissionsBoundary;
    const aws = isAwsManagedArn(arn);
    boundary = {
      ref: aws ? { managedPolicyArn: arn } : { customerManagedPolicy: policyNameAndPath(arn) },
      document: docs.get(arn) ?? (aws ? lookup(arn) : null),
    };
  }
  return { sources: dedupeSources(sources), boundary };
}

const indexes = new WeakMap<AccountSnapshot, Map<string, string>>();

function documentIndex(account: AccountSnapshot): Map<string, string> {
  let index = indexes.get(account);
  if (!index) {
    index = new Map(account.policies.map((p) => [p.arn, p.document]));
    indexes.set(account, index);
  }
  return index;
}

function dedupeSources(sources: PolicySource[]): PolicySource[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${s.kind}|${s.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
