/** The sandbox's single HTTP server: reads each request whole and hands it to the first route that claims it. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Route, SandboxRequest, SandboxResponse } from './http-types.js';

export type RunningServer = { url: string; port: number; close(): Promise<void> };

const MAX_BODY = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SandboxResponse): void {
  if (response.abort === 'reset') {
    res.socket?.resetAndDestroy();
    return;
  }
  // A request that is never answered: the socket stays open until the client gives up or the server closes.
  if (response.abort === 'timeout') return;
  const body = response.body;
  // A string body goes out in one write together with the head (a Buffer would take a second chunk).
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  res.writeHead(response.status, { ...response.headers, 'content-length': String(length) });
  res.end(body);
}

/** Starts listening on host:port (port 0 picks a free one) and resolves once the server answers. */
export async function startServer(routes: Route[], port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const rawUrl = req.url ?? '/';
      const request: SandboxRequest = {
        method: req.method ?? 'GET',
        rawUrl,
        url: new URL(rawUrl, `http://${req.headers.host ?? host}`),
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      };
      const route = routes.find((r) => r.matches(request));
      if (!route) {
        send(res, {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            error: 'NotFound',
            message: `the sandbox serves nothing at ${req.method} ${request.url.pathname}`,
          }),
        });
        return;
      }
      send(res, await route.handle(request));
    } catch (e) {
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      if (!res.headersSent)
        send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: `sandbox error: ${message}` });
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
