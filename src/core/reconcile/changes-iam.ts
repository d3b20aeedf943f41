/**
 * The typed changes `decommission` makes to IAM users: the reversible stages (console password removed, keys and
 * other credentials set inactive), the ordered removals of `delete`, and the creates that undo them on rollback.
 * Every change names its user by account and name; `undoOf` is pure and null where AWS cannot give back what was
 * removed (a secret: an access key, a service-specific credential's password, an MFA device's seed). Pure.
 */

/** The user a change acts on. */
export type IamUserRef = { accountId: string; userName: string };

/** Credentials that `deactivate-keys` sets inactive (access keys, service-specific credentials, SSH keys, certs). */
export type IamCredentialType = 'access-key' | 'service-credential' | 'ssh-key' | 'signing-certificate';

/** What a deleted user is recreated with (never secrets). */
export type IamUserShape = { path: string; tags: { key: string; value: string }[]; permissionsBoundary: string | null };

/** One change to an IAM user. */
export type IamChange =
  | (IamUserRef & { kind: 'iam.login-profile.delete'; passwordResetRequired: boolean })
  | (IamUserRef & { kind: 'iam.login-profile.create' })
  | (IamUserRef & {
      kind: 'iam.credential.deactivate' | 'iam.credential.activate';
      type: IamCredentialType;
      id: string;
    })
  | (IamUserRef & { kind: 'iam.credential.delete'; type: IamCredentialType; id: string })
  | (IamUserRef & { kind: 'iam.mfa.deactivate'; serialNumber: string })
  | (IamUserRef & { kind: 'iam.mfa.delete-virtual'; serialNumber: string })
  | (IamUserRef & { kind: 'iam.user-policy.put' | 'iam.user-policy.delete'; policyName: string; document: string })
  | (IamUserRef & { kind: 'iam.user-policy.attach' | 'iam.user-policy.detach'; policyArn: string })
  | (IamUserRef & { kind: 'iam.group.add-user' | 'iam.group.remove-user'; group: string })
  | (IamUserRef & { kind: 'iam.user.delete' | 'iam.user.create'; shape: IamUserShape });

/** The kind tags of IamChange. */
export type IamChangeKind = IamChange['kind'];

/**
 * The phase of each kind. A user's dependents are removed in the order IAM's DeleteUser requires (login profile,
 * access keys, signing certificates, SSH keys, service-specific credentials, MFA devices, inline policies,
 * managed policies, groups), then the user, as the IAM API reference for DeleteUser lists them
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html: "Before attempting to delete a user,
 * remove the following items"; MFA devices by DeactivateMFADevice then DeleteVirtualMFADevice). On rollback the
 * user is made first, then what hangs on it.
 */
export const IAM_PHASES: Record<IamChangeKind, number> = {
  'iam.user.create': 0,
  'iam.login-profile.create': 1,
  'iam.credential.activate': 1,
  'iam.user-policy.put': 1,
  'iam.user-policy.attach': 1,
  'iam.group.add-user': 1,
  'iam.login-profile.delete': 10,
  'iam.credential.deactivate': 11,
  'iam.credential.delete': 11,
  'iam.mfa.deactivate': 15,
  'iam.mfa.delete-virtual': 16,
  'iam.user-policy.delete': 17,
  'iam.user-policy.detach': 18,
  'iam.group.remove-user': 19,
  'iam.user.delete': 20,
};

/** The order of credential removal inside phase 11 follows IAM's: keys, certificates, SSH keys, service creds. */
const CREDENTIAL_ORDER: Record<IamCredentialType, number> = {
  'access-key': 0,
  'signing-certificate': 1,
  'ssh-key': 2,
  'service-credential': 3,
};

/** The phase of a change (credential deletes are spread over 11-14 in IAM's order). */
export function iamPhaseOf(c: IamChange): number {
  if (c.kind === 'iam.credential.delete') return 11 + CREDENTIAL_ORDER[c.type];
  return IAM_PHASES[c.kind];
}

const KINDS = new Set<string>(Object.keys(IAM_PHASES));

/** True for the IAM user changes. */
export function isIamChange(c: { kind: string }): c is IamChange {
  return KINDS.has(c.kind);
}

/** `ACCOUNT/user` for people and for keys. */
export function userKey(u: IamUserRef): string {
  return `${u.accountId}/${u.userName}`;
}

/** A stable id of the change: the same in every run that makes it. */
export function iamChangeId(c: IamChange): string {
  const u = userKey(c);
  switch (c.kind) {
    case 'iam.credential.deactivate':
    case 'iam.credential.activate':
    case 'iam.credential.delete':
      return `${c.kind}:${u}:${c.type}:${c.id}`;
    case 'iam.mfa.deactivate':
    case 'iam.mfa.delete-virtual':
      return `${c.kind}:${u}:${c.serialNumber}`;
    case 'iam.user-policy.put':
    case 'iam.user-policy.delete':
      return `${c.kind}:${u}:${c.policyName}`;
    case 'iam.user-policy.attach':
    case 'iam.user-policy.detach':
      return `${c.kind}:${u}:${c.policyArn}`;
    case 'iam.group.add-user':
    case 'iam.group.remove-user':
      return `${c.kind}:${u}:${c.group}`;
    default:
      return `${c.kind}:${u}`;
  }
}

