/**
 * Graph PIM for Groups policies, as far as activation goes: the policy assigned to a group's membership
 * (`GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '{group}' and scopeType eq 'Group' and
 * roleDefinitionId eq 'member'`) and two of its rules (`GET|PATCH /policies/roleManagementPolicies/{id}/rules/{ruleId}`):
 * `Expiration_EndUser_Assignment` (unifiedRoleManagementPolicyExpirationRule, `maximumDuration` of an activation)
 * and `Enablement_EndUser_Assignment` (unifiedRoleManagementPolicyEnablementRule, `enabledRules` with
 * `Justification`). Source: learn.microsoft.com/graph/how-to-pim-update-rules and unifiedrolemanagementpolicyrule-update
 * (RoleManagementPolicy.ReadWrite.AzureADGroup). Other rules (approval) are not modelled (GUESSES.md).
 */
import { findGroup } from '../directory.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { durationMs, hardenOf } from '../harden/state.js';
import { bodyObject, ok, tenantOf } from './context.js';
import { notFound } from './odata.js';
import { DEFAULT_MAX_ACTIVATION } from './pim-groups.js';

const READ = ['RoleManagementPolicy.Read.AzureADGroup', 'RoleManagementPolicy.ReadWrite.AzureADGroup'];
const WRITE = ['RoleManagementPolicy.ReadWrite.AzureADGroup'];
const EXPIRATION = 'Expiration_EndUser_Assignment';
const ENABLEMENT = 'Enablement_EndUser_Assignment';

const policyIdOf = (groupId: string) => `Group_${groupId}_member`;

function groupOfPolicy(request: GraphRequest, policyId: string): string {
  const m = /^Group_(.+)_member$/.exec(policyId);
  if (!m || !findGroup(tenantOf(request), m[1])) throw notFound(policyId);
  return m[1];
}

function ruleRecord(request: GraphRequest, groupId: string, ruleId: string) {
  const pim = hardenOf(tenantOf(request)).pim;
  const target = {
    caller: 'EndUser',
    operations: ['All'],
    level: 'Assignment',
    inheritableSettings: [],
    enforcedSettings: [],
  };
  if (ruleId === EXPIRATION)
    return {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      id: EXPIRATION,
      isExpirationRequired: true,
      maximumDuration: pim.maxActivation.get(groupId) ?? DEFAULT_MAX_ACTIVATION,
      target,
    };
  if (ruleId === ENABLEMENT)
    return {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
      id: ENABLEMENT,
      enabledRules: pim.justificationOptional?.has(groupId) ? [] : ['Justification'],
      target,
    };
  throw notFound(ruleId);
}

function patchRule(request: GraphRequest, groupId: string, ruleId: string) {
  const pim = hardenOf(tenantOf(request)).pim;
  const body = bodyObject(request);
  if (ruleId === EXPIRATION) {
    const max = String(body.maximumDuration ?? '');
    if (durationMs(max) === null || durationMs(max)! > 24 * 3_600_000)
      throw graphError(400, 'InvalidPolicyRule', `The maximumDuration '${max}' is not valid: at most PT24H.`);
    pim.maxActivation.set(groupId, max);
  } else if (ruleId === ENABLEMENT) {
    const rules = Array.isArray(body.enabledRules) ? body.enabledRules.map(String) : [];
    pim.justificationOptional ??= new Set();
    if (rules.includes('Justification')) pim.justificationOptional.delete(groupId);
    else pim.justificationOptional.add(groupId);
  } else throw notFound(ruleId);
  return ok(204);
}

/** Handlers for the PIM for Groups policy of a group's membership. */
export const pimPolicyHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: /^\/policies\/roleManagementPolicyAssignments$/,
    permissions: READ,
    handle: (request) => {
      const filter = request.query.get('$filter') ?? '';
      const m = /scopeId eq '([^']+)' and scopeType eq 'Group' and roleDefinitionId eq '(member|owner)'/.exec(filter);
      if (!m) throw graphError(400, 'BadRequest', 'Filter on scopeId, scopeType and roleDefinitionId is required.');
      if (!findGroup(tenantOf(request), m[1]) || m[2] !== 'member') return ok(200, { value: [] });
      const policyId = policyIdOf(m[1]);
      return ok(200, {
        value: [{ id: `${policyId}_${m[2]}`, policyId, scopeId: m[1], scopeType: 'Group', roleDefinitionId: m[2] }],
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/policies\/roleManagementPolicies\/([^/]+)\/rules\/([^/]+)$/,
    permissions: READ,
    handle: (request, m) => ok(200, ruleRecord(request, groupOfPolicy(request, m[1]), m[2])),
  },
  {
    method: 'PATCH',
    pattern: /^\/policies\/roleManagementPolicies\/([^/]+)\/rules\/([^/]+)$/,
    permissions: WRITE,
    handle: (request, m) => patchRule(request, groupOfPolicy(request, m[1]), m[2]),
  },
];
