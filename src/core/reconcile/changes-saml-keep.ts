/**
 * The typed changes that keep or make direct SAML federation for an account outside Identity Center (Entra's "AWS
 * Single-Account Access" pattern): the Entra app per account (gallery instantiate, then SAML single sign-on and its
 * signing certificate), the IAM SAML provider made from the app's federation metadata (updated when the certificate
 * rotates), roles with the SAML trust and their policies, the app roles (`<roleArn>,<providerArn>`) and their
 * assignments to Entra groups. Each names its target by account and name; ARNs are made when it runs (in the
 * caller's partition). Pure.
 */

/** One change of the family. */
export type SamlKeepChange =
  | { kind: 'saml.keep.app.create'; accountId: string; app: string; templateId: string }
  | { kind: 'saml.keep.app.delete'; accountId: string; app: string }
  /** SAML single sign-on mode, AWS's identifier and reply URL, and a signing certificate when it has none. */
  | { kind: 'saml.keep.app.configure'; accountId: string; app: string }
  /** `metadata` null: the app's federation metadata is read from Entra when the change runs. */
  | { kind: 'saml.keep.provider.create'; accountId: string; name: string; app: string; metadata: string | null }
  | { kind: 'saml.keep.provider.update'; accountId: string; name: string; metadata: string; previous: string | null }
  | { kind: 'saml.keep.provider.delete'; accountId: string; name: string }
  | { kind: 'saml.keep.role.create'; accountId: string; roleName: string; provider: string }
  | { kind: 'saml.keep.role.delete'; accountId: string; roleName: string }
  | { kind: 'saml.keep.role.attach' | 'saml.keep.role.detach'; accountId: string; roleName: string; policyArn: string }
  | {
      kind: 'saml.keep.app-role.add' | 'saml.keep.app-role.remove';
      accountId: string;
      app: string;
      roleName: string;
      provider: string;
    }
  | {
      kind: 'saml.keep.assign' | 'saml.keep.unassign';
      accountId: string;
      app: string;
      roleName: string;
      group: string;
    };

/** The kind tags of the family. */
export type SamlKeepKind = SamlKeepChange['kind'];

/** The kinds of object the family makes or adopts. */
export type SamlKeepObjectKind = 'saml-app' | 'saml-provider' | 'saml-role' | 'saml-app-role' | 'saml-app-assignment';

type Ref = { kind: SamlKeepObjectKind; key: string };

/**
 * The order kinds run in: the app, its SAML setup, the provider from its metadata, the roles trusting the provider,
 * what goes on roles and on the app, group assignments; removals in the reverse order.
 */
export const SAML_KEEP_PHASE: Record<SamlKeepKind, number> = {
  'saml.keep.app.create': 0,
  'saml.keep.app.configure': 1,
  'saml.keep.provider.create': 2,
  'saml.keep.provider.update': 2,
  'saml.keep.role.create': 3,
  'saml.keep.role.attach': 4,
  'saml.keep.app-role.add': 4,
  'saml.keep.assign': 5,
  'saml.keep.unassign': 5,
  'saml.keep.role.detach': 6,
  'saml.keep.app-role.remove': 6,
  'saml.keep.role.delete': 7,
  'saml.keep.provider.delete': 8,
  'saml.keep.app.delete': 8,
};

const KINDS: ReadonlySet<string> = new Set(Object.keys(SAML_KEEP_PHASE));

/** True for the changes of this family (membership of its set of kinds). */
export function isSamlKeepChange(c: { kind: string }): c is SamlKeepChange {
  return KINDS.has(c.kind);
}

const lower = (s: string) => s.toLowerCase();

/** The app of an account (apps compare by display name, without case). */
export const samlAppRef = (app: string): Ref => ({ kind: 'saml-app', key: lower(app) });
/** A SAML provider in an account. */
export const samlProviderRef = (accountId: string, name: string): Ref => ({
  kind: 'saml-provider',
  key: `${accountId}/${lower(name)}`,
});
/** A role with the SAML trust in an account. */
export const samlRoleRef = (accountId: string, roleName: string): Ref => ({
  kind: 'saml-role',
  key: `${accountId}/${lower(roleName)}`,
});
const appRoleRef = (app: string, accountId: string, roleName: string): Ref => ({
  kind: 'saml-app-role',
  key: `${lower(app)}|${accountId}/${lower(roleName)}`,
});
const assignmentRef = (app: string, accountId: string, roleName: string, group: string): Ref => ({
  kind: 'saml-app-assignment',
  key: `${lower(app)}|${accountId}/${lower(roleName)}|${lower(group)}`,
});

