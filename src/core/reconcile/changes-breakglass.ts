/**
 * The typed changes of `breakglass create` and `replace`: IAM users, console passwords, roles with their inline
 * policies, OIDC providers, instance profiles with their role, SNS topics and EventBridge rules with their targets. Each names its target by account
 * (and region) and name; `undoOwnedIamChange` gives the change that reverts it. The password of a login profile is never
 * part of a change: it is made when the change runs and shown once. Pure.
 */

/** Tags as IAM and SNS take them. */
export type TagMap = Record<string, string>;

/** One change to IAM, SNS or EventBridge. */
export type OwnedIamChange =
  | { kind: 'iam.owned-user.create'; accountId: string; userName: string; tags: TagMap }
  | { kind: 'iam.owned-user.delete'; accountId: string; userName: string }
  | {
      kind: 'iam.user.attach-policy' | 'iam.user.detach-policy';
      accountId: string;
      userName: string;
      policyArn: string;
    }
  | { kind: 'iam.owned-login-profile.create'; accountId: string; userName: string; passwordResetRequired: boolean }
  | { kind: 'iam.owned-login-profile.delete'; accountId: string; userName: string }
  | {
      kind: 'iam.role.create';
      accountId: string;
      roleName: string;
      trustPolicy: string;
      description: string;
      tags: TagMap;
    }
  | { kind: 'iam.role.delete'; accountId: string; roleName: string }
  | { kind: 'iam.role.put-policy'; accountId: string; roleName: string; policyName: string; document: string }
  | { kind: 'iam.role.delete-policy'; accountId: string; roleName: string; policyName: string; document: string }
  | { kind: 'iam.oidc-provider.create'; accountId: string; url: string; clientIds: string[]; thumbprints: string[] }
  | { kind: 'iam.oidc-provider.delete'; accountId: string; url: string }
  | { kind: 'iam.instance-profile.create'; accountId: string; name: string; tags: TagMap }
  | { kind: 'iam.instance-profile.delete'; accountId: string; name: string }
  | {
      kind: 'iam.instance-profile.add-role' | 'iam.instance-profile.remove-role';
      accountId: string;
      name: string;
      roleName: string;
    }
  | { kind: 'sns.topic.create'; accountId: string; region: string; name: string; policy: string; tags: TagMap }
  | { kind: 'sns.topic.delete'; accountId: string; region: string; name: string }
  | {
      kind: 'events.rule.put';
      accountId: string;
      region: string;
      name: string;
      pattern: string;
      state: 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
      description: string;
    }
  | { kind: 'events.rule.delete'; accountId: string; region: string; name: string }
  | {
      kind: 'events.target.put' | 'events.target.remove';
      accountId: string;
      region: string;
      rule: string;
      targetId: string;
      arn: string;
    };

/** The kinds of object these changes make (owned when the tool created them). */
export type IamObjectKind =
  | 'iam-user'
  | 'iam-role'
  | 'iam-oidc-provider'
  | 'iam-instance-profile'
  | 'sns-topic'
  | 'events-rule';

/** The kind tags of `OwnedIamChange`. */
export type IamChangeKind = OwnedIamChange['kind'];

/** True for the changes defined here. */
export function isOwnedIamChange(c: { kind: string }): c is OwnedIamChange {
  return OWNED_IAM_KINDS.has(c.kind);
}

const OWNED_IAM_KINDS: ReadonlySet<string> = new Set<OwnedIamChange['kind']>([
  'iam.owned-user.create',
  'iam.owned-user.delete',
  'iam.user.attach-policy',
  'iam.user.detach-policy',
  'iam.owned-login-profile.create',
  'iam.owned-login-profile.delete',
  'iam.role.create',
  'iam.role.delete',
  'iam.role.put-policy',
  'iam.role.delete-policy',
  'iam.oidc-provider.create',
  'iam.oidc-provider.delete',
  'iam.instance-profile.create',
  'iam.instance-profile.delete',
  'iam.instance-profile.add-role',
  'iam.instance-profile.remove-role',
  'sns.topic.create',
  'sns.topic.delete',
  'events.rule.put',
  'events.rule.delete',
  'events.target.put',
  'events.target.remove',
]);

