/**
 * The sandbox's own control API under `/_sandbox/`: read the manifest, move the virtual clock,
 * change injected faults. Not part of any cloud; tests and the demo use it.
 */

import type { SandboxContext } from './sandbox-context.js';
import type { Route, SandboxResponse } from './server/http-types.js';

function json(status: number, value: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export function createControlRoute(sandbox: SandboxContext): Route {
  return {
    name: 'control',
    matches: (request) => request.url.pathname.startsWith('/_sandbox/'),
    handle: (request) => {
      const path = request.url.pathname;
      const input = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
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
