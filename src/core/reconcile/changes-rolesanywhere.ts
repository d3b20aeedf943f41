/**
 * The typed changes of IAM Roles Anywhere that `replace` makes for a service account: a trust anchor (the
 * operator's CA bundle) and a profile naming the replacement role, each in one account and region. Objects are
 * named by account, region and name; their ids (UUIDs the service picks) are recorded with the ownership record
 * when the create's result is journaled, and a delete acts only on that recorded id. `undoRolesAnywhereChange`
 * reverts a create; a deleted anchor or profile is not made again by an undo (its id and ARN would be new, and
 * what named them would not follow). Pure.
 */

/** One change to IAM Roles Anywhere. */
export type RolesAnywhereChange =
  | {
      kind: 'rolesanywhere.trust-anchor.create';
      accountId: string;
      region: string;
      name: string;
      /** The CA bundle (PEM certificates: public material, never a key). */
      certificateBundle: string;
      tags: Record<string, string>;
    }
  | { kind: 'rolesanywhere.trust-anchor.delete'; accountId: string; region: string; name: string }
  | {
      kind: 'rolesanywhere.profile.create';
      accountId: string;
      region: string;
      name: string;
      roleArns: string[];
      durationSeconds: number;
      tags: Record<string, string>;
    }
  | { kind: 'rolesanywhere.profile.delete'; accountId: string; region: string; name: string };

/** The kinds of object these changes make (owned when the tool created them). */
export type RolesAnywhereObjectKind = 'rolesanywhere-trust-anchor' | 'rolesanywhere-profile';

const KINDS: ReadonlySet<string> = new Set<RolesAnywhereChange['kind']>([
  'rolesanywhere.trust-anchor.create',
  'rolesanywhere.trust-anchor.delete',
  'rolesanywhere.profile.create',
  'rolesanywhere.profile.delete',
]);

/** True for the changes defined here. */
export function isRolesAnywhereChange(c: { kind: string }): c is RolesAnywhereChange {
  return KINDS.has(c.kind);
}

/** The order phases: the anchor before the role that trusts it, the profile after the role it names. */
export const ROLES_ANYWHERE_PHASE: Record<RolesAnywhereChange['kind'], number> = {
  'rolesanywhere.trust-anchor.create': 0,
  'rolesanywhere.profile.create': 2,
  'rolesanywhere.profile.delete': 5,
  'rolesanywhere.trust-anchor.delete': 7,
};

/** The object a change acts on: `ACCOUNT/REGION/NAME` (Roles Anywhere names compare with case). */
export function rolesAnywhereObjectOf(c: RolesAnywhereChange): { kind: RolesAnywhereObjectKind; key: string } {
  const kind = c.kind.startsWith('rolesanywhere.trust-anchor.')
    ? 'rolesanywhere-trust-anchor'
    : 'rolesanywhere-profile';
  return { kind, key: `${c.accountId}/${c.region}/${c.name}` };
}

/** A stable id of the change. */
export function rolesAnywhereChangeId(c: RolesAnywhereChange): string {
  return `${c.kind}:${rolesAnywhereObjectOf(c).key}`;
}

/** The object a create makes, or null. */
export function rolesAnywhereCreated(c: RolesAnywhereChange): { kind: RolesAnywhereObjectKind; key: string } | null {
  return c.kind.endsWith('.create') ? rolesAnywhereObjectOf(c) : null;
}

/** The object a delete removes, or null. */
export function rolesAnywhereDeleted(c: RolesAnywhereChange): { kind: RolesAnywhereObjectKind; key: string } | null {
  return c.kind.endsWith('.delete') ? rolesAnywhereObjectOf(c) : null;
}

/** The object that must be the tool's for the change to run: every delete's. */
export function rolesAnywhereOwnerCheck(c: RolesAnywhereChange): { kind: RolesAnywhereObjectKind; key: string } | null {
  return rolesAnywhereDeleted(c);
}

/** The change that reverts `c`: a create's delete; a delete has none. */
export function undoRolesAnywhereChange(c: RolesAnywhereChange): RolesAnywhereChange | null {
  const { accountId, region, name } = c;
  switch (c.kind) {
    case 'rolesanywhere.trust-anchor.create':
      return { kind: 'rolesanywhere.trust-anchor.delete', accountId, region, name };
    case 'rolesanywhere.profile.create':
      return { kind: 'rolesanywhere.profile.delete', accountId, region, name };
    default:
      return null;
  }
}

/** True when `c` must wait for `p`: a profile waits for the creation of a role it names. */
export function rolesAnywhereNeeds(c: { kind: string }, p: { kind: string }): boolean {
  if (c.kind !== 'rolesanywhere.profile.create' || p.kind !== 'iam.role.create') return false;
  const profile = c as Extract<RolesAnywhereChange, { kind: 'rolesanywhere.profile.create' }>;
  const role = p as { kind: string; accountId: string; roleName: string };
  return profile.roleArns.some((arn) => arn.endsWith(`:${role.accountId}:role/${role.roleName}`));
}

/** One line for people. */
export function describeRolesAnywhereChange(c: RolesAnywhereChange): string {
  const sign = c.kind.endsWith('.create') ? '+' : '-';
  const what = c.kind.startsWith('rolesanywhere.trust-anchor.') ? 'trust anchor' : 'profile';
  const roles = c.kind === 'rolesanywhere.profile.create' ? ` for ${c.roleArns.join(', ')}` : '';
  return `${sign} IAM Roles Anywhere ${what} ${c.name} in ${c.accountId} ${c.region}${roles}`;
}
