/**
 * The order changes run in, and what each waits for: creates before what uses them, and every removal after the
 * creates that replace it, so that a failed create cancels the deletes that depend on it (renaming a group never
 * deletes the old one when the new one could not be made). Pure.
 */
import { assignmentRefKey, type Change, type ChangeKind, changeId } from './changes.js';
import { isOwnedIamChange, OWNED_IAM_PHASE, ownedIamDependsOn } from './changes-breakglass.js';
import { ENTRA_SETUP_PHASE, entraSetupNeeds, isEntraSetupChange } from './changes-entra.js';
import { HARDEN_PHASE, hardenDependencies } from './changes-harden.js';
import { IAM_PHASES, iamDependencies, iamPhaseOf, isIamChange } from './changes-iam.js';
import { ORG_PHASE, orgNeeds } from './changes-org.js';
import { ROLES_ANYWHERE_PHASE, rolesAnywhereNeeds } from './changes-rolesanywhere.js';
import { isSamlKeepChange, SAML_KEEP_PHASE, samlKeepNeeds } from './changes-saml-keep.js';
import { isSamlRetireChange, SAML_RETIRE_PHASE, samlRetireNeeds } from './changes-saml-retire.js';
import { SCIM_PHASE, scimNeeds } from './changes-scim.js';

const PHASE: Record<ChangeKind, number> = {
  // Adopting comes first (what follows updates the adopted object); releasing last (after the undos it allows).
  'object.adopt': 0,
  'object.release': 8,
  'ps.create': 0,
  'entra.group.create': 0,
  'ps.update': 1,
  'ps.attach-managed': 1,
  'ps.attach-customer-managed': 1,
  'ps.put-inline': 1,
  'ps.put-boundary': 1,
  'store.group.create': 1,
  'store.user.create': 1,
  'store.user.update': 1,
  'store.group.update': 1,
  'entra.member.add': 1,
  'entra.app.assign': 1,
  'ps.detach-managed': 2,
  'ps.detach-customer-managed': 2,
  'ps.delete-inline': 2,
  'ps.delete-boundary': 2,
  'store.member.add': 2,
  'entra.member.remove': 2,
  'assignment.create': 3,
  'ps.provision': 4,
  'store.member.remove': 5,
  'assignment.delete': 5,
  'entra.app.unassign': 5,
  'ps.delete': 6,
  'store.group.delete': 6,
  'entra.group.delete': 6,
  'store.user.delete': 7,
  ...IAM_PHASES,
  ...OWNED_IAM_PHASE,
  ...HARDEN_PHASE,
  ...ENTRA_SETUP_PHASE,
  ...ORG_PHASE,
  ...SCIM_PHASE,
  ...ROLES_ANYWHERE_PHASE,
  ...SAML_KEEP_PHASE,
  ...SAML_RETIRE_PHASE,
};

/** The phase of a change: every change of a phase runs after every change of the phases before. */
export function phaseOf(c: Change): number {
  return isIamChange(c) ? iamPhaseOf(c) : PHASE[c.kind];
}

const lower = (s: string) => s.toLowerCase();

function groupOf(c: Change): string | null {
  if ('group' in c) return lower(c.group);
  if (c.kind.includes('group.')) return lower((c as { name: string }).name);
  return null;
}

/**
 * For each change id, the ids of the changes that must have succeeded before it runs. A change whose prerequisite
 * failed (or was itself cancelled) is cancelled, not attempted.
 */
