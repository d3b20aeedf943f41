/**
 * Reads the live state apply reconciles against, through the ports: the permission sets the plan names or the
 * product tagged (with their policies, provisioned accounts and assignments), the Identity Store groups, users
 * and memberships, the Entra users, groups, members and the app's assigned groups. Returns the pure LiveApplyState
 * plus the id lookups the executor needs.
 */

import { mapLimit } from '../aws/fan-out.js';
import type { EntraUser } from '../core/entra-user.js';
import type { AdoptionInventory } from '../core/reconcile/adopt.js';
import type { EntraPerson, LiveApplyState, LiveStoreGroup } from '../core/reconcile/apply-diff.js';
import { assignmentRefKey, type ObjectKind } from '../core/reconcile/changes.js';
import type { DesiredState } from '../core/reconcile/desired.js';
import type { LiveAssignment, LiveGroup, LivePermissionSet } from '../core/reconcile/diff.js';
import { type ApplyPorts, type EntraAppInfo, MANAGED_MARKER, MANAGED_TAG } from './ports.js';

/** What the live read asks of the ownership records (the state database's, or a dry run's). */
export type OwnershipLookup = { originOf(ref: { kind: ObjectKind; key: string }): 'created' | 'adopted' | null };

/**
 * Owned: recorded as created and still carrying the tool's marker (a tag, a description), or adopted by a person.
 * A marker alone (copied by hand, inherited) or a record alone (the name reused by someone since) is not enough.
 */
function owns(owned: OwnershipLookup, kind: ObjectKind, key: string, marked: boolean): boolean {
  const origin = owned.originOf({ kind, key });
  return origin === 'adopted' || (origin === 'created' && marked);
}

/** The live state and the ids behind its names. */
export type LiveContext = {
  state: LiveApplyState;
  people: EntraPerson[];
  permissionSetArns: Map<string, string>;
  /** Lower-cased names and UPNs to ids. */
  storeGroupIds: Map<string, string>;
  storeUserIds: Map<string, string>;
  entraGroupIds: Map<string, string>;
  entraUsers: Map<string, EntraUser>;
  app: EntraAppInfo | null;
  /** Every permission set, group and user that exists (not only the planned ones), for the plan's adoptions. */
  inventory: AdoptionInventory;
};

const lower = (s: string) => s.toLowerCase();

async function readPermissionSets(
  ports: ApplyPorts,
  desired: DesiredState,
  concurrency: number,
  owned: OwnershipLookup,
) {
  const wanted = new Set(desired.permissionSets.map((p) => p.name));
  const all = await ports.identityCenter.listPermissionSets();
  const relevant = all.filter((p) => wanted.has(p.name) || p.tags[MANAGED_TAG.key] === MANAGED_TAG.value);
  const sets = await mapLimit(relevant, concurrency, async (p) => {
    const [policies, accounts, outdated] = await Promise.all([
      ports.identityCenter.readPolicies(p.arn),
      ports.identityCenter.provisionedAccounts(p.arn, false),
      ports.identityCenter.provisionedAccounts(p.arn, true),
    ]);
    const live: LivePermissionSet = {
      arn: p.arn,
      name: p.name,
      description: p.description,
      sessionDuration: p.sessionDuration,
      relayState: p.relayState ?? null,
      ...policies,
      managedPolicies: [...policies.managedPolicies].sort(),
      managedByTool: owns(owned, 'permission-set', p.name, p.tags[MANAGED_TAG.key] === MANAGED_TAG.value),
    };
    return { live, accounts, outdated };
  });
  return { sets, all };
}

async function readStore(ports: ApplyPorts, desired: DesiredState, concurrency: number, owned: OwnershipLookup) {
  const wanted = new Set(desired.groups.map((g) => lower(g.name)));
  const [groups, users] = await Promise.all([ports.identityStore.listGroups(), ports.identityStore.listUsers()]);
  const userNames = new Map(users.map((u) => [u.userId, u.userName]));
  const relevant = groups.filter(
    (g) => wanted.has(lower(g.displayName)) || (g.description ?? '').includes(MANAGED_MARKER),
  );
  const liveGroups: LiveStoreGroup[] = await mapLimit(relevant, concurrency, async (g) => ({
    id: g.groupId,
    name: g.displayName,
    managedByTool: owns(owned, 'store-group', lower(g.displayName), (g.description ?? '').includes(MANAGED_MARKER)),
    externalIds: g.externalIds,
    members: (await ports.identityStore.listMemberships(g.groupId))
      .filter((m) => userNames.has(m.userId))
      .map((m) => ({ upn: lower(userNames.get(m.userId)!), membershipId: m.membershipId })),
  }));
  return { groups, users, liveGroups };
}

