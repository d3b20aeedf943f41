/**
 * The @azure/identity credential for the configured kind. Secrets are read from the environment here and
 * nowhere else: AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH (PEM with the private key) and
 * AZURE_CLIENT_CERTIFICATE_PASSWORD. They are handed to the credential and never printed or stored.
 */
import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
} from '@azure/identity';
import { UsageError } from '../errors.js';
import type { EntraSettings } from './settings.js';

/** Transport options shared by every credential kind. */
export type CredentialTransport = {
  /** An agent trusting extra CAs (see https-transport.ts); otherwise Node's defaults and NODE_EXTRA_CA_CERTS. */
  agent?: Agent;
  /** Where the device code prompt goes (stderr in the CLI). */
  prompt?: (message: string) => void;
};

/** Entra's own authority hosts (public and national clouds): msal asks them for instance discovery. */
const MICROSOFT_AUTHORITIES = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
];

function required(env: NodeJS.ProcessEnv, name: string, kind: string): string {
  const value = env[name];
  if (!value) throw new UsageError(`the ${kind} credential reads ${name} from the environment, and it is not set`);
  return value;
}

/** Builds the credential; a missing secret is a usage error naming the environment variable. */
export function createCredential(
  settings: EntraSettings,
  env: NodeJS.ProcessEnv,
  transport: CredentialTransport = {},
): TokenCredential {
  const common = {
    authorityHost: settings.authorityHost,
    // Another authority (Azure Stack, a private cloud, the sandbox) has no Microsoft instance discovery.
    disableInstanceDiscovery: !MICROSOFT_AUTHORITIES.includes(new URL(settings.authorityHost).hostname),
    ...(transport.agent ? { agent: transport.agent } : {}),
  };
  const clientId = settings.clientId ?? '';
  switch (settings.credential) {
    case 'client-secret':
      return new ClientSecretCredential(
        settings.tenantId,
        clientId,
        required(env, 'AZURE_CLIENT_SECRET', 'client-secret'),
        common,
      );
    case 'certificate':
      return new ClientCertificateCredential(
        settings.tenantId,
        clientId,
        {
          certificatePath: required(env, 'AZURE_CLIENT_CERTIFICATE_PATH', 'certificate'),
          ...(env.AZURE_CLIENT_CERTIFICATE_PASSWORD
            ? { certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD }
            : {}),
        },
        common,
      );
    case 'azure-cli':
      return new AzureCliCredential({ tenantId: settings.tenantId });
    case 'device-code':
      return new DeviceCodeCredential({
        ...common,
        tenantId: settings.tenantId,
        clientId,
        userPromptCallback: (info) =>
          (transport.prompt ?? ((m: string) => process.stderr.write(`${m}\n`)))(info.message),
      });
  }
}