export function dependenciesOf(changes: Change[]): Map<string, string[]> {
  const ids = changes.map(changeId);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const byKind = (kind: ChangeKind) => changes.filter((c) => c.kind === kind);
  const need = (c: Change, prereq: Change) => {
    const a = changeId(c);
    const b = changeId(prereq);
    if (a !== b && phaseOf(prereq) < phaseOf(c)) out.get(a)!.push(b);
  };
  const groupCreates = [...byKind('entra.group.create'), ...byKind('store.group.create')];
  type AssignmentChange = Extract<Change, { kind: 'assignment.create' | 'assignment.delete' }>;
  const assignmentCreates = byKind('assignment.create') as AssignmentChange[];
  const deletedAssignments = byKind('assignment.delete') as AssignmentChange[];
  for (const c of changes) {
    for (const p of changes) {
      if (isOwnedIamChange(c) && isOwnedIamChange(p) && ownedIamDependsOn(c, p)) need(c, p);
      if (isEntraSetupChange(c) && isEntraSetupChange(p) && entraSetupNeeds(c, p)) need(c, p);
      if (isSamlKeepChange(c) && isSamlKeepChange(p) && samlKeepNeeds(c, p)) need(c, p);
      // Everything on a permission set or a group follows its creation.
      if (p.kind === 'ps.create' && 'name' in c && c.name === p.name && c.kind.startsWith('ps.')) need(c, p);
      if (p.kind === 'ps.create' && c.kind === 'assignment.create' && c.permissionSet === p.name) need(c, p);
      if ((p.kind === 'entra.group.create' || p.kind === 'store.group.create') && groupOf(c) === lower(p.name)) {
        const side = p.kind.split('.')[0];
        if (c.kind.startsWith(side) || c.kind === 'assignment.create') need(c, p);
        if (p.kind === 'entra.group.create' && c.kind === 'store.group.create') need(c, p);
      }
      if (p.kind === 'store.user.create' && c.kind === 'store.member.add' && lower(c.upn) === lower(p.upn)) need(c, p);
      if (orgNeeds(c, p)) need(c, p);
      if (scimNeeds(c, p)) need(c, p);
      if (rolesAnywhereNeeds(c, p)) need(c, p);
      if ((isSamlRetireChange(c) || isSamlRetireChange(p)) && samlRetireNeeds(c, p)) need(c, p);
      // Provisioning carries the policy changes of its permission set.
      if (c.kind === 'ps.provision' && p.kind.startsWith('ps.') && 'name' in p && p.name === c.name) need(c, p);
      // Detaching the old policy waits for attaching the new one.
      if (
        c.kind.match(/^ps\.(detach|delete-)/) &&
        p.kind.match(/^ps\.(attach|put)/) &&
        'name' in p &&
        p.name === (c as { name: string }).name
      )
        need(c, p);
      // A member leaves one group only after joining the groups that replace it (same side).
      if (
        (c.kind === 'entra.member.remove' && p.kind === 'entra.member.add') ||
        (c.kind === 'store.member.remove' && p.kind === 'store.member.add')
      )
        if (lower(c.upn) === lower(p.upn)) need(c, p);
    }
    if (c.kind === 'assignment.delete') {
      // An assignment is removed from an account only once the account's new assignments are in place.
      for (const a of assignmentCreates) if (a.accountId === c.accountId) need(c, a);
    }
    if (
      c.kind === 'ps.delete' ||
      c.kind === 'entra.group.delete' ||
      c.kind === 'store.group.delete' ||
      c.kind === 'entra.app.unassign'
    ) {
      // A set or group goes only after every group and assignment that replaces it was made, and its own
      // assignments are gone.
      for (const g of groupCreates) need(c, g);
      for (const a of assignmentCreates) need(c, a);
      const mine = (d: (typeof deletedAssignments)[number]) =>
        c.kind === 'ps.delete' ? d.permissionSet === c.name : lower(d.group) === groupOf(c);
      for (const d of deletedAssignments) if (mine(d)) need(c, d);
      // An Entra group leaves the app before it is deleted.
      if (c.kind === 'entra.group.delete')
        for (const u of byKind('entra.app.unassign')) if (groupOf(u) === groupOf(c)) need(c, u);
    }
  }
  for (const [id, prereq] of iamDependencies(changes)) out.get(id)?.push(prereq);
  hardenDependencies(changes, need);
  for (const [id, deps] of out) out.set(id, [...new Set(deps)].sort());
  return out;
}

/** Changes sorted by phase, then by id (a stable order for journals and output). */
export function orderChanges(changes: Change[]): Change[] {
  return [...changes].sort((a, b) => phaseOf(a) - phaseOf(b) || (changeId(a) < changeId(b) ? -1 : 1));
}

/** Re-exported for callers that key assignments. */
export { assignmentRefKey };
