/**
 * The dry run is a wrapper around the write ports, not a flag inside the engine: reads go to the clouds,
 * writes become lines in a list (and made-up ids, so later steps can refer to what "was" created), and the
 * asynchronous requests they "started" report SUCCEEDED.
 */
import type { ApplyPorts, EntraPort, IdentityCenterPort, IdentityStorePort } from './ports.js';
import { formatDuration, type GroupArrivals } from './scim-arrivals.js';

/** What the dry run would have written. */
export type DryRunLog = string[];

const FAKE_PREFIX = 'dry-run-';

/** Wraps the ports so that every write is recorded in `log` and nothing is written. */
export function dryRunPorts(ports: ApplyPorts, log: DryRunLog): ApplyPorts {
  let n = 0;
  const fake = (what: string) => `${FAKE_PREFIX}${what}-${++n}`;
  const record = (line: string) => {
    log.push(line);
  };
  const recordAs = (line: string, what: string) => {
    record(line);
    return fake(what);
  };
  const ic = ports.identityCenter;
  const identityCenter: IdentityCenterPort = {
    instance: () => ic.instance(),
    listPermissionSets: () => ic.listPermissionSets(),
    readPolicies: (arn) => ic.readPolicies(arn),
    provisionedAccounts: (arn, outdated) =>
      arn.startsWith(FAKE_PREFIX) ? Promise.resolve([]) : ic.provisionedAccounts(arn, outdated),
    listAssignments: (account, arn) => ic.listAssignments(account, arn),
    asyncStatus: (kind, id) =>
      id.startsWith(FAKE_PREFIX) ? Promise.resolve({ status: 'SUCCEEDED' }) : ic.asyncStatus(kind, id),
    inProgress: (kind) => ic.inProgress(kind),
    createPermissionSet: async (p) => recordAs(`CreatePermissionSet ${p.name} ${p.sessionDuration}`, 'ps'),
    updatePermissionSet: async (arn, p) => record(`UpdatePermissionSet ${arn} ${p.sessionDuration}`),
    deletePermissionSet: async (arn) => record(`DeletePermissionSet ${arn}`),
    attachManagedPolicy: async (arn, p) => record(`AttachManagedPolicyToPermissionSet ${arn} ${p}`),
    detachManagedPolicy: async (arn, p) => record(`DetachManagedPolicyFromPermissionSet ${arn} ${p}`),
    attachCustomerManagedPolicy: async (arn, r) =>
      record(`AttachCustomerManagedPolicyReferenceToPermissionSet ${arn} ${r.path}${r.name}`),
    detachCustomerManagedPolicy: async (arn, r) =>
      record(`DetachCustomerManagedPolicyReferenceFromPermissionSet ${arn} ${r.path}${r.name}`),
    putInlinePolicy: async (arn, doc) => record(`PutInlinePolicyToPermissionSet ${arn} (${doc.length} characters)`),
    deleteInlinePolicy: async (arn) => record(`DeleteInlinePolicyFromPermissionSet ${arn}`),
    putPermissionsBoundary: async (arn, b) =>
      record(`PutPermissionsBoundaryToPermissionSet ${arn} ${JSON.stringify(b)}`),
    deletePermissionsBoundary: async (arn) => record(`DeletePermissionsBoundaryFromPermissionSet ${arn}`),
    createAssignment: async (a) =>
      recordAs(
        `CreateAccountAssignment ${a.accountId} ${a.permissionSetArn} ${a.principalType} ${a.principalId}`,
        'request',
      ),
    deleteAssignment: async (a) =>
      recordAs(
        `DeleteAccountAssignment ${a.accountId} ${a.permissionSetArn} ${a.principalType} ${a.principalId}`,
        'request',
      ),
    provision: async (arn, account) => recordAs(`ProvisionPermissionSet ${arn} ${account}`, 'request'),
  };
  const st = ports.identityStore;
  const identityStore: IdentityStorePort = {
    listGroups: () => st.listGroups(),
    listUsers: () => st.listUsers(),
    listMemberships: (id) => st.listMemberships(id),
    findUserId: (name) => st.findUserId(name),
    findGroupId: (name) => st.findGroupId(name),
    findMembershipId: (g, u) => st.findMembershipId(g, u),
    createGroup: async (name) => recordAs(`identitystore CreateGroup ${name}`, 'group'),
    createUser: async (u) => recordAs(`identitystore CreateUser ${u.userName}`, 'user'),
    updateUser: async (id, _u, changes) => record(`identitystore UpdateUser ${id} ${changes.join(',')}`),
    deleteUser: async (id) => record(`identitystore DeleteUser ${id}`),
    updateGroup: async (id, name) => record(`identitystore UpdateGroup ${id} ${name}`),
    addMembership: async (g, u) => recordAs(`identitystore CreateGroupMembership ${g} ${u}`, 'membership'),
    removeMembership: async (m) => record(`identitystore DeleteGroupMembership ${m}`),
    deleteGroup: async (g) => record(`identitystore DeleteGroup ${g}`),
  };
  const en = ports.entra;
  const entra: EntraPort = {
    listUsers: () => en.listUsers(),
    listGroups: () => en.listGroups(),
    listGroupMembers: (id) => en.listGroupMembers(id),
    findIdentityCenterApp: () => en.findIdentityCenterApp(),
    listAppAssignedGroups: (sp) => en.listAppAssignedGroups(sp),
    provisioningJobs: (sp) => en.provisioningJobs(sp),
    createGroup: async (name) => recordAs(`graph POST /groups ${name}`, 'entra-group'),
    deleteGroup: async (id) => record(`graph DELETE /groups/${id}`),
    addGroupMember: async (g, u) => record(`graph POST /groups/${g}/members/$ref ${u}`),
    removeGroupMember: async (g, u) => record(`graph DELETE /groups/${g}/members/${u}/$ref`),
    assignGroupToApp: async (app, g) =>
      record(`graph POST /servicePrincipals/${app.servicePrincipalId}/appRoleAssignedTo ${g}`),
    unassignGroupFromApp: async (app, g) =>
      record(`graph DELETE /servicePrincipals/${app.servicePrincipalId}/appRoleAssignedTo ${g}`),
  };
  return { identityCenter, identityStore, entra };
}

/** The dry run's stand-in for waiting on Entra's provisioning: the wait is a line, and the group "arrives" at once. */
export function dryRunArrivals(log: DryRunLog, waitMs: number): GroupArrivals {
  let n = 0;
  return {
    waitMs,
    async waitFor(group) {
      log.push(
        `wait up to ${formatDuration(waitMs)} for Entra's provisioning to bring group ${group} into the Identity Store`,
      );
      return `${FAKE_PREFIX}provisioned-group-${++n}`;
    },
  };
}
