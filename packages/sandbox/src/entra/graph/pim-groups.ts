/**
 * Graph PIM for Groups (`/identityGovernance/privilegedAccess/group/...`, v1.0): eligibility and assignment
 * schedule requests (`action` adminAssign | adminRemove | selfActivate | selfDeactivate, `justification`,
 * `scheduleInfo.expiration` noExpiration | afterDateTime | afterDuration) and the schedules they make, listed with
 * `$filter=groupId eq '...'` (learn.microsoft.com/graph/api/resources/privilegedaccessgroupeligibilityschedulerequest,
 * .../privilegedaccessgroupassignmentschedulerequest). An eligible member is not in the group; a selfActivate puts
 * them in it until the activation ends on the virtual clock (harden/state.ts sweeps). Permissions: the
 * PrivilegedEligibilitySchedule.*.AzureADGroup and PrivilegedAssignmentSchedule.*.AzureADGroup pairs. A group whose
 * approval rule requires approval holds a selfActivate until an approver decides (pim-approvals.ts). A tenant
 * without Entra ID P2 is refused with a licensing 403 (see GUESSES.md).
 */
import type { PimRequest, PimSchedule } from '../../world/entra-harden-state.js';
import { addMember, findGroup, findUser } from '../directory.js';
import { type GraphHandler, type GraphRequest, graphError } from '../graph-types.js';
import { durationMs, endAssignment, hardenOf } from '../harden/state.js';
import { bodyObject, nowOf, ok, tenantOf } from './context.js';
import { notFound } from './odata.js';
import { holdForApproval } from './pim-approvals.js';
import { requestList, requestRecord, requireLicence, scheduleList } from './pim-records.js';

const ELIGIBILITY_READ = [
  'PrivilegedEligibilitySchedule.Read.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
];
const ELIGIBILITY_WRITE = ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'];
const ASSIGNMENT_READ = [
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
];
const ASSIGNMENT_WRITE = ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];
const BASE = '^/identityGovernance/privilegedAccess/group';
/** Entra's default PIM for Groups policy: activations of at most 8 hours, with a justification. */
export const DEFAULT_MAX_ACTIVATION = 'PT8H';

/** PIM's refusal when a policy rule fails (RoleAssignmentRequestPolicyValidationFailed, rules named). */
const ruleFailed = (rule: string) =>
  graphError(400, 'RoleAssignmentRequestPolicyValidationFailed', `The following policy rules failed: ["${rule}"]`);

/** The end of a schedule from `scheduleInfo.expiration`; null for noExpiration. */
function endOf(info: Record<string, unknown> | undefined, start: Date): Date | null {
  const exp = (info?.expiration ?? { type: 'noExpiration' }) as Record<string, unknown>;
  if (exp.type === 'afterDateTime') return new Date(String(exp.endDateTime));
  if (exp.type === 'afterDuration') {
    const ms = durationMs(String(exp.duration ?? ''));
    if (ms === null) throw graphError(400, 'InvalidScheduleRequest', `Invalid duration '${String(exp.duration)}'.`);
    return new Date(start.getTime() + ms);
  }
  return null;
}

type Parsed = {
  action: string;
  groupId: string;
  principalId: string;
  accessId: 'member' | 'owner';
  body: Record<string, unknown>;
};

function parse(request: GraphRequest): Parsed {
  const body = bodyObject(request);
  const entra = tenantOf(request);
  const groupId = String(body.groupId ?? '');
  const principalId = String(body.principalId ?? '');
  if (body.accessId !== 'member' && body.accessId !== 'owner')
    throw graphError(400, 'InvalidScheduleRequest', "accessId must be 'member' or 'owner'.");
  if (!findGroup(entra, groupId)) throw notFound(groupId);
  if (!findUser(entra, principalId) && !findGroup(entra, principalId)) throw notFound(principalId);
  return { action: String(body.action ?? ''), groupId, principalId, accessId: body.accessId, body };
}

function recordRequest(
  request: GraphRequest,
  kind: PimRequest['kind'],
  p: Parsed,
  status: string,
  target: string | null,
) {
  const r: PimRequest = {
    id: crypto.randomUUID(),
    kind,
    action: p.action,
    groupId: p.groupId,
    principalId: p.principalId,
    accessId: p.accessId,
    status,
    justification: typeof p.body.justification === 'string' ? p.body.justification : null,
    createdDateTime: nowOf(request),
    scheduleInfo: p.body.scheduleInfo ?? null,
    targetScheduleId: target,
  };
  hardenOf(tenantOf(request)).pim.requests.push(r);
  return ok(201, {
    '@odata.context': `${request.baseUrl}/$metadata#${kind}ScheduleRequests/$entity`,
    ...requestRecord(r),
  });
}

/** The schedule an adminAssign makes (eligible, or active as an admin assigned it). */
function adminSchedule(p: Parsed, now: Date): PimSchedule {
  return {
    id: crypto.randomUUID(),
    groupId: p.groupId,
    principalId: p.principalId,
    accessId: p.accessId,
    createdDateTime: now,
    startDateTime: now,
    endDateTime: endOf(p.body.scheduleInfo as Record<string, unknown>, now),
    assignmentType: 'assigned',
    createdUsing: crypto.randomUUID(),
    justification: typeof p.body.justification === 'string' ? p.body.justification : null,
  };
}

const same = (p: Parsed) => (s: PimSchedule) =>
  s.groupId === p.groupId && s.principalId === p.principalId && s.accessId === p.accessId;

