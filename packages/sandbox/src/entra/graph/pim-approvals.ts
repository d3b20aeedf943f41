/**
 * Graph PIM for Groups approvals (v1.0). When a group's `Approval_EndUser_Assignment` rule requires approval, a
 * selfActivate request is held: status `PendingApproval`, `approvalId` the request's own id, no schedule and no
 * membership yet, and one approval stage for the rule's primary approvers. An approver decides it with
 * `PATCH /identityGovernance/privilegedAccess/group/assignmentApprovals/{requestId}/stages/{stageId}`
 * `{reviewResult: 'Approve' | 'Deny', justification}` (204; 409 once decided; the PIM page writes the path with
 * `/steps/`, the approval resource calls them `stages`: both are served), and reads it with `GET
 * .../assignmentApprovals/{requestId}` (the approval with its stages; `assignedToMe` for the caller). Approved: the
 * activation starts then, for the length asked, and the member joins the group; denied: status `Denied`. Delegated
 * calls only (application permissions are "Not supported"). Sources: learn.microsoft.com/graph/api/approval-get,
 * api/approvalstage-update, resources/approvalstage, resources/privilegedaccessgroupassignmentschedulerequest.
 */
import type { PimApproval, PimApprovalRule, PimRequest, PimSchedule } from '../../world/entra-harden-state.js';
import { addMember, findGroup, findUser, transitiveMemberOfIds } from '../directory.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { hardenOf } from '../harden/state.js';
import { bodyObject, nowOf, ok, tenantOf } from './context.js';
import { notFound } from './odata.js';
import { requestRecord, requireLicence } from './pim-records.js';

