/**
 * The environment a client process needs to use a running sandbox: AWS's standard variables, and, when the
 * sandbox's certificate is in a file to trust, @azure/identity's and the Graph endpoint's.
 */
import type { SandboxInfo } from './index.js';

/** Variables for `info`'s sandbox; Entra ones only with `caFile` (its endpoints are https with that certificate). */
export function sandboxClientEnv(info: SandboxInfo, caFile?: string): Record<string, string> {
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: info.endpoint,
    AWS_ACCESS_KEY_ID: info.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: info.credentials.secretAccessKey,
    AWS_REGION: info.region,
    AWS_DEFAULT_REGION: info.region,
  };
  if (info.entra && caFile) {
    Object.assign(env, {
      AZURE_TENANT_ID: info.entra.tenantId,
      AZURE_CLIENT_ID: info.entra.clientId,
      AZURE_CLIENT_SECRET: info.entra.clientSecret,
      AZURE_AUTHORITY_HOST: info.entra.authorityHost,
      IAM2SSO_GRAPH_ENDPOINT: info.entra.graphEndpoint,
      NODE_EXTRA_CA_CERTS: caFile,
    });
  }
  return env;
}
