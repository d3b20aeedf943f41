/** Starts the sandbox cloud: builds the scenario's world and serves every protocol on one HTTP server. */
import { startTlsFront } from './entra/tls-front.js';
import { sandboxRoutes } from './routes.js';
import type { SandboxContext } from './sandbox-context.js';
import { buildScenario } from './scenarios/index.js';
import type { ScenarioOptions } from './scenarios/types.js';
import { startServer } from './server/server.js';
import type { FaultRuleInput } from './world/fault-rules.js';
import type { FaultConfig } from './world/world.js';

export type SandboxOptions = ScenarioOptions &
  Partial<FaultConfig> & {
    port: number;
    host?: string;
    /** Scoped fault rules in force from the start (`sandbox up --fault`). */
    faultRules?: FaultRuleInput[];
  };

/** What `sandbox up --info-file` writes: enough for any client to connect. */
export type SandboxInfo = {
  endpoint: string;
  region: string;
  managementAccountId: string;
  accounts: { id: string; name: string; email: string }[];
  credentials: { accessKeyId: string; secretAccessKey: string };
  /**
   * The Entra tenant and the app registration the product signs in as. authorityHost and graphEndpoint are
   * https (msal-node and the Graph client refuse http): trust `tlsCertificatePem` as a CA to reach them.
   */
  entra?: {
    tenantId: string;
    clientId: string;
    clientSecret: string;
    authorityHost: string;
    graphEndpoint: string;
    tlsCertificatePem: string;
    /** The same certificate as a file, for NODE_EXTRA_CA_CERTS (written by `sandbox up`). */
    tlsCertificateFile?: string;
  };
};

export type RunningSandbox = SandboxContext & { info: SandboxInfo; close(): Promise<void> };

/** Builds the world and starts serving it; resolves once the server answers. */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const built = buildScenario(options);
  built.world.faults = {
    latencyMs: options.latencyMs ?? 0,
    throttleRate: options.throttleRate ?? 0,
    errorRate: options.errorRate ?? 0,
    lookupEventsPerSecond: options.lookupEventsPerSecond,
  };
  for (const rule of options.faultRules ?? []) built.world.faultRules.add(rule);
  const context: SandboxContext = { ...built, endpoint: '' };
  const server = await startServer(sandboxRoutes(context), options.port, options.host);
  context.endpoint = server.url;
  const tls = await startTlsFront(server.port, options.host);
  const info: SandboxInfo = {
    endpoint: server.url,
    region: built.world.region,
    managementAccountId: built.manifest.managementAccountId,
    accounts: built.manifest.accounts.map(({ id, name, email }) => ({ id, name, email })),
    credentials: { ...built.operator },
  };
  const entra = built.world.entra;
  if (entra) {
    entra.httpsEndpoint = tls.url;
    entra.tlsCertificatePem = tls.certificatePem;
    const { tenantId, clientId, clientSecret } = entra;
    info.entra = {
      tenantId,
      clientId,
      clientSecret,
      authorityHost: tls.url,
      graphEndpoint: tls.url,
      tlsCertificatePem: tls.certificatePem,
    };
  }
  const close = async () => {
    await tls.close();
    await server.close();
  };
  return Object.assign(context, { info, close });
}
