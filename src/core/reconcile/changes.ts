/**
 * The typed changes every writer makes (apply, sync, entra setup, rollback): one tagged union, each change naming
 * its target by stable names (ids are resolved when it runs, so a create earlier in the run can feed a later
 * change), the object that must be owned before it may run, and a pure `undoOf` that gives the change reverting it.
 * Pure.
 */

import {
  type AdoptChange,
  adoptChangeId,
  describeAdopt,
  isAdoptChange,
  releasedObject,
  undoOfAdopt,
} from './adopt-changes.js';
import {
  describeOwnedIamChange,
  type IamObjectKind,
  isOwnedIamChange,
  type OwnedIamChange,
  ownedIamChangeId,
  ownedIamCreatedObject,
  ownedIamDeletedObject,
  ownedIamOwnerCheck,
  undoOwnedIamChange,
} from './changes-breakglass.js';
import {
  describeEntraSetupChange,
  type EntraSetupChange,
  entraSetupChangeId,
  entraSetupCreated,
  entraSetupDeleted,
  entraSetupOwnerCheck,
  entraSetupUndo,
  isEntraSetupChange,
} from './changes-entra.js';
import {
  describeHardenChange,
  type HardenChange,
  type HardenObjectKind,
  hardenChangeId,
  hardenCreated,
  hardenDeleted,
  hardenOwnerCheck,
  hardenUndoOf,
  isHardenChange,
} from './changes-harden.js';
import { describeIamChange, type IamChange, iamChangeId, iamUndoOf, isIamChange, isIamRemoval } from './changes-iam.js';
import {
  describeOrgChange,
  isOrgChange,
  type OrgChange,
  orgChangeId,
  orgCreatedObject,
  orgDeletedObject,
  orgOwnerCheck,
  undoOfOrg,
} from './changes-org.js';
import {
  describeRolesAnywhereChange,
  isRolesAnywhereChange,
  type RolesAnywhereChange,
  type RolesAnywhereObjectKind,
  rolesAnywhereChangeId,
  rolesAnywhereCreated,
  rolesAnywhereDeleted,
  rolesAnywhereOwnerCheck,
  undoRolesAnywhereChange,
} from './changes-rolesanywhere.js';
import {
  describeSamlKeepChange,
  isSamlKeepChange,
  type SamlKeepChange,
  type SamlKeepObjectKind,
  samlKeepChangeId,
  samlKeepCreated,
  samlKeepDeleted,
  samlKeepOwnerCheck,
  samlKeepUndo,
} from './changes-saml-keep.js';
import {
  describeSamlRetireChange,
  isSamlRetireChange,
  isSamlRetireRemoval,
  type SamlRetireChange,
  samlRetireChangeId,
  samlRetireUndoOf,
} from './changes-saml-retire.js';
import { describeScimChange, isScimChange, type ScimChange, scimChangeId } from './changes-scim.js';
import {
  describeSyncChange,
  isSyncChange,
  type StoreUserSnapshot,
  type SyncChange,
  syncChangeId,
  syncOwnerCheck,
  undoOfSync,
} from './changes-sync.js';
import type { BoundaryRef, DesiredPermissionSet } from './desired.js';

/** A customer managed policy reference. */
export type PolicyRef = { name: string; path: string };

/** The kinds of object the tool may own. */
export type ObjectKind =
  | 'permission-set'
  | 'assignment'
  | 'entra-group'
  | 'store-group'
  | 'store-user'
  | IamObjectKind
  | HardenObjectKind
  | 'entra-app'
  | 'entra-app-assignment'
  | 'entra-app-user-assignment'
  | 'scp'
  | RolesAnywhereObjectKind
  | SamlKeepObjectKind;

/** An object by kind and natural key (names lower-cased where the cloud compares them so). */
export type ObjectRef = { kind: ObjectKind; key: string };

/** Settings of a permission set that `ps.update` sets. */
export type PsSettings = { description: string; sessionDuration: string };

/**
 * A permission set as it was before a delete, recorded with the delete's intent: its policies, relay state and
 * account assignments, so that rolling the delete back recreates all of it.
 */
