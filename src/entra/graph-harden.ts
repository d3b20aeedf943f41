/**
 * The Graph calls of `entra harden`: Conditional Access policies (`/identity/conditionalAccess/policies`, v1.0
 * conditionalAccessPolicy) and PIM for Groups eligibilities and activations
 * (`/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests`, `eligibilitySchedules`,
 * `assignmentSchedules`, v1.0). Writes are idempotent: PIM's "already exists" / "does not exist" answers (400
 * RoleAssignmentExists / RoleAssignmentDoesNotExist) are successes.
 */

import type { GraphApi } from './graph-client.js';
import { failureOf } from './graph-errors.js';
import type { CaPolicyBody, CaPolicyRecord, HardenReader, HardenWriter, PimSchedule } from './harden-ports.js';

const RULES = '/policies/roleManagementPolicies';
const EXPIRATION = 'Expiration_EndUser_Assignment';
const ENABLEMENT = 'Enablement_EndUser_Assignment';

import { writeIdempotently } from './idempotent.js';

const CA = '/identity/conditionalAccess/policies';
const PIM = '/identityGovernance/privilegedAccess/group';

type RawPolicy = CaPolicyRecord & Record<string, unknown>;
type RawSchedule = {
  id: string;
  groupId: string;
  principalId: string;
  accessId: string;
  assignmentType?: string;
  scheduleInfo?: { expiration?: { endDateTime?: string | null } };
};

function policyOf(raw: RawPolicy): CaPolicyRecord {
  const users = raw.conditions?.users ?? {};
  return {
    id: raw.id,
    displayName: raw.displayName,
    state: raw.state,
    conditions: {
      applications: { includeApplications: raw.conditions?.applications?.includeApplications ?? [] },
      users: {
        includeUsers: users.includeUsers ?? [],
        includeGroups: users.includeGroups ?? [],
        excludeUsers: users.excludeUsers ?? [],
        excludeGroups: users.excludeGroups ?? [],
      },
    },
    grantControls: raw.grantControls
      ? {
          builtInControls: raw.grantControls.builtInControls ?? [],
          authenticationStrength: raw.grantControls.authenticationStrength ?? null,
        }
      : null,
  };
}

const scheduleOf = (raw: RawSchedule): PimSchedule => ({
  id: raw.id,
  groupId: raw.groupId,
  principalId: raw.principalId,
  assignmentType: raw.assignmentType ?? null,
  endDateTime: raw.scheduleInfo?.expiration?.endDateTime ?? null,
});

const byGroup = (groupId: string) => `$filter=${encodeURIComponent(`groupId eq '${groupId}'`)}`;

/** Reads of Conditional Access and PIM for Groups. */
export function graphHardenReader(graph: GraphApi): HardenReader {
  return {
    async listPolicies() {
      const { items } = await graph.pages<RawPolicy>(CA, 'ca.read');
      return items.map(policyOf);
    },
    async eligibilities(groupId) {
      const { items } = await graph.pages<RawSchedule>(`${PIM}/eligibilitySchedules?${byGroup(groupId)}`, 'pim.read');
      return items.filter((s) => s.accessId === 'member').map(scheduleOf);
    },
    async activeAssignments(groupId) {
      const { items } = await graph.pages<RawSchedule>(
        `${PIM}/assignmentSchedules?${byGroup(groupId)}`,
        'pim.activations.read',
      );
      return items.filter((s) => s.accessId === 'member').map(scheduleOf);
    },
    async activationRules(groupId) {
      // The policy of the group's membership, then its rules (learn.microsoft.com/graph/how-to-pim-update-rules).
      const filter = `scopeId eq '${groupId}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`;
      const { items } = await graph.pages<{ policyId: string }>(
        `/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(filter)}`,
        'pim.policy.read',
      );
      const policyId = items[0]?.policyId;
      if (!policyId) return null;
      const rule = (id: string) => `${RULES}/${encodeURIComponent(policyId)}/rules/${id}`;
      const [expiration, enablement] = await Promise.all([
        graph.get<{ maximumDuration?: string }>(rule(EXPIRATION), 'pim.policy.read'),
        graph.get<{ enabledRules?: string[] }>(rule(ENABLEMENT), 'pim.policy.read'),
      ]);
      return {
        policyId,
        maxActivation: expiration.maximumDuration ?? '',
        justification: (enablement.enabledRules ?? []).includes('Justification'),
      };
    },
  };
}

/** PIM's answer for a request that removes what is not there: a success for an idempotent remove. */
function goneAlready(error: unknown): boolean {
  const f = failureOf(error);
  return Boolean(
    f && (f.status === 404 || /does not exist|RoleAssignmentDoesNotExist/i.test(`${f.code} ${f.message}`)),
  );
}

/** Writes of Conditional Access and PIM for Groups. */
export function graphHardenWriter(graph: GraphApi): HardenWriter {
  const eligibilityRequest = (groupId: string, principalId: string, action: string, justification: string) =>
    graph.post(`${PIM}/eligibilityScheduleRequests`, 'pim.write', {
      accessId: 'member',
      principalId,
      groupId,
      action,
      justification,
      scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: 'noExpiration' } },
    });
  return {
    async createPolicy(body: CaPolicyBody) {
      const raw = await graph.post<RawPolicy>(CA, 'ca.write', body);
      return raw.id;
    },
    setPolicyState: (id, state) => graph.patch(`${CA}/${encodeURIComponent(id)}`, 'ca.write', { state }),
    async deletePolicy(id) {
      await writeIdempotently('delete', () => graph.delete(`${CA}/${encodeURIComponent(id)}`, 'ca.write'));
    },
    addEligibility: (groupId, principalId, justification) =>
      writeIdempotently('create', () => eligibilityRequest(groupId, principalId, 'adminAssign', justification)),
    async removeEligibility(groupId, principalId, justification) {
      try {
        await eligibilityRequest(groupId, principalId, 'adminRemove', justification);
        return 'done';
      } catch (error) {
        if (goneAlready(error)) return 'already';
        throw error;
      }
    },
    async setActivationRules(policyId, rules) {
      const rule = (id: string) => `${RULES}/${encodeURIComponent(policyId)}/rules/${id}`;
      const target = { caller: 'EndUser', operations: ['All'], level: 'Assignment' };
      await graph.patch(rule(EXPIRATION), 'pim.policy.write', {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
        id: EXPIRATION,
        isExpirationRequired: true,
        maximumDuration: rules.maxActivation,
        target,
      });
      await graph.patch(rule(ENABLEMENT), 'pim.policy.write', {
        '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
        id: ENABLEMENT,
        enabledRules: rules.justification ? ['Justification'] : [],
        target,
      });
    },
  };
}
