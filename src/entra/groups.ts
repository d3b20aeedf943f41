/**
 * The security groups a plan names, made real in Entra: each found by name or created, its user members set
 * (UPNs resolved to object ids; nested groups left alone), and the group assigned to the enterprise app with
 * the app's `User` role. Reads go through the DirectoryReader, writes through the (possibly recording) writer.
 */
import type { DirectoryReader, DirectoryWriter, EnterpriseApp, EntraUser, MemberRef, WriteOutcome } from './ports.js';

/** A group as a plan names it. */
export type GroupSpec = { displayName: string; description: string | null; memberUpns: string[] };

/** What happened to one group. */
export type GroupResult = {
  displayName: string;
  groupId: string;
  created: boolean;
  added: string[];
  removed: string[];
  /** UPNs with no Entra user: not added, reported. */
  unknownUpns: string[];
  assignment: WriteOutcome | null;
};

/** Resolving UPNs one by one is cheaper than listing the directory below this many. */
const LIST_ALL_ABOVE = 200;

/** User members to add and remove so that the group's direct user members are exactly `desired`. */
export function memberChanges(desired: Set<string>, current: MemberRef[]): { add: string[]; remove: string[] } {
  const currentUsers = new Set(current.filter((m) => m.type === 'user').map((m) => m.id));
  return {
    add: [...desired].filter((id) => !currentUsers.has(id)).sort(),
    remove: [...currentUsers].filter((id) => !desired.has(id)).sort(),
  };
}

/** The app role groups are assigned with: the gallery app's `User` role. */
export function userRoleId(app: EnterpriseApp): string {
  const role = app.appRoles.find((r) => r.displayName === 'User' || r.value === 'User');
  if (!role) throw new Error(`the enterprise app ${app.servicePrincipalId} has no User app role`);
  return role.id;
}

async function resolveUpns(reader: DirectoryReader, upns: string[]): Promise<Map<string, EntraUser>> {
  const wanted = new Set(upns.map((u) => u.toLowerCase()));
  const out = new Map<string, EntraUser>();
  if (wanted.size > LIST_ALL_ABOVE) {
    for (const user of await reader.listUsers()) {
      const key = user.userPrincipalName.toLowerCase();
      if (wanted.has(key)) out.set(key, user);
    }
    return out;
  }
  for (const upn of wanted) {
    const user = await reader.findUserByUpn(upn);
    if (user) out.set(upn, user);
  }
  return out;
}

/** Finds or creates every group, sets its user members and assigns it to the app (when given). */
export async function applyGroups(
  specs: GroupSpec[],
  reader: DirectoryReader,
  writer: DirectoryWriter,
  app: EnterpriseApp | null,
): Promise<GroupResult[]> {
  const users = await resolveUpns(
    reader,
    specs.flatMap((s) => s.memberUpns),
  );
  const existing = new Map<string, string>();
  for (const spec of specs) {
    const found = await reader.findGroupsByName(spec.displayName);
    if (found.length > 1)
      throw new Error(`${found.length} Entra groups are named '${spec.displayName}'; rename all but one`);
    if (found[0]) existing.set(spec.displayName, found[0].id);
  }
  const members = await reader.directMembersOf([...existing.values()]);
  const roleId = app ? userRoleId(app) : null;
  const results: GroupResult[] = [];
  for (const spec of specs) {
    const known = existing.get(spec.displayName);
    const groupId = known ?? (await writer.createSecurityGroup(spec)).id;
    const desired = new Set<string>();
    const unknownUpns: string[] = [];
    for (const upn of spec.memberUpns) {
      const user = users.get(upn.toLowerCase());
      if (user) desired.add(user.id);
      else unknownUpns.push(upn);
    }
    const { add, remove } = memberChanges(desired, known ? (members.get(known) ?? []) : []);
    for (const id of add) await writer.addMember(groupId, id);
    for (const id of remove) await writer.removeMember(groupId, id);
    const assignment = app && roleId ? await writer.assignToApp(app.servicePrincipalId, groupId, roleId) : null;
    results.push({
      displayName: spec.displayName,
      groupId,
      created: !known,
      added: add,
      removed: remove,
      unknownUpns,
      assignment,
    });
  }
  return results;
}
