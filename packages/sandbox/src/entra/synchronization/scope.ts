/**
 * Who a provisioning job is for: the users and groups assigned to the enterprise app (users directly, groups
 * and their direct user members), or everyone with "sync all". Members of nested groups are not effectively
 * entitled: Entra does not follow group nesting for app assignments.
 */
import type { EntraGroup, EntraUser, ServicePrincipal } from '../../world/entra-state.js';
import type { World } from '../../world/world.js';

export type ProvisioningScope = {
  /** Effectively entitled users (existing, not deleted; disabled ones included, exported as inactive). */
  users: Map<string, EntraUser>;
  /** Assigned groups to export, with their direct user members. */
  groups: Map<string, EntraGroup>;
  /** Users reachable only through a group nested in an assigned group: skipped, not entitled. */
  nestedOnly: Map<string, { user: EntraUser; viaGroup: EntraGroup }>;
};

function liveUser(world: World, id: string): EntraUser | undefined {
  const user = world.entra!.users.get(id);
  return user && !user.deletedDateTime ? user : undefined;
}

function liveGroup(world: World, id: string): EntraGroup | undefined {
  const group = world.entra!.groups.get(id);
  return group && !group.deletedDateTime ? group : undefined;
}

/** The direct members of a group that are live users. */
export function directUserMembers(world: World, group: EntraGroup): EntraUser[] {
  return [...group.members].map((id) => liveUser(world, id)).filter((u): u is EntraUser => u !== undefined);
}

/** Computes the job's scope from the app's assignments (or the whole tenant when syncAll). */
export function computeScope(world: World, sp: ServicePrincipal, syncAll: boolean): ProvisioningScope {
  const entra = world.entra!;
  const users = new Map<string, EntraUser>();
  const groups = new Map<string, EntraGroup>();
  if (syncAll) {
    for (const u of entra.users.values()) if (!u.deletedDateTime) users.set(u.id, u);
    for (const g of entra.groups.values()) if (!g.deletedDateTime && g.securityEnabled) groups.set(g.id, g);
  } else {
    for (const a of sp.appRoleAssignedTo) {
      if (a.principalType === 'User') {
        const u = liveUser(world, a.principalId);
        if (u) users.set(u.id, u);
      } else {
        const g = liveGroup(world, a.principalId);
        if (!g) continue;
        groups.set(g.id, g);
        for (const u of directUserMembers(world, g)) users.set(u.id, u);
      }
    }
  }
  const nestedOnly = new Map<string, { user: EntraUser; viaGroup: EntraGroup }>();
  const seen = new Set<string>(groups.keys());
  const queue = [...groups.values()].flatMap((g) => [...g.members].map((id) => liveGroup(world, id)));
  while (queue.length) {
    const child = queue.shift();
    if (!child || seen.has(child.id)) continue;
    seen.add(child.id);
    for (const u of directUserMembers(world, child))
      if (!users.has(u.id) && !nestedOnly.has(u.id)) nestedOnly.set(u.id, { user: u, viaGroup: child });
    for (const id of child.members) queue.push(liveGroup(world, id));
  }
  return { users, groups, nestedOnly };
}