export type PsSnapshot = DesiredPermissionSet & {
  relayState?: string | null;
  assignments?: { accountId: string; group: string }[];
};

/** One change to a cloud. */
export type Change =
  | ({ kind: 'ps.create'; name: string; relayState?: string | null; snapshot?: PsSnapshot } & PsSettings)
  | { kind: 'ps.update'; name: string; to: PsSettings; from: PsSettings }
  | { kind: 'ps.delete'; name: string; snapshot: PsSnapshot }
  | { kind: 'ps.attach-managed' | 'ps.detach-managed'; name: string; policyArn: string }
  | { kind: 'ps.attach-customer-managed' | 'ps.detach-customer-managed'; name: string; policy: PolicyRef }
  | { kind: 'ps.put-inline'; name: string; document: string; previous: string | null }
  | { kind: 'ps.delete-inline'; name: string; previous: string }
  | { kind: 'ps.put-boundary'; name: string; boundary: BoundaryRef; previous: BoundaryRef | null }
  | { kind: 'ps.delete-boundary'; name: string; previous: BoundaryRef }
  | { kind: 'ps.provision'; name: string; accountId: string }
  | { kind: 'assignment.create' | 'assignment.delete'; accountId: string; permissionSet: string; group: string }
  | { kind: 'entra.group.create'; name: string }
  | { kind: 'entra.group.delete'; name: string; members: string[] }
  | { kind: 'entra.member.add' | 'entra.member.remove'; group: string; upn: string }
  | { kind: 'entra.app.assign' | 'entra.app.unassign'; group: string }
  | { kind: 'store.group.create'; name: string; description?: string | null }
  | { kind: 'store.group.delete'; name: string; members: string[] }
  | ({ kind: 'store.user.create'; upn: string } & StoreUserSnapshot)
  | ({ kind: 'store.user.delete'; upn: string } & StoreUserSnapshot)
  | { kind: 'store.member.add' | 'store.member.remove'; group: string; upn: string }
  | SyncChange
  | IamChange
  | OwnedIamChange
  | HardenChange
  | EntraSetupChange
  | AdoptChange
  | OrgChange
  | ScimChange
  | RolesAnywhereChange
  | SamlKeepChange
  | SamlRetireChange;

/** The kind tags of `Change`. */
export type ChangeKind = Change['kind'];

const lower = (s: string) => s.toLowerCase();

/** The key of an account assignment: account, permission set, group (lower-cased). */
export function assignmentRefKey(a: { accountId: string; permissionSet: string; group: string }): string {
  return `${a.accountId}|${a.permissionSet}|${lower(a.group)}`;
}

/** A stable id of the change: the same in every run that makes the same change. */
export function changeId(c: Change): string {
  if (isIamChange(c)) return iamChangeId(c);
  if (isOwnedIamChange(c)) return ownedIamChangeId(c);
  if (isSyncChange(c)) return syncChangeId(c);
  if (isHardenChange(c)) return hardenChangeId(c);
  if (isEntraSetupChange(c)) return entraSetupChangeId(c);
  if (isAdoptChange(c)) return adoptChangeId(c);
  if (isOrgChange(c)) return orgChangeId(c);
  if (isScimChange(c)) return scimChangeId(c);
  if (isRolesAnywhereChange(c)) return rolesAnywhereChangeId(c);
  if (isSamlKeepChange(c)) return samlKeepChangeId(c);
  if (isSamlRetireChange(c)) return samlRetireChangeId(c);
  switch (c.kind) {
    case 'ps.attach-managed':
    case 'ps.detach-managed':
      return `${c.kind}:${c.name}:${c.policyArn}`;
    case 'ps.attach-customer-managed':
    case 'ps.detach-customer-managed':
      return `${c.kind}:${c.name}:${c.policy.path}${c.policy.name}`;
    case 'ps.provision':
      return `${c.kind}:${c.name}:${c.accountId}`;
    case 'assignment.create':
    case 'assignment.delete':
      return `${c.kind}:${assignmentRefKey(c)}`;
    case 'entra.member.add':
    case 'entra.member.remove':
    case 'store.member.add':
    case 'store.member.remove':
      return `${c.kind}:${lower(c.group)}:${lower(c.upn)}`;
    case 'entra.app.assign':
    case 'entra.app.unassign':
      return `${c.kind}:${lower(c.group)}`;
    case 'store.user.create':
    case 'store.user.delete':
      return `${c.kind}:${lower(c.upn)}`;
    case 'entra.group.create':
    case 'entra.group.delete':
    case 'store.group.create':
    case 'store.group.delete':
      return `${c.kind}:${lower(c.name)}`;
    default:
      return `${c.kind}:${c.name}`;
  }
}