/** The change that reverts `c`, or null when AWS cannot give back what it removed. */
export function iamUndoOf(c: IamChange): IamChange | null {
  const u = { accountId: c.accountId, userName: c.userName };
  switch (c.kind) {
    case 'iam.login-profile.delete':
      return { ...u, kind: 'iam.login-profile.create' };
    case 'iam.login-profile.create':
      return { ...u, kind: 'iam.login-profile.delete', passwordResetRequired: true };
    case 'iam.credential.deactivate':
      return { ...u, kind: 'iam.credential.activate', type: c.type, id: c.id };
    case 'iam.credential.activate':
      return { ...u, kind: 'iam.credential.deactivate', type: c.type, id: c.id };
    case 'iam.user-policy.delete':
      return { ...u, kind: 'iam.user-policy.put', policyName: c.policyName, document: c.document };
    case 'iam.user-policy.put':
      return { ...u, kind: 'iam.user-policy.delete', policyName: c.policyName, document: c.document };
    case 'iam.user-policy.detach':
      return { ...u, kind: 'iam.user-policy.attach', policyArn: c.policyArn };
    case 'iam.user-policy.attach':
      return { ...u, kind: 'iam.user-policy.detach', policyArn: c.policyArn };
    case 'iam.group.remove-user':
      return { ...u, kind: 'iam.group.add-user', group: c.group };
    case 'iam.group.add-user':
      return { ...u, kind: 'iam.group.remove-user', group: c.group };
    case 'iam.user.delete':
      return { ...u, kind: 'iam.user.create', shape: c.shape };
    case 'iam.user.create':
      return { ...u, kind: 'iam.user.delete', shape: c.shape };
    // A deleted secret (key, service password) or an MFA device's seed cannot be given back.
    case 'iam.credential.delete':
    case 'iam.mfa.deactivate':
    case 'iam.mfa.delete-virtual':
      return null;
  }
}

/** True for changes that remove or deactivate (what the mass-change guard counts). */
export function isIamRemoval(c: IamChange): boolean {
  return /\.(delete|deactivate|detach|remove-user)/.test(c.kind);
}

const CREDENTIAL_NAME: Record<IamCredentialType, string> = {
  'access-key': 'access key',
  'service-credential': 'service-specific credential',
  'ssh-key': 'SSH public key',
  'signing-certificate': 'signing certificate',
};

/** One line for people: `+ ~ -` and what the change does. */
export function describeIamChange(c: IamChange): string {
  const u = `IAM user ${userKey(c)}`;
  switch (c.kind) {
    case 'iam.login-profile.delete':
      return `- ${u} console password (login profile; password reset required: ${c.passwordResetRequired})`;
    case 'iam.login-profile.create':
      return `+ ${u} console password (new, reset required at first sign-in)`;
    case 'iam.credential.deactivate':
      return `~ ${u} ${CREDENTIAL_NAME[c.type]} ${c.id} Active -> Inactive`;
    case 'iam.credential.activate':
      return `~ ${u} ${CREDENTIAL_NAME[c.type]} ${c.id} Inactive -> Active`;
    case 'iam.credential.delete':
      return `- ${u} ${CREDENTIAL_NAME[c.type]} ${c.id}`;
    case 'iam.mfa.deactivate':
      return `- ${u} MFA device ${c.serialNumber} (deactivated)`;
    case 'iam.mfa.delete-virtual':
      return `- ${u} virtual MFA device ${c.serialNumber}`;
    case 'iam.user-policy.put':
    case 'iam.user-policy.delete':
      return `${c.kind.endsWith('put') ? '+' : '-'} ${u} inline policy ${c.policyName}`;
    case 'iam.user-policy.attach':
    case 'iam.user-policy.detach':
      return `${c.kind.endsWith('attach') ? '+' : '-'} ${u} managed policy ${c.policyArn}`;
    case 'iam.group.add-user':
    case 'iam.group.remove-user':
      return `${c.kind.endsWith('add-user') ? '+' : '-'} ${u} member of group ${c.group}`;
    case 'iam.user.delete':
      return `- ${u}`;
    case 'iam.user.create':
      return `+ ${u} (path ${c.shape.path}, ${c.shape.tags.length} tag(s))`;
  }
}

/**
 * For each change id, the ids that must have succeeded before it: a user is deleted only once every one of its
 * dependents is gone (a failure cancels DeleteUser, so it never meets a DeleteConflict), and a recreated user's
 * policies, groups and password wait for the user.
 */
export function iamDependencies(changes: { kind: string }[]): [string, string][] {
  const iam = changes.filter(isIamChange);
  const out: [string, string][] = [];
  for (const c of iam) {
    if (c.kind === 'iam.user.delete')
      for (const p of iam)
        if (p !== c && userKey(p) === userKey(c) && isIamRemoval(p)) out.push([iamChangeId(c), iamChangeId(p)]);
    if (c.kind !== 'iam.user.create' && !isIamRemoval(c))
      for (const p of iam)
        if (p.kind === 'iam.user.create' && userKey(p) === userKey(c)) out.push([iamChangeId(c), iamChangeId(p)]);
  }
  return out;
}
