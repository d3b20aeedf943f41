/**
 * The sandbox's own Entra knobs under `/_sandbox/entra/` (not part of Entra): Graph throttling and its fault
 * injection, token lifetime and instantiate delay, a delta synchronization reset (delta links then answer
 * 410 Gone), the scenario's truth about people, and a test-friendly
 * SAML sign-in that returns the signed Response for a UPN and an app without a browser.
 */
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxResponse } from '../server/http-types.js';
import type { EntraState } from '../world/entra-state.js';
import { handleHardenControl } from './harden/control.js';
import { jsonResponse } from './http.js';
import { issueAssertion } from './saml/idp.js';

type Input = Record<string, unknown>;

function truthJson(entra: EntraState): unknown {
  const truth = entra.scenarioTruth;
  if (!truth) return null;
  return { ...truth, people: Object.fromEntries(truth.people) };
}

function samlAssertion(sandbox: SandboxContext, entra: EntraState, input: Input): SandboxResponse {
  const sp = [...entra.servicePrincipals.values()].find(
    (s) => !s.deletedDateTime && (s.id === input.servicePrincipalId || s.appId === input.appId),
  );
  if (!sp) return jsonResponse(404, { error: 'NotFound', message: 'no service principal with that id or appId' });
  const result = issueAssertion(entra, sp, {
    upn: String(input.upn ?? ''),
    acsUrl: typeof input.acsUrl === 'string' ? input.acsUrl : null,
    inResponseTo: typeof input.inResponseTo === 'string' ? input.inResponseTo : null,
    now: sandbox.world.clock.now(),
  });
  if (!result.ok) return jsonResponse(result.status, { error: `AADSTS${result.code}`, message: result.message });
  return jsonResponse(200, { samlResponse: result.samlResponse, acsUrl: result.acsUrl });
}

/** Answers `/_sandbox/entra/*`. */
export async function handleEntraControl(
  sandbox: SandboxContext,
  method: string,
  path: string,
  input: Input,
): Promise<SandboxResponse> {
  const entra = sandbox.world.entra;
  if (!entra) return jsonResponse(404, { error: 'NotFound', message: 'the sandbox has no Entra tenant' });
  const harden = await handleHardenControl(sandbox, entra, method, path, input);
  if (harden) return harden;
  if (path === '/_sandbox/entra/throttle' && method === 'POST') {
    const current = entra.graphThrottle ?? { limit: null, windowMs: 10_000, retryAfterSeconds: 2, failNext: 0 };
    entra.graphThrottle = { ...current, ...(input as Partial<typeof current>) };
    return jsonResponse(200, entra.graphThrottle);
  }
  if (path === '/_sandbox/entra/settings' && method === 'POST') {
    if (input.tokenLifetimeSeconds !== undefined) entra.tokenLifetimeSeconds = Number(input.tokenLifetimeSeconds);
    if (input.instantiateDelayMs !== undefined) entra.instantiateDelayMs = Number(input.instantiateDelayMs);
    return jsonResponse(200, {
      tokenLifetimeSeconds: entra.tokenLifetimeSeconds ?? 3599,
      instantiateDelayMs: entra.instantiateDelayMs ?? 5000,
    });
  }
  if (path === '/_sandbox/entra/delta-reset' && method === 'POST') {
    // A synchronization reset: every delta link issued so far answers 410 Gone.
    entra.deltaGeneration = (entra.deltaGeneration ?? 0) + 1;
    return jsonResponse(200, { deltaGeneration: entra.deltaGeneration });
  }
  if (path === '/_sandbox/entra/truth' && method === 'GET') return jsonResponse(200, truthJson(entra));
  if (path === '/_sandbox/entra/saml/assertion' && method === 'POST') return samlAssertion(sandbox, entra, input);
  return jsonResponse(404, { error: 'NotFound', message: `no Entra control endpoint ${method} ${path}` });
}
