/**
 * The sandbox's own control API under `/_sandbox/`: read the manifest, move the virtual clock,
 * change injected faults (rates, and scoped rules under `/_sandbox/faults/rules`). Not part of any cloud; tests and the demo use it.
 */

import type { SandboxContext } from './sandbox-context.js';
import type { Route, SandboxResponse } from './server/http-types.js';
import { checkFaultRule } from './world/fault-rules.js';

function json(status: number, value: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** `/_sandbox/faults/rules`: POST adds a rule (or a list of rules), GET lists them, DELETE clears them. */
function faultRules(sandbox: SandboxContext, method: string, input: unknown): SandboxResponse {
  const rules = sandbox.world.faultRules;
  if (method === 'GET') return json(200, { rules: rules.list() });
  if (method === 'DELETE') {
    rules.clear();
    return json(200, { rules: [] });
  }
  if (method !== 'POST') return json(405, { error: 'MethodNotAllowed', message: 'GET, POST or DELETE' });
  const inputs = Array.isArray(input) ? input : [input];
  const checked = inputs.map(checkFaultRule);
  const bad = checked.find((c) => !c.ok);
  if (bad && !bad.ok) return json(400, { error: 'InvalidFaultRule', message: bad.problem });
  const added = checked.map((c) => (c.ok ? rules.add(c.rule) : undefined));
  return json(200, Array.isArray(input) ? { rules: added } : added[0]);
}

/** The route that serves `/_sandbox/` (manifest, clock, faults). */
export function createControlRoute(sandbox: SandboxContext): Route {
  return {
    name: 'control',
    matches: (request) => request.url.pathname.startsWith('/_sandbox/'),
    handle: (request) => {
      const path = request.url.pathname;
      let input: Record<string, unknown>;
      try {
        input = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
      } catch {
        return json(400, { error: 'BadRequest', message: 'the body is not JSON' });
      }
      if (path === '/_sandbox/faults/rules') return faultRules(sandbox, request.method, input);
      if (path === '/_sandbox/manifest') return json(200, sandbox.manifest);
      if (path === '/_sandbox/clock' && request.method === 'GET') return json(200, { now: sandbox.world.clock.now() });
      if (path === '/_sandbox/clock' && request.method === 'POST') {
        sandbox.world.clock.advance(Number(input.advanceMs ?? 0));
        return json(200, { now: sandbox.world.clock.now() });
      }
      if (path === '/_sandbox/faults' && request.method === 'POST') {
        sandbox.world.faults = { ...sandbox.world.faults, ...input };
        return json(200, sandbox.world.faults);
      }
      return json(404, { error: 'NotFound', message: `no control endpoint ${path}` });
    },
  };
}
