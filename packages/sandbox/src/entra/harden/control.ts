/**
 * The sandbox's Conditional Access and PIM knobs under `/_sandbox/entra/` (not part of Entra): the tenant's
 * licences (`POST licences {"premiumP1": false}` makes Graph answer with its licensing 403), a person activating
 * their eligible membership as they would in the My Access portal (`POST pim/activate {upn, group, duration,
 * justification}`: the same selfActivate request Graph serves), an approver deciding a held activation (`POST
 * pim/approve {upn, request, decision: Approve|Deny, justification}`: the approval stage update Graph serves), and
 * the sign-in log with each policy's result (`GET signins`).
 */
import type { SandboxContext } from '../../sandbox-context.js';
import type { SandboxResponse } from '../../server/http-types.js';
import type { EntraState } from '../../world/entra-state.js';
import { findUser, liveGroups } from '../directory.js';
import { pimApprovalHandlers } from '../graph/pim-approvals.js';
import { pimGroupHandlers } from '../graph/pim-groups.js';
import { runGraphCall } from '../graph/router.js';
import { jsonResponse } from '../http.js';
import { hardenOf } from './state.js';

type Input = Record<string, unknown>;

async function activate(sandbox: SandboxContext, entra: EntraState, input: Input): Promise<SandboxResponse> {
  const user = findUser(entra, String(input.upn ?? ''));
  const group = liveGroups(entra).find((g) => g.id === input.group || g.displayName === input.group);
  if (!user || !group) return jsonResponse(404, { error: 'NotFound', message: 'no such user or group' });
  const result = await runGraphCall(
    sandbox,
    pimGroupHandlers,
    {
      method: 'POST',
      path: '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests',
      query: new URLSearchParams(),
      headers: {},
      baseUrl: '',
      body: {
        accessId: 'member',
        principalId: user.id,
        groupId: group.id,
        action: 'selfActivate',
        justification: input.justification,
        scheduleInfo: {
          startDateTime: sandbox.world.clock.now().toISOString(),
          expiration: { type: 'afterDuration', duration: String(input.duration ?? 'PT1H') },
        },
      },
    },
    // The person acts for themselves (a delegated call in Entra).
    portalCaller(entra, user.id),
  );
  return jsonResponse(result.status, result.body);
}

/** The person in the My Access portal, as a delegated Graph caller (the sandbox lets them through its own door). */
function portalCaller(entra: EntraState, userId: string) {
  return {
    appId: 'my-access-portal',
    tenantId: entra.tenantId,
    roles: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
    userId,
  };
}

/**
 * An approver deciding a held activation in the My Access portal (`POST pim/approve {upn, request, decision,
 * justification}`): reads the approval as they would, then answers its stage through the Graph call Entra serves.
 */
async function approve(sandbox: SandboxContext, entra: EntraState, input: Input): Promise<SandboxResponse> {
  const user = findUser(entra, String(input.upn ?? ''));
  if (!user) return jsonResponse(404, { error: 'NotFound', message: 'no such user' });
  const path = `/identityGovernance/privilegedAccess/group/assignmentApprovals/${String(input.request ?? '')}`;
  const call = (method: string, at: string, body?: unknown) =>
    runGraphCall(
      sandbox,
      pimApprovalHandlers,
      { method, path: at, query: new URLSearchParams(), headers: {}, baseUrl: '', body },
      portalCaller(entra, user.id),
    );
  const read = await call('GET', path);
  if (read.status !== 200) return jsonResponse(read.status, read.body);
  const stage = (read.body as { stages: { id: string }[] }).stages[0];
  const decided = await call('PATCH', `${path}/stages/${stage.id}`, {
    reviewResult: input.decision === 'Deny' ? 'Deny' : 'Approve',
    justification: input.justification,
  });
  return jsonResponse(decided.status, decided.body ?? {});
}

/** Answers the harden knobs; null when the path is not one of them. */
export async function handleHardenControl(
  sandbox: SandboxContext,
  entra: EntraState,
  method: string,
  path: string,
  input: Input,
): Promise<SandboxResponse | null> {
  const state = hardenOf(entra);
  if (path === '/_sandbox/entra/licences' && method === 'POST') {
    if (input.premiumP1 !== undefined) state.licences.premiumP1 = input.premiumP1 === true;
    if (input.premiumP2 !== undefined) state.licences.premiumP2 = input.premiumP2 === true;
    return jsonResponse(200, state.licences);
  }
  if (path === '/_sandbox/entra/pim/activate' && method === 'POST') return activate(sandbox, entra, input);
  if (path === '/_sandbox/entra/pim/approve' && method === 'POST') return approve(sandbox, entra, input);
  if (path === '/_sandbox/entra/signins' && method === 'GET') return jsonResponse(200, { value: state.signIns });
  return null;
}