async function readEntra(ports: ApplyPorts, desired: DesiredState, concurrency: number, owned: OwnershipLookup) {
  const wanted = new Set(desired.groups.map((g) => lower(g.name)));
  const [users, groups, app] = await Promise.all([
    ports.entra.listUsers(),
    ports.entra.listGroups(),
    ports.entra.findIdentityCenterApp(),
  ]);
  const upnOf = new Map(users.map((u) => [u.id, lower(u.userPrincipalName)]));
  const relevant = groups.filter(
    (g) => wanted.has(lower(g.displayName)) || (g.description ?? '').includes(MANAGED_MARKER),
  );
  const liveGroups: LiveGroup[] = await mapLimit(relevant, concurrency, async (g) => ({
    id: g.id,
    name: g.displayName,
    managedByTool: owns(owned, 'entra-group', lower(g.displayName), (g.description ?? '').includes(MANAGED_MARKER)),
    members: (await ports.entra.listGroupMembers(g.id)).filter((id) => upnOf.has(id)).map((id) => upnOf.get(id)!),
  }));
  let assigned: string[] | null = null;
  if (app) {
    const nameOf = new Map(groups.map((g) => [g.id, g.displayName]));
    const ids = await ports.entra.listAppAssignedGroups(app.servicePrincipalId);
    assigned = ids.filter((id) => nameOf.has(id)).map((id) => nameOf.get(id)!);
  }
  return { users, groups: relevant, all: groups, liveGroups, app, assigned };
}

/** Reads everything apply compares the plan with. */
export async function readLiveState(
  ports: ApplyPorts,
  desired: DesiredState,
  concurrency: number,
  owned: OwnershipLookup,
): Promise<LiveContext> {
  await ports.identityCenter.instance();
  const [{ sets, all: allSets }, store, entra] = await Promise.all([
    readPermissionSets(ports, desired, concurrency, owned),
    readStore(ports, desired, concurrency, owned),
    readEntra(ports, desired, concurrency, owned),
  ]);
  const groupName = new Map(store.groups.map((g) => [g.groupId, g.displayName]));
  const pairs = sets.flatMap((s) => s.accounts.map((accountId) => ({ set: s.live, accountId })));
  const assignments: LiveAssignment[] = (
    await mapLimit(pairs, concurrency, async ({ set, accountId }) =>
      (
        await ports.identityCenter.listAssignments(accountId, set.arn)
      )
        .filter((a) => a.principalType === 'GROUP')
        .map((a) => {
          const group = groupName.get(a.principalId) ?? `unknown group ${a.principalId}`;
          // Owned only if the tool created it: never inherited from the permission set's tag.
          const key = assignmentRefKey({ accountId, permissionSet: set.name, group });
          return {
            accountId,
            permissionSet: set.name,
            group,
            managedByTool: owned.originOf({ kind: 'assignment', key }) !== null,
          };
        }),
    )
  ).flat();
  const state: LiveApplyState = {
    permissionSets: sets.map((s) => s.live),
    groups: entra.liveGroups,
    assignments,
    store: { groups: store.liveGroups, users: store.users.map((u) => u.userName) },
    provisioned: sets.map((s) => ({ permissionSet: s.live.name, accounts: s.accounts, outdated: s.outdated })),
    appAssignedGroups: entra.assigned,
  };
  return {
    state,
    people: entra.users.map((u) => ({ upn: u.userPrincipalName, enabled: u.accountEnabled })),
    permissionSetArns: new Map(sets.map((s) => [s.live.name, s.live.arn])),
    storeGroupIds: new Map(store.groups.map((g) => [lower(g.displayName), g.groupId])),
    storeUserIds: new Map(store.users.map((u) => [lower(u.userName), u.userId])),
    entraGroupIds: new Map(entra.groups.map((g) => [lower(g.displayName), g.id])),
    entraUsers: new Map(entra.users.map((u) => [lower(u.userPrincipalName), u])),
    app: entra.app,
    inventory: {
      permissionSets: allSets.map((p) => ({ name: p.name, id: p.arn })),
      entraGroups: entra.all.map((g) => ({ name: g.displayName, id: g.id })),
      storeGroups: store.groups.map((g) => ({ name: g.displayName, id: g.groupId })),
      storeUsers: store.users.map((u) => ({ name: u.userName, id: u.userId })),
      assignments,
    },
  };
}
