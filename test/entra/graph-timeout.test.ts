import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createGraphApi } from '../../src/entra/graph-client.js';

describe('Graph calls have an end', () => {
  it('a Graph endpoint that never answers fails the call with a Timeout after bounded retries', async () => {
    let requests = 0;
    const server = createServer(() => {
      requests++; // never answers
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const graph = createGraphApi({
      credential: { getToken: async () => ({ token: 'token', expiresOnTimestamp: Date.now() + 3_600_000 }) },
      graphEndpoint: `http://127.0.0.1:${port}`,
      scope: 'https://graph.microsoft.com/.default',
      timeoutMs: 200,
    });
    const started = Date.now();
    try {
      await assert.rejects(graph.get('/users', 'users.read'), (e: Error) =>
        /did not answer within 0.2 s \(3 attempts\)/.test(e.message),
      );
      assert.ok(requests >= 2, `the endpoint was asked again (${requests} requests reached it)`);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