const lower = (s: string) => s.toLowerCase();
/** The host (and path) of an OIDC provider URL, as IAM names the provider. */
export const oidcHost = (url: string) => url.replace(/^https:\/\//, '').replace(/\/$/, '');

/** The object a change acts on (IAM names compare without case). */
export function iamObjectOf(c: OwnedIamChange): { kind: IamObjectKind; key: string } {
  switch (c.kind) {
    case 'iam.owned-user.create':
    case 'iam.owned-user.delete':
    case 'iam.user.attach-policy':
    case 'iam.user.detach-policy':
    case 'iam.owned-login-profile.create':
    case 'iam.owned-login-profile.delete':
      return { kind: 'iam-user', key: `${c.accountId}/${lower(c.userName)}` };
    case 'iam.role.create':
    case 'iam.role.delete':
    case 'iam.role.put-policy':
    case 'iam.role.delete-policy':
      return { kind: 'iam-role', key: `${c.accountId}/${lower(c.roleName)}` };
    case 'iam.oidc-provider.create':
    case 'iam.oidc-provider.delete':
      return { kind: 'iam-oidc-provider', key: `${c.accountId}/${lower(oidcHost(c.url))}` };
    case 'iam.instance-profile.create':
    case 'iam.instance-profile.delete':
    case 'iam.instance-profile.add-role':
    case 'iam.instance-profile.remove-role':
      return { kind: 'iam-instance-profile', key: `${c.accountId}/${lower(c.name)}` };
    case 'sns.topic.create':
    case 'sns.topic.delete':
      return { kind: 'sns-topic', key: `${c.accountId}/${c.region}/${c.name}` };
    case 'events.rule.put':
    case 'events.rule.delete':
      return { kind: 'events-rule', key: `${c.accountId}/${c.region}/${c.name}` };
    case 'events.target.put':
    case 'events.target.remove':
      return { kind: 'events-rule', key: `${c.accountId}/${c.region}/${c.rule}` };
  }
}

/** A stable id of the change. */
export function ownedIamChangeId(c: OwnedIamChange): string {
  const base = `${c.kind}:${iamObjectOf(c).key}`;
  if ('policyArn' in c) return `${base}:${c.policyArn}`;
  if ('policyName' in c) return `${base}:${c.policyName}`;
  if ('targetId' in c) return `${base}:${c.targetId}`;
  if (c.kind === 'iam.instance-profile.add-role' || c.kind === 'iam.instance-profile.remove-role')
    return `${base}:${lower(c.roleName)}`;
  return base;
}

/** True for creates (they make the object the change names). */
function isCreate(c: OwnedIamChange): boolean {
  return c.kind.endsWith('.create') && c.kind !== 'iam.owned-login-profile.create';
}

/** The object a create makes, or null. */
export function ownedIamCreatedObject(c: OwnedIamChange): { kind: IamObjectKind; key: string } | null {
  return isCreate(c) || c.kind === 'events.rule.put' ? iamObjectOf(c) : null;
}

/** The object a delete removes, or null. */
export function ownedIamDeletedObject(c: OwnedIamChange): { kind: IamObjectKind; key: string } | null {
  return /^(iam\.owned-user|iam\.role|iam\.oidc-provider|iam\.instance-profile|sns\.topic|events\.rule)\.delete$/.test(
    c.kind,
  )
    ? iamObjectOf(c)
    : null;
}

/** The object that must be the tool's for the change to run: every change but a create. */
export function ownedIamOwnerCheck(c: OwnedIamChange): { kind: IamObjectKind; key: string } | null {
  return ownedIamCreatedObject(c) ? null : iamObjectOf(c);
}

/** The change that reverts `c` (a deleted user, role or provider is recreated empty: what was on it is undone first). */
export function undoOwnedIamChange(c: OwnedIamChange): OwnedIamChange | null {
  switch (c.kind) {
    case 'iam.owned-user.create':
      return { kind: 'iam.owned-user.delete', accountId: c.accountId, userName: c.userName };
    case 'iam.user.attach-policy':
      return { ...c, kind: 'iam.user.detach-policy' };
    case 'iam.user.detach-policy':
      return { ...c, kind: 'iam.user.attach-policy' };
    case 'iam.owned-login-profile.create':
      return { kind: 'iam.owned-login-profile.delete', accountId: c.accountId, userName: c.userName };
    case 'iam.role.create':
      return { kind: 'iam.role.delete', accountId: c.accountId, roleName: c.roleName };
    case 'iam.role.put-policy':
      return { ...c, kind: 'iam.role.delete-policy' };
    case 'iam.role.delete-policy':
      return { ...c, kind: 'iam.role.put-policy' };
    case 'iam.oidc-provider.create':
      return { kind: 'iam.oidc-provider.delete', accountId: c.accountId, url: c.url };
    case 'iam.instance-profile.create':
      return { kind: 'iam.instance-profile.delete', accountId: c.accountId, name: c.name };
    case 'iam.instance-profile.add-role':
      return { ...c, kind: 'iam.instance-profile.remove-role' };
    case 'iam.instance-profile.remove-role':
      return { ...c, kind: 'iam.instance-profile.add-role' };
    case 'sns.topic.create':
      return { kind: 'sns.topic.delete', accountId: c.accountId, region: c.region, name: c.name };
    case 'events.rule.put':
      return { kind: 'events.rule.delete', accountId: c.accountId, region: c.region, name: c.name };
    case 'events.target.put':
      return { ...c, kind: 'events.target.remove' };
    case 'events.target.remove':
      return { ...c, kind: 'events.target.put' };
    // Deletes of whole objects and of passwords cannot be undone: what they held is gone (keys, passwords, MFA).
    default:
      return null;
  }
}

/** The phase of a change: creates, then what goes on them, then targets; removals in the reverse order. */
export const OWNED_IAM_PHASE: Record<IamChangeKind, number> = {
  'iam.oidc-provider.create': 0,
  'sns.topic.create': 0,
  'iam.owned-user.create': 1,
  'iam.role.create': 1,
  'iam.instance-profile.create': 1,
  'iam.instance-profile.add-role': 2,
  'iam.user.attach-policy': 2,
  'iam.owned-login-profile.create': 2,
  'iam.role.put-policy': 2,
  'events.rule.put': 2,
  'events.target.put': 3,
  'events.target.remove': 4,
  'iam.instance-profile.remove-role': 4,
  'iam.user.detach-policy': 5,
  'iam.owned-login-profile.delete': 5,
  'iam.role.delete-policy': 5,
  'events.rule.delete': 5,
  'iam.owned-user.delete': 6,
  'iam.role.delete': 6,
  'iam.instance-profile.delete': 6,
  'iam.oidc-provider.delete': 7,
  'sns.topic.delete': 7,
};

/**
 * True when `c` must wait for `p`: what goes on an object follows its creation, a target follows its topic, a role
 * trusting an OIDC provider follows the provider.
 */
export function ownedIamDependsOn(c: OwnedIamChange, p: OwnedIamChange): boolean {
  if (!isCreate(p) && p.kind !== 'events.rule.put') return false;
  if (c.kind === 'iam.role.create' && p.kind === 'iam.oidc-provider.create')
    return c.accountId === p.accountId && c.trustPolicy.includes(`oidc-provider/${oidcHost(p.url)}`);
  // A role goes into an instance profile once both exist.
  if (c.kind === 'iam.instance-profile.add-role' && p.kind === 'iam.role.create')
    return c.accountId === p.accountId && lower(c.roleName) === lower(p.roleName);
  const same = iamObjectOf(c).key === iamObjectOf(p).key && iamObjectOf(c).kind === iamObjectOf(p).kind;
  if (same && c !== p) return true;
  return c.kind === 'events.target.put' && p.kind === 'sns.topic.create' && c.arn.endsWith(`:${p.accountId}:${p.name}`);
}

/** One line for people. */
export function describeOwnedIamChange(c: OwnedIamChange, sign: string): string {
  switch (c.kind) {
    case 'iam.owned-user.create':
    case 'iam.owned-user.delete':
      return `${sign} IAM user ${c.userName} in ${c.accountId}`;
    case 'iam.user.attach-policy':
    case 'iam.user.detach-policy':
      return `${sign} IAM user ${c.userName} in ${c.accountId} policy ${c.policyArn}`;
    case 'iam.owned-login-profile.create':
    case 'iam.owned-login-profile.delete':
      return `${sign} console password of IAM user ${c.userName} in ${c.accountId}`;
    case 'iam.role.create':
    case 'iam.role.delete':
      return `${sign} IAM role ${c.roleName} in ${c.accountId}`;
    case 'iam.role.put-policy':
    case 'iam.role.delete-policy':
      return `${sign} IAM role ${c.roleName} in ${c.accountId} inline policy ${c.policyName}`;
    case 'iam.oidc-provider.create':
    case 'iam.oidc-provider.delete':
      return `${sign} IAM OIDC provider ${oidcHost(c.url)} in ${c.accountId}`;
    case 'iam.instance-profile.create':
    case 'iam.instance-profile.delete':
      return `${sign} IAM instance profile ${c.name} in ${c.accountId}`;
    case 'iam.instance-profile.add-role':
    case 'iam.instance-profile.remove-role':
      return `${c.kind.endsWith('add-role') ? '+' : sign} IAM instance profile ${c.name} in ${c.accountId} role ${c.roleName}`;
    case 'sns.topic.create':
    case 'sns.topic.delete':
      return `${sign} SNS topic ${c.name} in ${c.accountId} ${c.region}`;
    case 'events.rule.put':
    case 'events.rule.delete':
      return `${sign} EventBridge rule ${c.name} in ${c.accountId} ${c.region}`;
    case 'events.target.put':
    case 'events.target.remove':
      return `${sign} EventBridge rule ${c.rule} target ${c.arn}`;
  }
}
