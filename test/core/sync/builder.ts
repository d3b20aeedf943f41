/** Builds sync diff inputs from the compact case-table shapes, and renders a diff back into comparable strings. */
import type { SyncInput } from '../../../src/core/sync/diff.js';
import type {
  DirectoryGroup,
  EntraUser,
  LeaverAction,
  StoreGroup,
  StoreUser,
  SyncDiff,
  SyncLink,
} from '../../../src/core/sync/types.js';

export type CaseUser = {
  id: string;
  upn: string;
  mail?: string | null;
  given?: string | null;
  surname?: string | null;
  display?: string;
  enabled?: boolean;
  deleted?: boolean;
};
export type CaseGroup = {
  id: string;
  name: string;
  description?: string | null;
  members?: string[];
  deleted?: boolean;
};
export type CaseStoreUser = {
  id: string;
  userName: string;
  display?: string;
  given?: string;
  family?: string;
  emails?: string[];
  externalIds?: string[];
};
export type CaseStoreGroup = { id: string; name: string; description?: string | null; externalIds?: string[] };
export type CaseInput = {
  entra: { users?: CaseUser[]; groups?: CaseGroup[] };
  store?: { users?: CaseStoreUser[]; groups?: CaseStoreGroup[]; memberships?: string[] };
  links?: {
    entra: string;
    target: string;
    kind?: 'user' | 'group';
    origin?: SyncLink['origin'];
    deactivated?: boolean;
  }[];
  scope?: { prefix?: string; names?: string[] };
  leavers?: LeaverAction;
};

function directoryUser(u: CaseUser): EntraUser {
  const [local] = u.upn.split('@');
  const [first, last = first] = local.split('.');
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return {
    id: u.id,
    userPrincipalName: u.upn,
    mail: u.mail === undefined ? u.upn : u.mail,
    givenName: u.given === undefined ? cap(first) : u.given,
    surname: u.surname === undefined ? cap(last) : u.surname,
    displayName: u.display ?? `${cap(first)} ${cap(last)}`,
    accountEnabled: u.enabled ?? true,
    deleted: u.deleted,
  };
}

/** A store user that matches the directory user of the same spelling (as an earlier sync would have made it). */
function storeUser(u: CaseStoreUser): StoreUser {
  const d = directoryUser({ id: '', upn: u.userName });
  return {
    userId: u.id,
    userName: u.userName,
    displayName: u.display ?? d.displayName,
    givenName: u.given ?? d.givenName,
    familyName: u.family ?? d.surname,
    emails: u.emails ?? [u.userName],
    externalIds: u.externalIds ?? [],
  };
}

function storeGroup(g: CaseStoreGroup): StoreGroup {
  return { groupId: g.id, displayName: g.name, description: g.description ?? null, externalIds: g.externalIds ?? [] };
}

function directoryGroup(g: CaseGroup): DirectoryGroup {
  return {
    id: g.id,
    displayName: g.name,
    description: g.description ?? null,
    members: g.members ?? [],
    deleted: g.deleted,
  };
}

/** The diff input a case describes. */
export function buildInput(c: CaseInput): SyncInput {
  return {
    users: (c.entra.users ?? []).map(directoryUser),
    groups: (c.entra.groups ?? []).map(directoryGroup),
    store: {
      users: (c.store?.users ?? []).map(storeUser),
      groups: (c.store?.groups ?? []).map(storeGroup),
      memberships: (c.store?.memberships ?? []).map((text, i) => {
        const [groupId, userId] = text.split(' ');
        return { membershipId: `m${i}`, groupId, userId };
      }),
    },
    links: (c.links ?? []).map((l) => ({
      entraId: l.entra,
      targetId: l.target,
      kind: l.kind ?? 'user',
      origin: l.origin ?? 'created',
      deactivated: l.deactivated,
    })),
    scope: c.scope?.names
      ? { kind: 'names', names: c.scope.names }
      : { kind: 'prefix', prefix: c.scope?.prefix ?? 'AWS-' },
    leavers: c.leavers ?? 'deactivate',
  };
}

/** The diff as sorted strings, named the way the case tables name things (UPNs, group names, store ids). */
export function renderDiff(diff: SyncDiff, input: SyncInput) {
  const upn = new Map(input.users.map((u) => [u.id, u.userPrincipalName]));
  const group = new Map(input.groups.map((g) => [g.id, g.displayName]));
  const sorted = (items: string[]) => [...items].sort();
  return {
    create: sorted(diff.users.create.map((u) => u.attributes.userName)),
    update: sorted(diff.users.update.map((u) => `${u.userId} ${u.changes.join(',')}`)),
    deactivate: sorted(diff.users.deactivate.map((u) => `${u.userId} ${u.reason}`)),
    delete: sorted(diff.users.delete.map((u) => `${u.userId} ${u.reason}`)),
    groupsCreate: sorted(diff.groups.create.map((g) => g.displayName)),
    groupsUpdate: sorted(diff.groups.update.map((g) => `${g.groupId} ${g.changes.join(',')}`)),
    groupsDelete: sorted(diff.groups.delete.map((g) => g.groupId)),
    add: sorted(diff.memberships.add.map((m) => `${group.get(m.groupEntraId)} ${upn.get(m.userEntraId)}`)),
    remove: sorted(diff.memberships.remove.map((m) => `${m.groupId} ${m.userId}`)),
    conflicts: sorted(diff.conflicts.map((c) => `${c.id} ${c.name}`)),
    rules: Object.fromEntries(
      diff.matches.map((m) => [m.kind === 'user' ? upn.get(m.entraId) : group.get(m.entraId), m.rule]),
    ),
  };
}