function eligibilityRequest(request: GraphRequest) {
  requireLicence(request);
  const p = parse(request);
  const pim = hardenOf(tenantOf(request)).pim;
  const existing = [...pim.eligibilities.values()].find(same(p));
  const now = nowOf(request);
  if (p.action === 'adminAssign') {
    if (existing) throw graphError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
    const s = adminSchedule(p, now);
    pim.eligibilities.set(s.id, s);
    return recordRequest(request, 'eligibility', p, 'Provisioned', s.id);
  }
  if (p.action === 'adminRemove') {
    if (!existing) throw graphError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
    pim.eligibilities.delete(existing.id);
    return recordRequest(request, 'eligibility', p, 'Revoked', existing.id);
  }
  throw graphError(400, 'InvalidScheduleRequest', `The action '${p.action}' is not supported for this request.`);
}

/** Activates an eligibility for a while: the member joins the group until the activation ends. */
function selfActivate(request: GraphRequest, p: Parsed) {
  const entra = tenantOf(request);
  const pim = hardenOf(entra).pim;
  const now = nowOf(request);
  const eligibility = [...pim.eligibilities.values()].find(same(p));
  if (!eligibility || (eligibility.endDateTime && eligibility.endDateTime <= now))
    throw graphError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
  const approval = pim.approvalRules?.get(p.groupId);
  const needsJustification =
    !pim.justificationOptional?.has(p.groupId) ||
    Boolean(approval?.isApprovalRequired && approval.isRequestorJustificationRequired);
  if (needsJustification && (typeof p.body.justification !== 'string' || !p.body.justification.trim()))
    throw ruleFailed('JustificationRule');
  const end = endOf(p.body.scheduleInfo as Record<string, unknown>, now);
  const max = durationMs(pim.maxActivation.get(p.groupId) ?? DEFAULT_MAX_ACTIVATION)!;
  if (!end || end.getTime() - now.getTime() > max) throw ruleFailed('ExpirationRule');
  if (approval?.isApprovalRequired) {
    const justification = typeof p.body.justification === 'string' ? p.body.justification : null;
    const durationMs = end.getTime() - now.getTime();
    return holdForApproval(
      request,
      { ...p, justification, scheduleInfo: p.body.scheduleInfo ?? null, durationMs },
      approval,
    );
  }
  const s: PimSchedule = {
    ...eligibility,
    id: crypto.randomUUID(),
    createdDateTime: now,
    startDateTime: now,
    endDateTime: end,
    assignmentType: 'activated',
    createdUsing: eligibility.id,
    justification: typeof p.body.justification === 'string' ? p.body.justification : null,
  };
  pim.assignments.set(s.id, s);
  addMember(entra, findGroup(entra, p.groupId)!, p.principalId, now);
  return recordRequest(request, 'assignment', p, 'Provisioned', s.id);
}

function assignmentRequest(request: GraphRequest) {
  requireLicence(request);
  const p = parse(request);
  const entra = tenantOf(request);
  const pim = hardenOf(entra).pim;
  const now = nowOf(request);
  const active = [...pim.assignments.values()].filter(same(p));
  if (p.action === 'selfActivate') return selfActivate(request, p);
  if (p.action === 'adminRemove' || p.action === 'selfDeactivate') {
    if (active.length === 0) throw graphError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
    for (const a of active) endAssignment(entra, a, now);
    return recordRequest(request, 'assignment', p, 'Revoked', active[0].id);
  }
  if (p.action === 'adminAssign') {
    if (active.length) throw graphError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
    const s = adminSchedule(p, now);
    pim.assignments.set(s.id, s);
    addMember(entra, findGroup(entra, p.groupId)!, p.principalId, now);
    return recordRequest(request, 'assignment', p, 'Provisioned', s.id);
  }
  throw graphError(400, 'InvalidScheduleRequest', `The action '${p.action}' is not supported for this request.`);
}

/** Handlers for PIM for Groups. */
export const pimGroupHandlers: GraphHandler[] = [
  {
    method: 'POST',
    pattern: new RegExp(`${BASE}/eligibilityScheduleRequests$`),
    permissions: ELIGIBILITY_WRITE,
    handle: eligibilityRequest,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${BASE}/eligibilityScheduleRequests$`),
    permissions: ELIGIBILITY_READ,
    handle: requestList(
      'eligibility',
      'privilegedAccessGroupEligibilityScheduleRequest',
      'eligibilityScheduleRequests',
    ),
  },
  {
    method: 'GET',
    pattern: new RegExp(`${BASE}/eligibilitySchedules$`),
    permissions: ELIGIBILITY_READ,
    handle: scheduleList('eligibilities', 'privilegedAccessGroupEligibilitySchedule', 'eligibilitySchedules'),
  },
  {
    method: 'POST',
    pattern: new RegExp(`${BASE}/assignmentScheduleRequests$`),
    permissions: ASSIGNMENT_WRITE,
    handle: assignmentRequest,
  },
  {
    method: 'GET',
    pattern: new RegExp(`${BASE}/assignmentScheduleRequests$`),
    permissions: ASSIGNMENT_READ,
    handle: requestList('assignment', 'privilegedAccessGroupAssignmentScheduleRequest', 'assignmentScheduleRequests'),
  },
  {
    method: 'GET',
    pattern: new RegExp(`${BASE}/(assignmentSchedules|assignmentScheduleInstances)$`),
    permissions: ASSIGNMENT_READ,
    handle: (request, m) => scheduleList('assignments', 'privilegedAccessGroupAssignmentSchedule', m[1])(request),
  },
];
