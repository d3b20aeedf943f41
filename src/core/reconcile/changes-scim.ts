/**
 * The one change of the `scim` identity source: waiting until Entra's provisioning (SCIM) has brought a group iam2sso
 * made in Entra into the Identity Store. It writes nothing and owns nothing, so it has no undo; it runs after the
 * group, its members and its app assignment are made, and the group's account assignments wait for it, so a group
 * that never arrives leaves none of them made. Pure.
 */

/** Waits for the planned group `group` to reach the Identity Store through Entra's provisioning. */
export type ScimChange = { kind: 'scim.group.await'; group: string };

/** The kind tags of ScimChange. */
export type ScimChangeKind = ScimChange['kind'];

const SCIM_KINDS: ReadonlySet<string> = new Set<ScimChangeKind>(['scim.group.await']);

/** Whether a change is one of these. */
export function isScimChange(c: { kind: string }): c is ScimChange {
  return SCIM_KINDS.has(c.kind);
}

const lower = (s: string) => s.toLowerCase();

/** A stable id of the change. */
export function scimChangeId(c: ScimChange): string {
  return `${c.kind}:${lower(c.group)}`;
}

/** One line for people. */
export function describeScimChange(c: ScimChange): string {
  return `~ wait for group ${c.group} to reach the Identity Store (Entra provisioning)`;
}

/**
 * After the Entra writes of a group (phases 0 to 2) and before its account assignments (phase 3), in a phase of its own
 * so that every wait can run at once without holding the workers other changes need.
 */
export const SCIM_PHASE: Record<ScimChangeKind, number> = { 'scim.group.await': 2.5 };

/**
 * True when `c` must wait for `p`: the wait follows the group's creation, members and app assignment in Entra; an
 * account assignment of the group follows the wait.
 */
export function scimNeeds(c: Named, p: Named): boolean {
  if (isScimChange(c))
    return (
      (p.kind === 'entra.group.create' && lower(String(p.name)) === lower(c.group)) ||
      ((p.kind === 'entra.member.add' || p.kind === 'entra.app.assign') && lower(String(p.group)) === lower(c.group))
    );
  return c.kind === 'assignment.create' && isScimChange(p) && lower(String(c.group)) === lower(p.group);
}

/** A change as far as the dependencies look at it. */
type Named = { kind: string; name?: unknown; group?: unknown };
