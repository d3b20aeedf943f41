/**
 * Entra clients for the sandbox tests: @azure/identity's ClientSecretCredential against the sandbox authority,
 * and the Microsoft Graph JavaScript client with its own middleware (authentication, retry, redirect,
 * telemetry). Both reach the sandbox's HTTPS front; the only non-default piece is the last middleware, which
 * sends the request over node:https trusting the sandbox's self-signed certificate (Node 20's fetch cannot
 * be given a CA without the undici package).
 */
import { request as httpsRequest } from 'node:https';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { RunningSandbox } from '../src/index.js';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

type Entra = NonNullable<RunningSandbox['info']['entra']>;

/** The sandbox's Entra info (fails the test when the sandbox has no tenant). */
export function entraInfo(sandbox: RunningSandbox): Entra {
  if (!sandbox.info.entra) throw new Error('sandbox has no Entra tenant');
  return sandbox.info.entra;
}

/** ClientSecretCredential as the product would build it for the sandbox (https authority, no instance discovery). */
export function sandboxCredential(sandbox: RunningSandbox, secret?: string): ClientSecretCredential {
  const entra = entraInfo(sandbox);
  return new ClientSecretCredential(entra.tenantId, entra.clientId, secret ?? entra.clientSecret, {
    authorityHost: entra.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: entra.tlsCertificatePem },
    retryOptions: { maxRetries: 0 },
  });
}

type FetchContext = { request: string | Request; options?: RequestInit; response?: Response };

/** The Graph client's last middleware: the HTTP call, over node:https with the sandbox CA trusted. */
class SandboxHttpsHandler {
  constructor(private readonly ca: string) {}

  async execute(context: FetchContext): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = context.options ?? {};
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const body = options.body === undefined || options.body === null ? undefined : String(options.body);
    context.response = await new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(url, { method: options.method ?? 'GET', headers, ca: this.ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, String(v));
          const status = res.statusCode ?? 500;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, headers: responseHeaders }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

/** A Graph client on the sandbox: real auth provider, retry handler (honours Retry-After), redirect, telemetry. */
export function sandboxGraphClient(
  sandbox: RunningSandbox,
  credential: TokenCredential = sandboxCredential(sandbox),
  retry: RetryHandlerOptions = new RetryHandlerOptions(),
): Client {
  const entra = entraInfo(sandbox);
  const auth = new AuthenticationHandler(
    new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }),
  );
  const retryHandler = new RetryHandler(retry);
  const redirect = new RedirectHandler(new RedirectHandlerOptions());
  const telemetry = new TelemetryHandler();
  auth.setNext(retryHandler);
  retryHandler.setNext(redirect);
  redirect.setNext(telemetry);
  telemetry.setNext(new SandboxHttpsHandler(entra.tlsCertificatePem));
  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: `${entra.graphEndpoint}/`,
    customHosts: new Set([new URL(entra.graphEndpoint).hostname]),
  });
}

/** Calls a sandbox endpoint over plain HTTP (control API, raw token requests). */
export async function sandboxFetch(sandbox: RunningSandbox, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sandbox.info.endpoint}${path}`, init);
}

/** POSTs JSON to a `/_sandbox/entra/` knob. */
export async function entraControl(sandbox: RunningSandbox, path: string, body: unknown): Promise<unknown> {
  const res = await sandboxFetch(sandbox, `/_sandbox/entra/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}
