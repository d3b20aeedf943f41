/**
 * The sandbox's Conditional Access and PIM knobs under `/_sandbox/entra/` (not part of Entra): the tenant's
 * licences (`POST licences {"premiumP1": false}` makes Graph answer with its licensing 403), a person activating
 * their eligible membership as they would in the My Access portal (`POST pim/activate {upn, group, duration,
 * justification}`: the same selfActivate request Graph serves), and the sign-in log with each policy's result
 * (`GET signins`).
 */
import type { SandboxContext } from '../../sandbox-context.js';
import type { SandboxResponse } from '../../server/http-types.js';
import type { EntraState } from '../../world/entra-state.js';
import { findUser, liveGroups } from '../directory.js';
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
    // The person acts for themselves (a delegated call in Entra); the sandbox lets them through its own door.
    {
      appId: 'my-access-portal',
      tenantId: entra.tenantId,
      roles: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
    },
  );
  return jsonResponse(result.status, result.body);
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
  if (path === '/_sandbox/entra/signins' && method === 'GET') return jsonResponse(200, { value: state.signIns });
  return null;
}