/** The object a create makes (recorded as owned when its intent is journaled), or null. */
export function createdObject(c: Change): ObjectRef | null {
  if (isOwnedIamChange(c)) return ownedIamCreatedObject(c);
  if (isHardenChange(c)) return hardenCreated(c);
  if (isEntraSetupChange(c)) return entraSetupCreated(c);
  if (isOrgChange(c)) return orgCreatedObject(c);
  if (isRolesAnywhereChange(c)) return rolesAnywhereCreated(c);
  if (isSamlKeepChange(c)) return samlKeepCreated(c);
  switch (c.kind) {
    case 'ps.create':
      return { kind: 'permission-set', key: c.name };
    case 'assignment.create':
      return { kind: 'assignment', key: assignmentRefKey(c) };
    case 'entra.group.create':
      return { kind: 'entra-group', key: lower(c.name) };
    case 'store.group.create':
      return { kind: 'store-group', key: lower(c.name) };
    case 'store.user.create':
      return { kind: 'store-user', key: lower(c.upn) };
    case 'entra.app.assign':
      return { kind: 'entra-app-assignment', key: lower(c.group) };
    default:
      return null;
  }
}

/** The object a delete removes (its ownership is released when the delete succeeds), or null. */
export function deletedObject(c: Change): ObjectRef | null {
  if (isOwnedIamChange(c)) return ownedIamDeletedObject(c);
  if (isHardenChange(c)) return hardenDeleted(c);
  if (isEntraSetupChange(c)) return entraSetupDeleted(c);
  if (isAdoptChange(c)) return releasedObject(c);
  if (isOrgChange(c)) return orgDeletedObject(c);
  if (isRolesAnywhereChange(c)) return rolesAnywhereDeleted(c);
  if (isSamlKeepChange(c)) return samlKeepDeleted(c);
  switch (c.kind) {
    case 'ps.delete':
      return { kind: 'permission-set', key: c.name };
    case 'assignment.delete':
      return { kind: 'assignment', key: assignmentRefKey(c) };
    case 'entra.group.delete':
      return { kind: 'entra-group', key: lower(c.name) };
    case 'store.group.delete':
      return { kind: 'store-group', key: lower(c.name) };
    case 'store.user.delete':
      return { kind: 'store-user', key: lower(c.upn) };
    case 'entra.app.unassign':
      return { kind: 'entra-app-assignment', key: lower(c.group) };
    default:
      return null;
  }
}

/**
 * The owner check: the object that must be the tool's (created by it, or adopted) for the change to run; null for
 * creates and for additions to a planned group or set the change itself does not own (those are checked by the diff).
 */
export function ownerCheck(c: Change): ObjectRef | null {
  // Decommission acts on IAM users the reviewed plan retires (checked before its changes are made), not owned ones.
  if (isIamChange(c)) return null;
  if (isOwnedIamChange(c)) return ownedIamOwnerCheck(c);
  if (isSyncChange(c)) return syncOwnerCheck(c);
  if (isHardenChange(c)) return hardenOwnerCheck(c);
  if (isEntraSetupChange(c)) return entraSetupOwnerCheck(c);
  if (isOrgChange(c)) return orgOwnerCheck(c);
  if (isScimChange(c)) return null;
  if (isRolesAnywhereChange(c)) return rolesAnywhereOwnerCheck(c);
  if (isSamlKeepChange(c)) return samlKeepOwnerCheck(c);
  // Retiring direct SAML acts on what the reviewed plan lists as direct SAML (checked before its changes are made).
  if (isSamlRetireChange(c)) return null;
  const deleted = deletedObject(c);
  if (deleted) return deleted;
  if (isAdoptChange(c)) return null;
  switch (c.kind) {
    case 'ps.create':
    case 'assignment.create':
    case 'entra.group.create':
    case 'store.group.create':
    case 'store.user.create':
      return null;
    case 'entra.member.add':
    case 'entra.member.remove':
    case 'entra.app.assign':
    case 'entra.app.unassign':
      return { kind: 'entra-group', key: lower(c.group) };
    case 'store.member.add':
    case 'store.member.remove':
      return { kind: 'store-group', key: lower(c.group) };
    case 'assignment.delete':
    case 'store.user.delete':
    case 'entra.group.delete':
    case 'store.group.delete':
      return deleted;
    default:
      return { kind: 'permission-set', key: c.name };
  }
}

