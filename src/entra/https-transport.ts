/**
 * The last link of the Graph client's middleware chain when extra certificate authorities must be trusted
 * in this process (a private cloud endpoint, a TLS-inspecting proxy, the sandbox): it sends the request with
 * node:https and an agent that trusts the system roots plus the given CAs. Without extra CAs the client's own
 * fetch-based handler is used, which honours NODE_EXTRA_CA_CERTS.
 */
import { Agent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** An https.Agent that trusts the system roots and `extraCaPem`. */
export function agentTrusting(extraCaPem: string[]): Agent {
  return new Agent({ keepAlive: true, ca: [...rootCertificates, ...extraCaPem] });
}

/** Sends one fetch-style request through `agent` and returns a fetch Response. */
export async function sendWithAgent(input: Request, agent: Agent): Promise<Response> {
  const body = ['GET', 'HEAD'].includes(input.method) ? null : Buffer.from(await input.arrayBuffer());
  const headers: Record<string, string> = {};
  input.headers.forEach((value, key) => {
    headers[key] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  return new Promise<Response>((resolve, reject) => {
    const req = httpsRequest(input.url, { method: input.method, headers, agent, signal: input.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const item of v) responseHeaders.append(k, item);
          else if (v !== undefined) responseHeaders.set(k, v);
        }
        const status = res.statusCode ?? 500;
        const noBody = status === 204 || status === 304 || input.method === 'HEAD';
        resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Terminal Graph middleware sending requests through an agent with extra trusted CAs. */
export class AgentHttpHandler implements Middleware {
  constructor(private readonly agent: Agent) {}

  async execute(context: Context): Promise<void> {
    context.response = await sendWithAgent(new Request(context.request, context.options as RequestInit), this.agent);
  }
}
