/**
 * Reads an Identity Center already in use, for `plan --adopt-existing`: its permission sets that iam2sso neither
 * created nor tagged (with their policies), the assignments of those sets in the accounts they are provisioned to,
 * the directory groups and their members, the directory users matched to Entra for the identity-source switch, and the
 * names of the Entra groups that are not iam2sso's (a directory group's replacement must not take one over).
 * Through apply's read ports; writes nothing.
 */
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { type ApplyPorts, MANAGED_TAG } from '../apply/ports.js';
import { assessSwitch, directoryUsers } from '../core/identity-source-switch.js';
import type { ExistingIdentityCenter } from '../core/plan-existing-iic.js';
import { readStoreUsers } from '../doctor/gather.js';
import { mapLimit } from './fan-out.js';

/**
 * Reads what the plan brings in; `createdByTool` says which permission sets the state database records as created,
 * `ownsEntraGroup` which Entra groups it records as iam2sso's (created or adopted).
 */
export async function readExistingIdentityCenter(
  ports: ApplyPorts,
  store: IdentitystoreClient,
  entraUsers: { userPrincipalName: string; mail: string | null; accountEnabled: boolean }[],
  createdByTool: (permissionSet: string) => boolean,
  ownsEntraGroup: (name: string) => boolean = () => false,
  concurrency = 8,
): Promise<ExistingIdentityCenter> {
  const { identityStoreId } = await ports.identityCenter.instance();
  const listed = await ports.identityCenter.listPermissionSets();
  const mine = listed.filter((p) => p.tags[MANAGED_TAG.key] !== MANAGED_TAG.value && !createdByTool(p.name));
  const [storeUsers, groups, entraGroups] = await Promise.all([
    readStoreUsers(store, identityStoreId),
    ports.identityStore.listGroups(),
    ports.entra.listGroups(),
  ]);
  const userName = new Map(storeUsers.map((u) => [u.id, u.userName]));
  const groupName = new Map(groups.map((g) => [g.groupId, g.displayName]));
  const sets = await mapLimit(mine, concurrency, async (p) => {
    const [policies, accounts] = await Promise.all([
      ports.identityCenter.readPolicies(p.arn),
      ports.identityCenter.provisionedAccounts(p.arn, false),
    ]);
    const assignments = (
      await mapLimit(accounts, concurrency, (accountId) => ports.identityCenter.listAssignments(accountId, p.arn))
    ).flat();
    return {
      set: { name: p.name, description: p.description, sessionDuration: p.sessionDuration, ...policies },
      assignments: assignments.map((a) => ({
        accountId: a.accountId,
        permissionSet: p.name,
        principalType: a.principalType,
        principal:
          (a.principalType === 'GROUP' ? groupName.get(a.principalId) : userName.get(a.principalId)) ?? a.principalId,
      })),
    };
  });
  const directory = directoryUsers(storeUsers);
  const directoryIds = new Set(directory.map((u) => u.id));
  const withMembers = await mapLimit(groups, concurrency, async (g) => ({
    name: g.displayName,
    members: (await ports.identityStore.listMemberships(g.groupId))
      .filter((m) => directoryIds.has(m.userId))
      .map((m) => userName.get(m.userId)!),
  }));
  return {
    permissionSets: sets.map((s) => s.set),
    assignments: sets.flatMap((s) => s.assignments),
    groups: withMembers.filter((g) => g.members.length > 0),
    users: assessSwitch(directory, entraUsers),
    entraGroups: entraGroups.map((g) => g.displayName).filter((name) => !ownsEntraGroup(name)),
  };
}