/** The change that reverts `c`, or null when none can (provisioning is re-done by the change it follows). */
export function undoOf(c: Change): Change | null {
  if (isIamChange(c)) return iamUndoOf(c);
  if (isOwnedIamChange(c)) return undoOwnedIamChange(c);
  if (isSyncChange(c)) return undoOfSync(c);
  if (isHardenChange(c)) return hardenUndoOf(c);
  if (isEntraSetupChange(c)) return entraSetupUndo(c);
  if (isAdoptChange(c)) return undoOfAdopt(c);
  if (isOrgChange(c)) return undoOfOrg(c);
  if (isScimChange(c)) return null;
  if (isRolesAnywhereChange(c)) return undoRolesAnywhereChange(c);
  if (isSamlKeepChange(c)) return samlKeepUndo(c);
  if (isSamlRetireChange(c)) return samlRetireUndoOf(c);
  switch (c.kind) {
    case 'ps.create':
      return {
        kind: 'ps.delete',
        name: c.name,
        snapshot: {
          name: c.name,
          description: c.description,
          sessionDuration: c.sessionDuration,
          managedPolicies: [],
          customerManagedPolicies: [],
          inlinePolicy: null,
          permissionsBoundary: null,
        },
      };
    case 'ps.update':
      return { kind: 'ps.update', name: c.name, to: c.from, from: c.to };
    case 'ps.delete':
      // The whole set comes back: `restoreChanges` (restore.ts) expands the snapshot into its policies and assignments.
      return {
        kind: 'ps.create',
        name: c.name,
        description: c.snapshot.description,
        sessionDuration: c.snapshot.sessionDuration,
        relayState: c.snapshot.relayState ?? null,
        snapshot: c.snapshot,
      };
    case 'ps.attach-managed':
      return { kind: 'ps.detach-managed', name: c.name, policyArn: c.policyArn };
    case 'ps.detach-managed':
      return { kind: 'ps.attach-managed', name: c.name, policyArn: c.policyArn };
    case 'ps.attach-customer-managed':
      return { kind: 'ps.detach-customer-managed', name: c.name, policy: c.policy };
    case 'ps.detach-customer-managed':
      return { kind: 'ps.attach-customer-managed', name: c.name, policy: c.policy };
    case 'ps.put-inline':
      return c.previous === null
        ? { kind: 'ps.delete-inline', name: c.name, previous: c.document }
        : { kind: 'ps.put-inline', name: c.name, document: c.previous, previous: c.document };
    case 'ps.delete-inline':
      return { kind: 'ps.put-inline', name: c.name, document: c.previous, previous: null };
    case 'ps.put-boundary':
      return c.previous === null
        ? { kind: 'ps.delete-boundary', name: c.name, previous: c.boundary }
        : { kind: 'ps.put-boundary', name: c.name, boundary: c.previous, previous: c.boundary };
    case 'ps.delete-boundary':
      return { kind: 'ps.put-boundary', name: c.name, boundary: c.previous, previous: null };
    case 'ps.provision':
      return null;
    case 'assignment.create':
      return { ...c, kind: 'assignment.delete' };
    case 'assignment.delete':
      return { ...c, kind: 'assignment.create' };
    case 'entra.group.create':
      return { kind: 'entra.group.delete', name: c.name, members: [] };
    case 'entra.group.delete':
      return { kind: 'entra.group.create', name: c.name };
    case 'entra.member.add':
      return { ...c, kind: 'entra.member.remove' };
    case 'entra.member.remove':
      return { ...c, kind: 'entra.member.add' };
    case 'entra.app.assign':
      return { ...c, kind: 'entra.app.unassign' };
    case 'entra.app.unassign':
      return { ...c, kind: 'entra.app.assign' };
    case 'store.group.create':
      return { kind: 'store.group.delete', name: c.name, members: [] };
    case 'store.group.delete':
      return { kind: 'store.group.create', name: c.name };
    case 'store.user.create':
    case 'store.user.delete':
      // A delete carries the user's attributes and groups, so its undo recreates the user (with a new user id).
      return { ...c, kind: c.kind === 'store.user.create' ? 'store.user.delete' : 'store.user.create' };
    case 'store.member.add':
      return { ...c, kind: 'store.member.remove' };
    case 'store.member.remove':
      return { ...c, kind: 'store.member.add' };
  }
}

