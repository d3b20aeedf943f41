/** Where an IAM state operation acts: the world (ids, clock, key index) and one account. */
import type { IamAccountState, IamGroup, IamRole, IamUser } from '../../../world/iam-state.js';
import type { AccountState, World } from '../../../world/world.js';
import { noSuchEntity } from '../../errors.js';

export type IamScope = { world: World; account: AccountState };

/** The scope of an account by id. */
export function iamScope(world: World, accountId: string): IamScope {
  return { world, account: world.account(accountId) };
}

/** IAM names are unique without regard to case; lookups ignore case the same way. */
function findByName<T>(map: Map<string, T>, name: string): T | undefined {
  const exact = map.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const [k, v] of map) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The user, or undefined. */
export function findUser(iam: IamAccountState, userName: string): IamUser | undefined {
  return findByName(iam.users, userName);
}

/** The user, or NoSuchEntity as IAM words it. */
export function requireUser(iam: IamAccountState, userName: string): IamUser {
  const user = findByName(iam.users, userName);
  if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
  return user;
}

/** The group, or NoSuchEntity. */
export function requireGroup(iam: IamAccountState, groupName: string): IamGroup {
  const group = findByName(iam.groups, groupName);
  if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
  return group;
}

/** The role, or NoSuchEntity. */
export function requireRole(iam: IamAccountState, roleName: string): IamRole {
  const role = findByName(iam.roles, roleName);
  if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

/** True when a name is taken, ignoring case. */
export function nameTaken<T>(map: Map<string, T>, name: string): boolean {
  return findByName(map, name) !== undefined;
}

/** Users that are members of a group, in name order. */
export function groupMembers(iam: IamAccountState, groupName: string): IamUser[] {
  const out: IamUser[] = [];
  for (const user of iam.users.values()) if (user.groups.includes(groupName)) out.push(user);
  return out.sort((a, b) => compareNames(a.userName, b.userName));
}

/** IAM lists entities in case-insensitive name order. */
export function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts entities in IAM's listing order (case-insensitive name), computing each sort key once. */
export function sortByName<T>(items: Iterable<T>, nameOf: (item: T) => string): T[] {
  const keyed = [...items].map((item) => {
    const name = nameOf(item);
    return { item, name, lower: name.toLowerCase() };
  });
  keyed.sort((a, b) =>
    a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return keyed.map((k) => k.item);
}
