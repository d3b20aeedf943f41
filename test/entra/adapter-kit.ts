/**
 * The product's Entra adapter pointed at a sandbox the way a user points it at a tenant: settings from the
 * sandbox info (https authority and Graph endpoint), the client secret from the environment, and the sandbox's
 * self-signed CA trusted in this process (a child process uses NODE_EXTRA_CA_CERTS instead).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '@iam2sso/sandbox';
import { createEntraAdapter, type EntraAdapter } from '../../src/entra/adapter.js';
import type { EntraSettings } from '../../src/entra/settings.js';

/** The sandbox's Entra info. */
export function entraOf(sandbox: RunningSandbox) {
  if (!sandbox.info.entra) throw new Error('the sandbox has no Entra tenant');
  return sandbox.info.entra;
}

/** Connection settings for the sandbox tenant. */
export function sandboxSettings(sandbox: RunningSandbox): EntraSettings {
  const e = entraOf(sandbox);
  return {
    tenantId: e.tenantId,
    clientId: e.clientId,
    authorityHost: e.authorityHost,
    graphEndpoint: e.graphEndpoint,
    credential: 'client-secret',
  };
}

/** The adapter on the sandbox (client secret credential); `sleep` can be replaced to keep tests fast. */
export function sandboxAdapter(
  sandbox: RunningSandbox,
  options: { sleep?: (ms: number) => Promise<void>; secret?: string } = {},
): EntraAdapter {
  const e = entraOf(sandbox);
  return createEntraAdapter({
    settings: sandboxSettings(sandbox),
    env: { AZURE_CLIENT_SECRET: options.secret ?? e.clientSecret },
    extraCaPem: [e.tlsCertificatePem],
    sleep: options.sleep,
  });
}

/** POSTs JSON to a sandbox control endpoint and returns the JSON answer. */
export async function control(sandbox: RunningSandbox, path: string, body: unknown = {}): Promise<unknown> {
  const res = await fetch(`${sandbox.info.endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Environment for `iam2sso entra ...` in a child process: Azure variables, the CA file, the SCIM token. */
export function entraCliEnv(sandbox: RunningSandbox, dir: string, extra: Record<string, string> = {}) {
  const e = entraOf(sandbox);
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, e.tlsCertificatePem);
  return {
    AZURE_TENANT_ID: e.tenantId,
    AZURE_CLIENT_ID: e.clientId,
    AZURE_CLIENT_SECRET: e.clientSecret,
    AZURE_AUTHORITY_HOST: e.authorityHost,
    IAM2SSO_GRAPH_ENDPOINT: e.graphEndpoint,
    NODE_EXTRA_CA_CERTS: caFile,
    ...extra,
  };
}