/** True for changes that delete, detach, remove or unassign (what the mass-change guard counts). */
export function isRemoval(c: Change): boolean {
  if (isIamChange(c)) return isIamRemoval(c);
  if (isSamlRetireChange(c)) return isSamlRetireRemoval(c);
  return (
    /\.(delete|detach|remove|unassign)/.test(c.kind) || c.kind === 'ps.delete-inline' || c.kind === 'ps.delete-boundary'
  );
}

/** One line for people: `+ ~ -` and what the change does. */
export function describeChange(c: Change): string {
  if (isIamChange(c)) return describeIamChange(c);
  if (isSyncChange(c)) return describeSyncChange(c);
  if (isHardenChange(c)) return describeHardenChange(c);
  if (isEntraSetupChange(c)) return describeEntraSetupChange(c);
  if (isAdoptChange(c)) return describeAdopt(c);
  if (isOrgChange(c)) return describeOrgChange(c);
  if (isScimChange(c)) return describeScimChange(c);
  if (isRolesAnywhereChange(c)) return describeRolesAnywhereChange(c);
  if (isSamlKeepChange(c)) return describeSamlKeepChange(c);
  if (isSamlRetireChange(c)) return describeSamlRetireChange(c);
  const sign = isRemoval(c)
    ? '-'
    : c.kind.endsWith('create') || c.kind.endsWith('.add') || c.kind.includes('attach') || c.kind.endsWith('assign')
      ? '+'
      : '~';
  if (isOwnedIamChange(c)) return describeOwnedIamChange(c, sign);
  switch (c.kind) {
    case 'assignment.create':
    case 'assignment.delete':
      return `${sign} assignment ${c.accountId} ${c.permissionSet} -> ${c.group}`;
    case 'entra.member.add':
    case 'entra.member.remove':
      return `${sign} Entra group ${c.group} member ${c.upn}`;
    case 'store.member.add':
    case 'store.member.remove':
      return `${sign} Identity Store group ${c.group} member ${c.upn}`;
    case 'entra.app.assign':
    case 'entra.app.unassign':
      return `${sign} Entra app assignment ${c.group}`;
    case 'store.user.create':
    case 'store.user.delete':
      return `${sign} Identity Store user ${c.upn}`;
    case 'ps.provision':
      return `~ provision ${c.name} to ${c.accountId}`;
    case 'entra.group.create':
    case 'entra.group.delete':
      return `${sign} Entra group ${c.name}`;
    case 'store.group.create':
    case 'store.group.delete':
      return `${sign} Identity Store group ${c.name}`;
    case 'ps.attach-managed':
    case 'ps.detach-managed':
      return `${sign} permission set ${c.name} managed policy ${c.policyArn}`;
    case 'ps.attach-customer-managed':
    case 'ps.detach-customer-managed':
      return `${sign} permission set ${c.name} customer managed policy ${c.policy.path}${c.policy.name}`;
    default:
      return `${sign} permission set ${c.name}${c.kind === 'ps.create' || c.kind === 'ps.delete' ? '' : ` (${c.kind.slice(3)})`}`;
  }
}
