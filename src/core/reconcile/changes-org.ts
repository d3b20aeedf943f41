/**
 * The typed changes of AWS Organizations service control policies: create, update, delete, attach and detach, with
 * the objects they own and their `undoOf` (an attach is undone by a detach, a create by a delete). Pure.
 */

/** A change to an SCP, named by the policy's name (its id is resolved when it runs) and the target's id. */
export type OrgChange =
  | { kind: 'scp.create'; name: string; description: string; content: string }
  | { kind: 'scp.update'; name: string; content: string; previous: string }
  | { kind: 'scp.delete'; name: string; description: string; content: string }
  | { kind: 'scp.attach' | 'scp.detach'; name: string; targetId: string };

/** The kind tags of OrgChange. */
export type OrgChangeKind = OrgChange['kind'];

/** The object kind an SCP is owned as. */
export const SCP_OBJECT = 'scp' as const;

/** Whether a change is one of these. */
export function isOrgChange(c: { kind: string }): c is OrgChange {
  return c.kind.startsWith('scp.');
}

/** A stable id of the change. */
export function orgChangeId(c: OrgChange): string {
  return c.kind === 'scp.attach' || c.kind === 'scp.detach'
    ? `${c.kind}:${c.name}:${c.targetId}`
    : `${c.kind}:${c.name}`;
}

/** The policy a create makes, or null. */
export function orgCreatedObject(c: OrgChange): { kind: typeof SCP_OBJECT; key: string } | null {
  return c.kind === 'scp.create' ? { kind: SCP_OBJECT, key: c.name } : null;
}

/** The policy a delete removes, or null. */
export function orgDeletedObject(c: OrgChange): { kind: typeof SCP_OBJECT; key: string } | null {
  return c.kind === 'scp.delete' ? { kind: SCP_OBJECT, key: c.name } : null;
}

/** The policy that must be the tool's for the change to run (every change but a create). */
export function orgOwnerCheck(c: OrgChange): { kind: typeof SCP_OBJECT; key: string } | null {
  return c.kind === 'scp.create' ? null : { kind: SCP_OBJECT, key: c.name };
}

/** The change that reverts `c`. */
export function undoOfOrg(c: OrgChange): OrgChange {
  switch (c.kind) {
    case 'scp.create':
      return { kind: 'scp.delete', name: c.name, description: c.description, content: c.content };
    case 'scp.delete':
      return { kind: 'scp.create', name: c.name, description: c.description, content: c.content };
    case 'scp.update':
      return { kind: 'scp.update', name: c.name, content: c.previous, previous: c.content };
    case 'scp.attach':
      return { ...c, kind: 'scp.detach' };
    case 'scp.detach':
      return { ...c, kind: 'scp.attach' };
  }
}

/** The phase of each kind: create, then update and attach, then detach, then delete. */
export const ORG_PHASE: Record<OrgChangeKind, number> = {
  'scp.create': 0,
  'scp.update': 1,
  'scp.attach': 1,
  'scp.detach': 2,
  'scp.delete': 6,
};

/** Whether `c` must wait for `p` to succeed: everything on a policy follows its creation; a delete its detaches. */
export function orgNeeds(c: { kind: string }, p: { kind: string }): boolean {
  if (!isOrgChange(c) || !isOrgChange(p) || c.name !== p.name) return false;
  return (p.kind === 'scp.create' && c.kind !== 'scp.create') || (c.kind === 'scp.delete' && p.kind === 'scp.detach');
}

/** One line for people. */
export function describeOrgChange(c: OrgChange): string {
  switch (c.kind) {
    case 'scp.create':
      return `+ service control policy ${c.name} (${c.content.length} characters)`;
    case 'scp.update':
      return `~ service control policy ${c.name} (${c.previous.length} -> ${c.content.length} characters)`;
    case 'scp.delete':
      return `- service control policy ${c.name}`;
    case 'scp.attach':
      return `+ service control policy ${c.name} attached to ${c.targetId}`;
    case 'scp.detach':
      return `- service control policy ${c.name} detached from ${c.targetId}`;
  }
}
