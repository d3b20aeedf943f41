/**
 * The activation rules of a group's membership in PIM for Groups, through Graph's unifiedRoleManagementPolicy: the
 * policy is found through its assignment (`GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '{group}'
 * and scopeType eq 'Group' and roleDefinitionId eq 'member'`; the member policy, not the owner one), then three of
 * its rules are read and patched (`/policies/roleManagementPolicies/{policyId}/rules/{ruleId}`):
 * `Expiration_EndUser_Assignment` (maximumDuration), `Enablement_EndUser_Assignment` (enabledRules `Justification`)
 * and `Approval_EndUser_Assignment` (approvalSettings: isApprovalRequired, one stage whose primaryApprovers are
 * `#microsoft.graph.singleUser` {userId} or `#microsoft.graph.groupMembers` {groupId}). Sources:
 * learn.microsoft.com/graph/how-to-pim-update-rules, api/unifiedrolemanagementpolicyrule-update,
 * resources/approvalsettings, resources/unifiedapprovalstage (v1.0; RoleManagementPolicy.ReadWrite.AzureADGroup).
 */
import type { ActivationRules, ApprovalRule, Approver } from '../core/reconcile/changes-harden.js';
import type { GraphApi } from './graph-client.js';
import type { ActivationRulesRecord } from './harden-ports.js';

const RULES = '/policies/roleManagementPolicies';
const EXPIRATION = 'Expiration_EndUser_Assignment';
const ENABLEMENT = 'Enablement_EndUser_Assignment';
const APPROVAL = 'Approval_EndUser_Assignment';
const USER = '#microsoft.graph.singleUser';
const GROUP = '#microsoft.graph.groupMembers';

type Subject = Record<string, unknown>;
type RawApproval = { setting?: { isApprovalRequired?: boolean; approvalStages?: { primaryApprovers?: Subject[] }[] } };

function approverOf(subject: Subject): Approver {
  const type = subject['@odata.type'];
  if (type === USER && typeof subject.userId === 'string') return { kind: 'user', id: subject.userId };
  if (type === GROUP && typeof subject.groupId === 'string') return { kind: 'group', id: subject.groupId };
  return { kind: 'other', subject };
}

function subjectOf(a: Approver): Subject {
  if (a.kind === 'other') return a.subject;
  return a.kind === 'user' ? { '@odata.type': USER, userId: a.id } : { '@odata.type': GROUP, groupId: a.id };
}

function approvalOf(raw: RawApproval): ApprovalRule {
  const stage = raw.setting?.approvalStages?.[0];
  return {
    required: raw.setting?.isApprovalRequired === true,
    approvers: (stage?.primaryApprovers ?? []).map(approverOf),
  };
}

const ruleUrl = (policyId: string, ruleId: string) => `${RULES}/${encodeURIComponent(policyId)}/rules/${ruleId}`;

/** The member policy of a group and its activation rules; null when the group has no PIM policy. */
export async function readActivationRules(graph: GraphApi, groupId: string): Promise<ActivationRulesRecord | null> {
  const filter = `scopeId eq '${groupId}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`;
  const { items } = await graph.pages<{ policyId: string }>(
    `/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(filter)}`,
    'pim.policy.read',
  );
  const policyId = items[0]?.policyId;
  if (!policyId) return null;
  const [expiration, enablement, approval] = await Promise.all([
    graph.get<{ maximumDuration?: string }>(ruleUrl(policyId, EXPIRATION), 'pim.policy.read'),
    graph.get<{ enabledRules?: string[] }>(ruleUrl(policyId, ENABLEMENT), 'pim.policy.read'),
    graph.get<RawApproval>(ruleUrl(policyId, APPROVAL), 'pim.policy.read'),
  ]);
  return {
    policyId,
    maxActivation: expiration.maximumDuration ?? '',
    justification: (enablement.enabledRules ?? []).includes('Justification'),
    approval: approvalOf(approval),
  };
}

/**
 * Writes the rules; the approval rule only when `rules.approval` is given (older journaled changes lack it). The
 * enablement and approval rules are read first and only the parts the tool manages change: other enabled rules
 * (MultiFactorAuthentication, Ticketing) and the stage's other settings (timeout, escalation) stay as they are.
 */
export async function writeActivationRules(graph: GraphApi, policyId: string, rules: ActivationRules): Promise<void> {
  const target = { caller: 'EndUser', operations: ['All'], level: 'Assignment' };
  await graph.patch(ruleUrl(policyId, EXPIRATION), 'pim.policy.write', {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
    id: EXPIRATION,
    isExpirationRequired: true,
    maximumDuration: rules.maxActivation,
    target,
  });
  const enablement = await graph.get<{ enabledRules?: string[] }>(ruleUrl(policyId, ENABLEMENT), 'pim.policy.read');
  const others = (enablement.enabledRules ?? []).filter((r) => r !== 'Justification');
  await graph.patch(ruleUrl(policyId, ENABLEMENT), 'pim.policy.write', {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
    id: ENABLEMENT,
    enabledRules: rules.justification ? [...others, 'Justification'] : others,
    target,
  });
  if (!rules.approval) return;
  const current = await graph.get<RawApproval>(ruleUrl(policyId, APPROVAL), 'pim.policy.read');
  // One stage, as Entra's own default rule has (approvers empty when no approval is required).
  const stage = {
    approvalStageTimeOutInDays: 1,
    isApproverJustificationRequired: true,
    escalationTimeInMinutes: 0,
    isEscalationEnabled: false,
    escalationApprovers: [],
    ...current.setting?.approvalStages?.[0],
    primaryApprovers: rules.approval.approvers.map(subjectOf),
  };
  await graph.patch(ruleUrl(policyId, APPROVAL), 'pim.policy.write', {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: APPROVAL,
    target,
    setting: {
      isApprovalRequiredForExtension: false,
      approvalMode: 'SingleStage',
      ...current.setting,
      isApprovalRequired: rules.approval.required,
      isRequestorJustificationRequired: rules.justification,
      approvalStages: [stage],
    },
  });
}