/** The object a change acts on. */
export function samlKeepObject(c: SamlKeepChange): Ref {
  switch (c.kind) {
    case 'saml.keep.app.create':
    case 'saml.keep.app.delete':
    case 'saml.keep.app.configure':
      return samlAppRef(c.app);
    case 'saml.keep.provider.create':
    case 'saml.keep.provider.update':
    case 'saml.keep.provider.delete':
      return samlProviderRef(c.accountId, c.name);
    case 'saml.keep.role.create':
    case 'saml.keep.role.delete':
    case 'saml.keep.role.attach':
    case 'saml.keep.role.detach':
      return samlRoleRef(c.accountId, c.roleName);
    case 'saml.keep.app-role.add':
    case 'saml.keep.app-role.remove':
      return appRoleRef(c.app, c.accountId, c.roleName);
    case 'saml.keep.assign':
    case 'saml.keep.unassign':
      return assignmentRef(c.app, c.accountId, c.roleName, c.group);
  }
}

/** A stable id: the same in every run that makes the same change. */
export function samlKeepChangeId(c: SamlKeepChange): string {
  const o = samlKeepObject(c);
  return 'policyArn' in c ? `${c.kind}:${o.key}:${c.policyArn}` : `${c.kind}:${o.key}`;
}

const CREATES: ReadonlySet<SamlKeepKind> = new Set<SamlKeepKind>([
  'saml.keep.app.create',
  'saml.keep.provider.create',
  'saml.keep.role.create',
  'saml.keep.app-role.add',
  'saml.keep.assign',
]);
const DELETES: ReadonlySet<SamlKeepKind> = new Set<SamlKeepKind>([
  'saml.keep.app.delete',
  'saml.keep.provider.delete',
  'saml.keep.role.delete',
  'saml.keep.app-role.remove',
  'saml.keep.unassign',
]);

/** The object a create makes (owned once its intent is journaled), or null. */
export function samlKeepCreated(c: SamlKeepChange): Ref | null {
  return CREATES.has(c.kind) ? samlKeepObject(c) : null;
}

/** The object a delete removes (its ownership goes when it succeeds), or null. */
export function samlKeepDeleted(c: SamlKeepChange): Ref | null {
  return DELETES.has(c.kind) ? samlKeepObject(c) : null;
}

/**
 * The object that must be the tool's: the object itself for every change but a create; for a create on an app (its
 * app roles and assignments), the app, so that nothing is added to an app the tool neither made nor adopted.
 */
export function samlKeepOwnerCheck(c: SamlKeepChange): Ref | null {
  if (c.kind === 'saml.keep.app-role.add' || c.kind === 'saml.keep.assign') return samlAppRef(c.app);
  if (c.kind === 'saml.keep.role.create' || c.kind === 'saml.keep.provider.create') return null;
  return CREATES.has(c.kind) ? null : samlKeepObject(c);
}

/** The change that reverts `c`, or null (a deleted app, provider or role cannot be brought back as it was). */
export function samlKeepUndo(c: SamlKeepChange): SamlKeepChange | null {
  switch (c.kind) {
    case 'saml.keep.app.create':
      return { kind: 'saml.keep.app.delete', accountId: c.accountId, app: c.app };
    case 'saml.keep.provider.create':
      return { kind: 'saml.keep.provider.delete', accountId: c.accountId, name: c.name };
    case 'saml.keep.provider.update':
      return c.previous === null ? null : { ...c, metadata: c.previous, previous: c.metadata };
    case 'saml.keep.role.create':
      return { kind: 'saml.keep.role.delete', accountId: c.accountId, roleName: c.roleName };
    case 'saml.keep.role.attach':
      return { ...c, kind: 'saml.keep.role.detach' };
    case 'saml.keep.role.detach':
      return { ...c, kind: 'saml.keep.role.attach' };
    case 'saml.keep.app-role.add':
      return { ...c, kind: 'saml.keep.app-role.remove' };
    case 'saml.keep.app-role.remove':
      return { ...c, kind: 'saml.keep.app-role.add' };
    case 'saml.keep.assign':
      return { ...c, kind: 'saml.keep.unassign' };
    case 'saml.keep.unassign':
      return { ...c, kind: 'saml.keep.assign' };
    // Configuring is undone by removing the app it configured.
    default:
      return null;
  }
}

