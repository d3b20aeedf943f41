/**
 * The records of PIM for Groups as Graph answers them (schedules and requests, v1.0
 * privilegedAccessGroupEligibilitySchedule, privilegedAccessGroupAssignmentSchedule and their requests), the
 * licensing refusal, and the list handlers (which Graph serves only with a `$filter` on groupId or principalId).
 */
import type { PimRequest, PimSchedule } from '../../world/entra-harden-state.js';
import { type GraphRequest, graphError } from '../graph-types.js';
import { hardenOf } from '../harden/state.js';
import { tenantOf } from './context.js';
import { type CollectionSpec, type GraphRecord, listCollection } from './odata.js';

/** The properties the PIM records carry (schedules, requests). */
const FIELDS = [
  'id',
  'groupId',
  'principalId',
  'accessId',
  'memberType',
  'assignmentType',
  'status',
  'action',
  'justification',
  'scheduleInfo',
  'createdDateTime',
  'createdUsing',
  'targetScheduleId',
  'approvalId',
];

const spec = (type: string, context: string): CollectionSpec => ({
  type: `microsoft.graph.${type}`,
  context: `identityGovernance/privilegedAccess/group/${context}`,
  defaultSelect: FIELDS,
  selectable: [...FIELDS, 'isValidationOnly'],
  filterable: ['groupId', 'principalId', 'accessId', 'status', 'assignmentType'],
});

/** The licensing refusal of a tenant without Entra ID P2 (message: see GUESSES.md). */
export function requireLicence(request: GraphRequest): void {
  if (!hardenOf(tenantOf(request)).licences.premiumP2)
    throw graphError(
      403,
      'AadPremiumLicenseRequired',
      'The tenant needs an AAD Premium 2 license. Privileged Identity Management requires Microsoft Entra ID P2 or Microsoft Entra ID Governance.',
    );
}

function scheduleRecord(s: PimSchedule, withType: boolean): GraphRecord {
  return {
    id: s.id,
    groupId: s.groupId,
    principalId: s.principalId,
    accessId: s.accessId,
    memberType: 'direct',
    status: 'Provisioned',
    createdDateTime: s.createdDateTime.toISOString(),
    createdUsing: s.createdUsing,
    ...(withType ? { assignmentType: s.assignmentType } : {}),
    scheduleInfo: {
      startDateTime: s.startDateTime.toISOString(),
      recurrence: null,
      expiration: s.endDateTime
        ? { type: 'afterDateTime', endDateTime: s.endDateTime.toISOString(), duration: null }
        : { type: 'noExpiration', endDateTime: null, duration: null },
    },
  };
}

/** A schedule request as Graph answers it. */
export function requestRecord(r: PimRequest): GraphRecord {
  return {
    id: r.id,
    groupId: r.groupId,
    principalId: r.principalId,
    accessId: r.accessId,
    action: r.action,
    status: r.status,
    justification: r.justification,
    createdDateTime: r.createdDateTime.toISOString(),
    scheduleInfo: r.scheduleInfo,
    targetScheduleId: r.targetScheduleId,
    approvalId: r.approvalId ?? null,
    isValidationOnly: false,
  };
}

/** Graph requires `$filter` on groupId or principalId for these lists. */
function requireScopeFilter(request: GraphRequest): void {
  const filter = request.query.get('$filter') ?? '';
  if (!/\b(groupId|principalId)\s+eq\s+'/.test(filter))
    throw graphError(400, 'BadRequest', "Filter on 'groupId' or 'principalId' is required.");
}

/** Lists eligibilities or active assignments. */
export function scheduleList(kind: 'eligibilities' | 'assignments', type: string, context: string) {
  return (request: GraphRequest) => {
    requireLicence(request);
    requireScopeFilter(request);
    const records = [...hardenOf(tenantOf(request)).pim[kind].values()].map((s) =>
      scheduleRecord(s, kind === 'assignments'),
    );
    return listCollection(request, records, spec(type, context));
  };
}

/** Lists eligibility or assignment requests. */
export function requestList(kind: PimRequest['kind'], type: string, context: string) {
  return (request: GraphRequest) => {
    requireLicence(request);
    requireScopeFilter(request);
    const records = hardenOf(tenantOf(request))
      .pim.requests.filter((r) => r.kind === kind)
      .map(requestRecord);
    return listCollection(request, records, spec(type, context));
  };
}
