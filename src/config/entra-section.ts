/**
 * The `entra:` section of iam2sso.yaml: where the tenant is and how to sign in, never a secret.
 *
 *     entra:
 *       tenantId: 00000000-0000-0000-0000-000000000000
 *       clientId: 11111111-1111-1111-1111-111111111111
 *       credential: client-secret    # certificate | azure-cli | device-code
 *       graphEndpoint: https://graph.microsoft.com
 *       authorityHost: https://login.microsoftonline.com
 *
 * Secrets come from the environment (AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH) or the Azure CLI
 * login; a secret written in the file is refused with the variable to use instead.
 */
import { CREDENTIAL_KINDS, type CredentialKind, type EntraConfig } from '../entra/settings.js';
import type { ConfigSection } from './config.js';
import { problem, readEnum, readMap, readString } from './read.js';

const KEYS = ['tenantId', 'clientId', 'credential', 'graphEndpoint', 'authorityHost'];

/** Keys that would hold a secret, and where the secret belongs instead. */
const SECRET_KEYS: Record<string, string> = {
  clientSecret: 'AZURE_CLIENT_SECRET',
  secret: 'AZURE_CLIENT_SECRET',
  password: 'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  certificatePassword: 'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  certificate: 'AZURE_CLIENT_CERTIFICATE_PATH',
  certificatePath: 'AZURE_CLIENT_CERTIFICATE_PATH',
  scimToken: 'IAM2SSO_SCIM_TOKEN',
};

/** Reads `entra:` into `config.entra`. */
export const entraSection: ConfigSection = {
  key: 'entra',
  read(ctx, node, config) {
    const known = [...KEYS, ...Object.keys(SECRET_KEYS)];
    const m = readMap(ctx, node, 'entra', known);
    if (!m) return;
    const entra: EntraConfig = {};
    for (const [key, entry] of m) {
      if (SECRET_KEYS[key]) {
        problem(
          ctx,
          entry.key,
          `entra.${key}: secrets are never read from the file; set ${SECRET_KEYS[key]} in the environment instead (and remove it from this file)`,
        );
        continue;
      }
      if (key === 'credential') {
        const kind = readEnum<CredentialKind>(ctx, entry.value, 'entra.credential', CREDENTIAL_KINDS);
        if (kind) entra.credential = kind;
        continue;
      }
      const value = readString(ctx, entry.value, `entra.${key}`);
      if (value === undefined) continue;
      if ((key === 'graphEndpoint' || key === 'authorityHost') && !/^https:\/\/[^/\s]+/.test(value)) {
        problem(ctx, entry.value, `entra.${key} must be an https URL`);
        continue;
      }
      entra[key as 'tenantId' | 'clientId' | 'graphEndpoint' | 'authorityHost'] = value;
    }
    config.entra = entra;
  },
};