/** True when `c` must wait for `p` (both of this family): what goes on an object follows its creation. */
export function samlKeepNeeds(c: SamlKeepChange, p: SamlKeepChange): boolean {
  if (c === p || c.accountId !== p.accountId) return false;
  const sameRole = 'roleName' in c && 'roleName' in p && lower(c.roleName) === lower(p.roleName);
  switch (p.kind) {
    case 'saml.keep.app.create':
      return 'app' in c && lower(c.app) === lower(p.app) && c.kind !== p.kind;
    case 'saml.keep.app.configure':
      return c.kind === 'saml.keep.provider.create' && lower(c.app) === lower(p.app);
    case 'saml.keep.provider.create':
      return (c.kind === 'saml.keep.role.create' || c.kind === 'saml.keep.app-role.add') && c.provider === p.name;
    case 'saml.keep.role.create':
      return (c.kind === 'saml.keep.role.attach' || c.kind === 'saml.keep.app-role.add') && sameRole;
    case 'saml.keep.app-role.add':
      return c.kind === 'saml.keep.assign' && sameRole && lower(c.app) === lower(p.app);
    case 'saml.keep.unassign':
      return c.kind === 'saml.keep.app-role.remove' && sameRole && lower(c.app) === lower(p.app);
    case 'saml.keep.role.detach':
    case 'saml.keep.app-role.remove':
      return c.kind === 'saml.keep.role.delete' && sameRole;
    case 'saml.keep.role.delete':
      return c.kind === 'saml.keep.provider.delete';
    default:
      return false;
  }
}

/** One line for people. */
export function describeSamlKeepChange(c: SamlKeepChange): string {
  const sign = CREATES.has(c.kind) || c.kind === 'saml.keep.role.attach' ? '+' : DELETES.has(c.kind) ? '-' : '~';
  const where = `in ${c.accountId}`;
  switch (c.kind) {
    case 'saml.keep.app.create':
      return `${sign} Entra app '${c.app}' (AWS Single-Account Access, template ${c.templateId}) for ${c.accountId}`;
    case 'saml.keep.app.delete':
      return `${sign} Entra app '${c.app}' for ${c.accountId}`;
    case 'saml.keep.app.configure':
      return `${sign} Entra app '${c.app}' SAML single sign-on to https://signin.aws.amazon.com/saml`;
    case 'saml.keep.provider.create':
    case 'saml.keep.provider.delete':
      return `${sign} IAM SAML provider ${c.name} ${where}${c.kind === 'saml.keep.provider.create' ? ` (metadata of '${c.app}')` : ''}`;
    case 'saml.keep.provider.update':
      return `${sign} IAM SAML provider ${c.name} ${where} metadata (Entra's signing certificate changed)`;
    case 'saml.keep.role.create':
    case 'saml.keep.role.delete':
      return `${sign} IAM role ${c.roleName} ${where}${c.kind === 'saml.keep.role.create' ? ` trusting SAML provider ${c.provider}` : ''}`;
    case 'saml.keep.role.attach':
    case 'saml.keep.role.detach':
      return `${sign} IAM role ${c.roleName} ${where} policy ${c.policyArn}`;
    case 'saml.keep.app-role.add':
    case 'saml.keep.app-role.remove':
      return `${sign} Entra app '${c.app}' app role ${c.roleName} (role and provider ${c.provider} ${where})`;
    case 'saml.keep.assign':
    case 'saml.keep.unassign':
      return `${sign} Entra app '${c.app}' app role ${c.roleName} -> group ${c.group}`;
  }
}
