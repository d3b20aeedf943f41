/**
 * The typed changes that retire direct SAML federation (`decommission saml`): the Entra enterprise app's service
 * principal disabled (nobody can start a sign-in; the roles' trust stays), then the IAM roles that trust the
 * provider, the SAML provider, and the Entra application deleted. Each delete carries the snapshot read just before
 * it, so its undo recreates the object (a role with its trust, policies, tags, session length and boundary; a
 * provider from its metadata document; an application restored from Entra's deleted items). Pure.
 */
import { isIamChange, isIamRemoval } from './changes-iam.js';

/** An IAM role as it was before `saml.retire.role.delete` (no secrets). */
export type SamlRoleSnapshot = {
  path: string;
  trustPolicy: string;
  description: string;
  maxSessionDuration: number;
  permissionsBoundary: string | null;
  tags: { key: string; value: string }[];
  attachedPolicies: string[];
  inlinePolicies: { name: string; document: string }[];
};

/** A SAML provider as it was before `saml.retire.provider.delete`: its metadata document (public) and tags. */
export type SamlProviderSnapshot = { metadata: string; tags: { key: string; value: string }[] };

/** The Entra app of an account: its service principal and application objects. */
export type SamlAppRef = {
  accountId: string;
  servicePrincipalId: string;
  appId: string;
  /** The application object id (what Graph deletes and restores); empty before it is read. */
  applicationId: string;
  displayName: string;
};

/** One change of the retirement. */
export type SamlRetireChange =
  | (SamlAppRef & { kind: 'saml.retire.sp.disable' | 'saml.retire.sp.enable' })
  | (SamlAppRef & { kind: 'saml.retire.app.delete' | 'saml.retire.app.restore' })
  | {
      kind: 'saml.retire.role.delete' | 'saml.retire.role.create';
      accountId: string;
      roleName: string;
      snapshot: SamlRoleSnapshot;
    }
  | {
      kind: 'saml.retire.provider.delete' | 'saml.retire.provider.create';
      accountId: string;
      /** The provider's name and ARN (as the audit read it, in the account's partition). */
      name: string;
      arn: string;
      snapshot: SamlProviderSnapshot;
    };

/** The kind tags of SamlRetireChange. */
export type SamlRetireKind = SamlRetireChange['kind'];

/**
 * The phase of each kind. Removals: roles before their provider (a provider trusted by a role would leave the role
 * unusable but still there), both before the provisioning user's removals (phases 10-20 of changes-iam.ts), the
 * application last. Rollback: the provider first (the recreated roles' trust names it), then the roles, then the
 * application restored and its service principal enabled again.
 */
export const SAML_RETIRE_PHASE: Record<SamlRetireKind, number> = {
  'saml.retire.provider.create': 0.1,
  'saml.retire.role.create': 0.2,
  'saml.retire.app.restore': 0.3,
  'saml.retire.sp.enable': 0.4,
  'saml.retire.sp.disable': 8.1,
  'saml.retire.role.delete': 8.2,
  'saml.retire.provider.delete': 8.3,
  'saml.retire.app.delete': 21,
};

const KINDS = new Set<string>(Object.keys(SAML_RETIRE_PHASE));

/** True for the changes of this family (membership of the set of kinds above). */
export function isSamlRetireChange(c: { kind: string }): c is SamlRetireChange {
  return KINDS.has(c.kind);
}

/** A stable id of the change. */
export function samlRetireChangeId(c: SamlRetireChange): string {
  if ('roleName' in c) return `${c.kind}:${c.accountId}/${c.roleName}`;
  if ('name' in c) return `${c.kind}:${c.accountId}/${c.name}`;
  return `${c.kind}:${c.accountId}/${c.servicePrincipalId}`;
}

/** The change that reverts `c`. */
export function samlRetireUndoOf(c: SamlRetireChange): SamlRetireChange {
  const flip: Record<SamlRetireKind, SamlRetireKind> = {
    'saml.retire.sp.disable': 'saml.retire.sp.enable',
    'saml.retire.sp.enable': 'saml.retire.sp.disable',
    'saml.retire.app.delete': 'saml.retire.app.restore',
    'saml.retire.app.restore': 'saml.retire.app.delete',
    'saml.retire.role.delete': 'saml.retire.role.create',
    'saml.retire.role.create': 'saml.retire.role.delete',
    'saml.retire.provider.delete': 'saml.retire.provider.create',
    'saml.retire.provider.create': 'saml.retire.provider.delete',
  };
  return { ...c, kind: flip[c.kind] } as SamlRetireChange;
}

/** True for the removals (what the mass-change guard counts). */
export function isSamlRetireRemoval(c: SamlRetireChange): boolean {
  return c.kind.endsWith('.delete') || c.kind.endsWith('.disable');
}

/** One line for people. */
export function describeSamlRetireChange(c: SamlRetireChange): string {
  switch (c.kind) {
    case 'saml.retire.sp.disable':
      return `~ Entra enterprise app ${c.displayName} (${c.appId}) for ${c.accountId}: sign-in disabled (accountEnabled false)`;
    case 'saml.retire.sp.enable':
      return `~ Entra enterprise app ${c.displayName} (${c.appId}) for ${c.accountId}: sign-in enabled again`;
    case 'saml.retire.app.delete':
      return `- Entra application ${c.displayName} (${c.appId}) for ${c.accountId} (restorable for 30 days)`;
    case 'saml.retire.app.restore':
      return `+ Entra application ${c.displayName} (${c.appId}) for ${c.accountId}, restored from deleted items`;
    case 'saml.retire.role.delete':
      return `- IAM role ${c.accountId}/${c.roleName} (direct SAML; ${c.snapshot.attachedPolicies.length} managed, ${c.snapshot.inlinePolicies.length} inline policies)`;
    case 'saml.retire.role.create':
      return `+ IAM role ${c.accountId}/${c.roleName} recreated with its trust, policies and tags`;
    case 'saml.retire.provider.delete':
      return `- IAM SAML provider ${c.accountId}/${c.name}`;
    case 'saml.retire.provider.create':
      return `+ IAM SAML provider ${c.accountId}/${c.name} recreated from its metadata`;
  }
}

/**
 * Whether `c` waits for `p`: a provider goes after the roles of its account, the provisioning user's removals
 * (`iam.*` kinds) after the account's provider, the application after the account's roles; on rollback the roles
 * wait for the provider, the service principal for its application.
 */
export function samlRetireNeeds(c: { kind: string; accountId?: string }, p: { kind: string; accountId?: string }) {
  if (c.accountId === undefined || c.accountId !== p.accountId) return false;
  // The provisioning user's removals wait for the provider it fed (DeleteUser's dependents included).
  if (isIamChange(c) && isIamRemoval(c)) return p.kind === 'saml.retire.provider.delete';
  const pairs: [string, string][] = [
    ['saml.retire.provider.delete', 'saml.retire.role.delete'],
    ['saml.retire.app.delete', 'saml.retire.role.delete'],
    ['saml.retire.app.delete', 'saml.retire.sp.disable'],
    ['saml.retire.role.create', 'saml.retire.provider.create'],
    ['saml.retire.sp.enable', 'saml.retire.app.restore'],
  ];
  return pairs.some(([a, b]) => c.kind === a && p.kind === b);
}
