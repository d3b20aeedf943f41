/**
 * The Entra half of `audit` for direct SAML federation: when the AWS side found SAML providers with roles, read the
 * enterprise apps that federate to them (with the same Entra settings as `entra setup`). Without an Entra tenant
 * configured the audit covers the AWS side alone and says so; a Graph failure is recorded, never fatal.
 */

import { loadConfig } from '../config/config.js';
import type { DirectSamlEntra, DirectSamlFederation } from '../core/direct-saml.js';
import { UsageError } from '../errors.js';

/** The Entra apps of direct federation, or why they were not read. */
export async function readDirectSamlEntra(
  federations: DirectSamlFederation[],
  configPath: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<DirectSamlEntra | null> {
  if (federations.length === 0) return null;
  const { resolveEntraSettings } = await import('../entra/settings.js');
  let settings: ReturnType<typeof resolveEntraSettings>;
  try {
    settings = resolveEntraSettings(loadConfig(configPath).config.entra, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return {
      status: 'not-configured',
      detail: `Entra not configured (${error.message}): the apps, their app roles and who holds them were not read; this audit covers the AWS side of direct federation alone`,
    };
  }
  const { createEntraAdapter } = await import('../entra/adapter.js');
  const { readDirectSamlApps } = await import('../entra/direct-saml-apps.js');
  const adapter = createEntraAdapter({ settings, env });
  try {
    return { status: 'read', apps: await readDirectSamlApps(adapter.graph, adapter.reader) };
  } catch (error) {
    return {
      status: 'failed',
      detail: `reading the Entra apps of tenant ${settings.tenantId} failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** One line per app (or why none were read), for the audit's text output. */
export function directSamlEntraLines(entra: DirectSamlEntra | null): string[] {
  if (!entra) return [];
  if (entra.status !== 'read') return [`Entra side of direct federation not read: ${entra.detail}`];
  if (entra.apps.length === 0) return ['Entra: no enterprise app federates to these SAML providers'];
  return entra.apps.map((a) => {
    const roles = a.roles.map((r) => {
      const holders = r.groups.length + r.users.length;
      return `${r.roleArn.slice(r.roleArn.lastIndexOf('/') + 1)} (${holders} assignment${holders === 1 ? '' : 's'})`;
    });
    return `Entra app ${a.displayName}: ${roles.join(', ') || 'no AWS roles'}`;
  });
}
