/**
 * The Graph calls of `entra harden`: Conditional Access policies (`/identity/conditionalAccess/policies`, v1.0
 * conditionalAccessPolicy) and PIM for Groups eligibilities and activations
 * (`/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests`, `eligibilitySchedules`,
 * `assignmentSchedules`, v1.0); the activation rules are in graph-pim-rules.ts. Writes are idempotent: PIM's "already exists" / "does not exist" answers (400
 * RoleAssignmentExists / RoleAssignmentDoesNotExist) are successes.
 */

import type { GraphApi } from './graph-client.js';
import { failureOf } from './graph-errors.js';
import { readActivationRules, writeActivationRules } from './graph-pim-rules.js';
import type { CaPolicyBody, CaPolicyRecord, HardenReader, HardenWriter, PimSchedule } from './harden-ports.js';
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
    activationRules: (groupId) => readActivationRules(graph, groupId),
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
    async setPolicyGroups(id, includeGroups) {
      // The whole conditions object goes back (a PATCH replaces a complex property), with only the groups changed.
      const url = `${CA}/${encodeURIComponent(id)}`;
      const raw = await graph.get<{ conditions: Record<string, unknown> & { users?: Record<string, unknown> } }>(
        url,
        'ca.read',
      );
      const conditions = { ...raw.conditions, users: { ...raw.conditions.users, includeGroups } };
      await graph.patch(url, 'ca.write', { conditions });
    },
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
    setActivationRules: (policyId, rules) => writeActivationRules(graph, policyId, rules),
  };
}
