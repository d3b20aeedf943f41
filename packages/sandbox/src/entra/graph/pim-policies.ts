/**
 * Graph PIM for Groups policies, as far as activation goes: the policy assigned to a group's membership
 * (`GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '{group}' and scopeType eq 'Group' and
 * roleDefinitionId eq 'member'`), the group's policies (`GET /policies/roleManagementPolicies?$filter=scopeId eq
 * '{group}' and scopeType eq 'Group'`, `$expand=rules`; `GET .../{id}`) and three of its rules
 * (`GET|PATCH /policies/roleManagementPolicies/{id}/rules/{ruleId}`): `Expiration_EndUser_Assignment`
 * (unifiedRoleManagementPolicyExpirationRule, `maximumDuration` of an activation), `Enablement_EndUser_Assignment`
 * (unifiedRoleManagementPolicyEnablementRule, `enabledRules` with `Justification`) and `Approval_EndUser_Assignment`
 * (unifiedRoleManagementPolicyApprovalRule, `setting` approvalSettings: isApprovalRequired, one unifiedApprovalStage
 * whose primaryApprovers are subject sets). Sources: learn.microsoft.com/graph/how-to-pim-update-rules,
 * api/unifiedrolemanagementpolicyrule-update, resources/approvalsettings, resources/unifiedapprovalstage
 * (RoleManagementPolicy.Read.AzureADGroup to read, RoleManagementPolicy.ReadWrite.AzureADGroup to write). The
 * other rules of a real policy are not modelled (GUESSES.md).
 */

import type { PimApprovalRule } from '../../world/entra-harden-state.js';
import { findGroup, findUser } from '../directory.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { durationMs, hardenOf } from '../harden/state.js';
import { bodyObject, ok, tenantOf } from './context.js';
import { notFound } from './odata.js';
import { DEFAULT_MAX_ACTIVATION } from './pim-groups.js';

const READ = ['RoleManagementPolicy.Read.AzureADGroup', 'RoleManagementPolicy.ReadWrite.AzureADGroup'];
const WRITE = ['RoleManagementPolicy.ReadWrite.AzureADGroup'];
const EXPIRATION = 'Expiration_EndUser_Assignment';
const ENABLEMENT = 'Enablement_EndUser_Assignment';
const APPROVAL = 'Approval_EndUser_Assignment';
/** Entra's default approval rule of a group: no approval, one empty stage. */
const NO_APPROVAL: PimApprovalRule = {
  isApprovalRequired: false,
  isRequestorJustificationRequired: true,
  isApproverJustificationRequired: true,
  primaryApprovers: [],
};

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
  if (ruleId === APPROVAL) {
    const rule = pim.approvalRules?.get(groupId) ?? NO_APPROVAL;
    return {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
      id: APPROVAL,
      target,
      setting: {
        isApprovalRequired: rule.isApprovalRequired,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: rule.isRequestorJustificationRequired,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: rule.isApproverJustificationRequired,
            escalationTimeInMinutes: 0,
            primaryApprovers: rule.primaryApprovers,
            isEscalationEnabled: false,
            escalationApprovers: [],
          },
        ],
      },
    };
  }
  throw notFound(ruleId);
}

/** Reads an approval rule's `setting`: approvers must name users or groups of the tenant (GUESSES.md). */
function readApprovalRule(request: GraphRequest, body: Record<string, unknown>): PimApprovalRule {
  const setting = (body.setting ?? null) as Record<string, unknown> | null;
  if (!setting || typeof setting.isApprovalRequired !== 'boolean')
    throw graphError(400, 'InvalidPolicyRule', "The approval rule needs 'setting.isApprovalRequired'.");
  const stages = Array.isArray(setting.approvalStages) ? (setting.approvalStages as Record<string, unknown>[]) : [];
  const stage = stages[0] ?? {};
  const approvers = Array.isArray(stage.primaryApprovers) ? (stage.primaryApprovers as Record<string, unknown>[]) : [];
  const entra = tenantOf(request);
  for (const a of approvers) {
    const type = a['@odata.type'];
    const known =
      (type === '#microsoft.graph.singleUser' && findUser(entra, String(a.userId ?? ''))) ||
      (type === '#microsoft.graph.groupMembers' && findGroup(entra, String(a.groupId ?? '')));
    if (!known)
      throw graphError(
        400,
        'InvalidPolicyRule',
        `The approver ${JSON.stringify(a)} is not a user or group of the tenant.`,
      );
  }
  if (setting.isApprovalRequired && approvers.length === 0)
    throw graphError(400, 'InvalidPolicyRule', 'An approval rule that requires approval needs at least one approver.');
  return {
    isApprovalRequired: setting.isApprovalRequired,
    isRequestorJustificationRequired: setting.isRequestorJustificationRequired !== false,
    isApproverJustificationRequired: stage.isApproverJustificationRequired !== false,
    primaryApprovers: approvers,
  };
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
  } else if (ruleId === APPROVAL) {
    pim.approvalRules ??= new Map();
    pim.approvalRules.set(groupId, readApprovalRule(request, body));
  } else throw notFound(ruleId);
  return ok(204);
}

function policyRecord(request: GraphRequest, groupId: string, withRules: boolean) {
  return {
    id: policyIdOf(groupId),
    displayName: 'Group',
    description: 'Group',
    isOrganizationDefault: false,
    scopeId: groupId,
    scopeType: 'Group',
    lastModifiedDateTime: null,
    lastModifiedBy: null,
    ...(withRules ? { rules: [EXPIRATION, ENABLEMENT, APPROVAL].map((r) => ruleRecord(request, groupId, r)) } : {}),
  };
}

const expandsRules = (request: GraphRequest) => /\brules\b/.test(request.query.get('$expand') ?? '');

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
    pattern: /^\/policies\/roleManagementPolicies$/,
    permissions: READ,
    handle: (request) => {
      const filter = request.query.get('$filter') ?? '';
      const m = /scopeId eq '([^']+)' and scopeType eq 'Group'/.exec(filter);
      if (!m) throw graphError(400, 'BadRequest', 'Filter on scopeId and scopeType is required.');
      if (!findGroup(tenantOf(request), m[1])) return ok(200, { value: [] });
      return ok(200, { value: [policyRecord(request, m[1], expandsRules(request))] });
    },
  },
  {
    method: 'GET',
    pattern: /^\/policies\/roleManagementPolicies\/([^/]+)$/,
    permissions: READ,
    handle: (request, m) => ok(200, policyRecord(request, groupOfPolicy(request, m[1]), expandsRules(request))),
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