const READ = ['PrivilegedAssignmentSchedule.Read.AzureADGroup', 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
const WRITE = ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
const BASE = '^/identityGovernance/privilegedAccess/group/assignmentApprovals';

/** The selfActivate to hold for approval. */
export type HeldActivation = {
  groupId: string;
  principalId: string;
  accessId: 'member' | 'owner';
  justification: string | null;
  scheduleInfo: unknown;
  durationMs: number;
};

/** Holds a selfActivate for the rule's approvers: the request answers `PendingApproval`, nothing is granted yet. */
export function holdForApproval(request: GraphRequest, held: HeldActivation, rule: PimApprovalRule) {
  const pim = hardenOf(tenantOf(request)).pim;
  const id = crypto.randomUUID();
  const r: PimRequest = {
    id,
    kind: 'assignment',
    action: 'selfActivate',
    groupId: held.groupId,
    principalId: held.principalId,
    accessId: held.accessId,
    status: 'PendingApproval',
    justification: held.justification,
    createdDateTime: nowOf(request),
    scheduleInfo: held.scheduleInfo,
    targetScheduleId: null,
    approvalId: id,
  };
  pim.requests.push(r);
  pim.approvals ??= new Map();
  pim.approvals.set(id, {
    id,
    stageId: crypto.randomUUID(),
    status: 'InProgress',
    reviewResult: 'NotReviewed',
    reviewedBy: null,
    reviewedDateTime: null,
    justification: '',
    approvers: rule.primaryApprovers,
    isApproverJustificationRequired: rule.isApproverJustificationRequired,
    activation: {
      groupId: held.groupId,
      principalId: held.principalId,
      durationMs: held.durationMs,
      justification: held.justification,
    },
  });
  return ok(201, {
    '@odata.context': `${request.baseUrl}/$metadata#assignmentScheduleRequests/$entity`,
    ...requestRecord(r),
  });
}

/** True when the user is one of the stage's approvers (a named user, or a member of a named group). */
function isApprover(request: GraphRequest, approval: PimApproval, userId: string): boolean {
  const groups = new Set(transitiveMemberOfIds(tenantOf(request), userId));
  return approval.approvers.some(
    (s) =>
      (s['@odata.type'] === '#microsoft.graph.singleUser' && s.userId === userId) ||
      (s['@odata.type'] === '#microsoft.graph.groupMembers' && groups.has(String(s.groupId))),
  );
}

function delegatedUser(request: GraphRequest): string {
  const userId = request.caller.userId;
  if (!userId)
    throw graphError(
      403,
      'Authorization_RequestDenied',
      'Approvals in PIM for Groups are not supported with application permissions: call as the approver (delegated).',
    );
  return userId;
}

function approvalOr404(request: GraphRequest, id: string): PimApproval {
  const approval = hardenOf(tenantOf(request)).pim.approvals?.get(id);
  if (!approval) throw notFound(id);
  return approval;
}

function approvalRecord(request: GraphRequest, a: PimApproval) {
  const userId = request.caller.userId ?? '';
  return {
    '@odata.context': `${request.baseUrl}/$metadata#identityGovernance/privilegedAccess/group/assignmentApprovals/$entity`,
    id: a.id,
    stages: [
      {
        id: a.stageId,
        displayName: null,
        reviewedDateTime: a.reviewedDateTime?.toISOString() ?? null,
        reviewResult: a.reviewResult === 'NotReviewed' ? 'NotReviewed' : a.reviewResult,
        status: a.status,
        assignedToMe: a.status === 'InProgress' && isApprover(request, a, userId),
        justification: a.justification,
        reviewedBy: a.reviewedBy,
      },
    ],
  };
}

/** Applies an approver's decision: approved, the activation starts now; denied, the request ends there. */
function decide(request: GraphRequest, id: string, stageId: string) {
  requireLicence(request);
  const userId = delegatedUser(request);
  const approval = approvalOr404(request, id);
  if (approval.stageId !== stageId) throw notFound(stageId);
  const entra = tenantOf(request);
  const pim = hardenOf(entra).pim;
  const held = pim.requests.find((r) => r.id === id)!;
  if (approval.status !== 'InProgress')
    throw graphError(409, 'Conflict', 'The request has already been reviewed in this approval stage.');
  if (userId === held.principalId || !isApprover(request, approval, userId))
    throw graphError(403, 'Authorization_RequestDenied', 'The caller is not an approver of this request.');
  const body = bodyObject(request);
  const result = body.reviewResult;
  if (result !== 'Approve' && result !== 'Deny')
    throw graphError(400, 'BadRequest', "reviewResult must be 'Approve' or 'Deny'.");
  const justification = typeof body.justification === 'string' ? body.justification : '';
  if (approval.isApproverJustificationRequired && !justification.trim())
    throw graphError(400, 'BadRequest', 'A justification is required to review this request.');
  const now = nowOf(request);
  const user = findUser(entra, userId);
  Object.assign(approval, {
    status: 'Completed',
    reviewResult: result,
    reviewedBy: { id: userId, displayName: user?.displayName ?? '' },
    reviewedDateTime: now,
    justification,
  });
  if (result === 'Deny') {
    held.status = 'Denied';
    return ok(204);
  }
  const { activation } = approval;
  const eligibility = [...pim.eligibilities.values()].find(
    (s) => s.groupId === activation.groupId && s.principalId === activation.principalId && s.accessId === 'member',
  );
  const group = findGroup(entra, activation.groupId);
  if (!eligibility || !group) {
    held.status = 'Failed';
    return ok(204);
  }
  const s: PimSchedule = {
    ...eligibility,
    id: crypto.randomUUID(),
    createdDateTime: now,
    startDateTime: now,
    endDateTime: new Date(now.getTime() + activation.durationMs),
    assignmentType: 'activated',
    createdUsing: eligibility.id,
    justification: activation.justification,
  };
  pim.assignments.set(s.id, s);
  addMember(entra, group, activation.principalId, now);
  held.status = 'Provisioned';
  held.targetScheduleId = s.id;
  return ok(204);
}

/** Handlers for PIM for Groups approvals. */
export const pimApprovalHandlers: GraphHandler[] = [
  {
    method: 'GET',
    pattern: new RegExp(`${BASE}/([^/]+)$`),
    permissions: READ,
    handle: (request, m) => {
      requireLicence(request);
      delegatedUser(request);
      return ok(200, approvalRecord(request, approvalOr404(request, m[1])));
    },
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`${BASE}/([^/]+)/(?:stages|steps)/([^/]+)$`),
    permissions: WRITE,
    handle: (request, m) => decide(request, m[1], m[2]),
  },
];
