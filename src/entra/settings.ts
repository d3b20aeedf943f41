/**
 * Where and as whom iam2sso talks to Entra: tenant, client id, authority host, Graph endpoint and the kind of
 * credential. Flags win over the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_AUTHORITY_HOST,
 * IAM2SSO_GRAPH_ENDPOINT), which wins over the `entra:` section of iam2sso.yaml. Secrets are never settings:
 * they come from the environment (AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH) or the Azure CLI login.
 */
import { UsageError } from '../errors.js';

/** How iam2sso authenticates to Entra. */
export type CredentialKind = 'client-secret' | 'certificate' | 'azure-cli' | 'device-code';

/** Every credential kind, for validation and help. */
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['client-secret', 'certificate', 'azure-cli', 'device-code'];

/** The `entra:` section of iam2sso.yaml (no secrets). */
export type EntraConfig = {
  tenantId?: string;
  clientId?: string;
  graphEndpoint?: string;
  authorityHost?: string;
  credential?: CredentialKind;
};

/** Resolved connection settings. */
export type EntraSettings = {
  tenantId: string;
  clientId: string | null;
  authorityHost: string;
  graphEndpoint: string;
  credential: CredentialKind;
};

/** Entra's public cloud. */
export const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';
export const PUBLIC_GRAPH = 'https://graph.microsoft.com';

/** Graph hosts of the national clouds: each is also its own token resource. */
const NATIONAL_GRAPH_HOSTS = ['graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];

/** The token scope for a Graph endpoint: its own resource in a national cloud, the global Graph otherwise. */
export function graphScope(graphEndpoint: string): string {
  const host = new URL(graphEndpoint).hostname;
  return NATIONAL_GRAPH_HOSTS.includes(host) ? `https://${host}/.default` : `${PUBLIC_GRAPH}/.default`;
}

function httpsUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} must be a URL, not "${value}"`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`${what} must be an https URL (Entra refuses others): ${value}`);
  return value.replace(/\/+$/, '');
}

function defaultCredential(env: NodeJS.ProcessEnv): CredentialKind {
  if (env.AZURE_CLIENT_SECRET) return 'client-secret';
  if (env.AZURE_CLIENT_CERTIFICATE_PATH) return 'certificate';
  return 'azure-cli';
}

/**
 * How a missing setting is explained: `flags` when the command has --tenant-id and --client-id (the `entra`
 * commands; no other command has them, so no other message names them), and why the command needs Entra.
 */
export type SettingsContext = { flags?: boolean; why?: string };

/** Resolves settings from flags, environment and file; a missing tenant or client id is a usage error. */
export function resolveEntraSettings(
  file: EntraConfig | undefined,
  env: NodeJS.ProcessEnv,
  flags: Partial<EntraSettings> = {},
  context: SettingsContext = {},
): EntraSettings {
  const credential = flags.credential ?? file?.credential ?? defaultCredential(env);
  const tenantId = flags.tenantId ?? env.AZURE_TENANT_ID ?? file?.tenantId;
  const clientId = flags.clientId ?? env.AZURE_CLIENT_ID ?? file?.clientId ?? null;
  const why = context.why ? ` (${context.why})` : '';
  if (!tenantId) {
    throw new UsageError(
      `no Entra tenant: set AZURE_TENANT_ID or entra.tenantId in iam2sso.yaml${context.flags ? ', or pass --tenant-id' : ''}${why}`,
    );
  }
  if (!clientId && (credential === 'client-secret' || credential === 'certificate' || credential === 'device-code')) {
    throw new UsageError(
      `the ${credential} credential needs the app's client id: set AZURE_CLIENT_ID or entra.clientId in iam2sso.yaml${context.flags ? ', or pass --client-id' : ''}${why}`,
    );
  }
  return {
    tenantId,
    clientId,
    credential,
    authorityHost: httpsUrl(
      flags.authorityHost ?? env.AZURE_AUTHORITY_HOST ?? file?.authorityHost ?? PUBLIC_AUTHORITY,
      'the authority host',
    ),
    graphEndpoint: httpsUrl(
      flags.graphEndpoint ?? env.IAM2SSO_GRAPH_ENDPOINT ?? file?.graphEndpoint ?? PUBLIC_GRAPH,
      'the Graph endpoint',
    ),
  };
}
