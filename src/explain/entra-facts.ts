/**
 * The Entra half of `explain`: the person's user, the AWS IAM Identity Center enterprise app (found by its gallery
 * template under either display name the product uses), who is assigned to it (`appRoleAssignedTo` with
 * principalType, Graph v1.0), how the person belongs to each assigned group (direct members through `$batch`,
 * nested through transitiveMembers), and the app's signing certificates.
 */
import type { EntraAdapter } from '../entra/adapter.js';
import type { EnterpriseApp } from '../entra/ports.js';
import { AWS_GALLERY_TEMPLATE_ID, DEFAULT_APP_NAME } from '../entra/setup-plan.js';
import type { AppGroup, ExplainFacts } from './chain.js';

/** The display names the enterprise app goes by: entra setup's default, apply's default, and the user's. */
export function appNames(appName?: string): string[] {
  return [...new Set([appName, DEFAULT_APP_NAME, 'AWS IAM Identity Center'].filter((n): n is string => Boolean(n)))];
}

/** Finds the gallery app under the first of the names that exists. */
export async function findIdentityCenterApp(adapter: EntraAdapter, names: string[]): Promise<EnterpriseApp | null> {
  for (const name of names) {
    const [app] = await adapter.apps.findApps(name, AWS_GALLERY_TEMPLATE_ID);
    if (app) return app;
  }
  return null;
}

type Assignment = { principalId: string; principalType: string; principalDisplayName?: string };

async function appGroups(adapter: EntraAdapter, assigned: Assignment[], userId: string): Promise<AppGroup[]> {
  const groups = assigned.filter((a) => a.principalType === 'Group');
  if (!groups.length) return [];
  const direct = await adapter.reader.directMembersOf(groups.map((g) => g.principalId));
  const out: AppGroup[] = [];
  for (const g of groups) {
    let membership: AppGroup['membership'] = 'none';
    if ((direct.get(g.principalId) ?? []).some((m) => m.id === userId)) membership = 'direct';
    else if ((await adapter.reader.transitiveUserMembers(g.principalId)).some((u) => u.id === userId))
      membership = 'nested';
    out.push({ id: g.principalId, displayName: g.principalDisplayName ?? g.principalId, membership });
  }
  return out;
}

/** Reads the Entra facts of `upn`. */
export async function readEntraFacts(
  adapter: EntraAdapter,
  upn: string,
  appName?: string,
): Promise<Pick<ExplainFacts, 'entraUser' | 'app' | 'certificates'> & { entraMail: string | null }> {
  const user = await adapter.reader.findUserByUpn(upn);
  const app = await findIdentityCenterApp(adapter, appNames(appName));
  const certificates = (app?.signingCertificates ?? [])
    .map((c) => ({
      thumbprint: c.thumbprint,
      endDateTime: c.endDateTime,
      active: c.thumbprint === app?.preferredTokenSigningKeyThumbprint,
    }))
    .sort((a, b) => Number(b.active) - Number(a.active));
  if (!user || !app) {
    return {
      entraUser: user && { id: user.id, upn: user.userPrincipalName, enabled: user.accountEnabled },
      entraMail: user?.mail ?? null,
      app: app && { displayName: app.displayName, assignedUserIds: [], assignedGroups: [] },
      certificates,
    };
  }
  const { items } = await adapter.graph.pages<Assignment>(
    `/servicePrincipals/${encodeURIComponent(app.servicePrincipalId)}/appRoleAssignedTo?$select=principalId,principalType,principalDisplayName`,
    'apps.read',
  );
  return {
    entraUser: { id: user.id, upn: user.userPrincipalName, enabled: user.accountEnabled },
    entraMail: user.mail,
    app: {
      displayName: app.displayName,
      assignedUserIds: items.filter((a) => a.principalType === 'User').map((a) => a.principalId),
      assignedGroups: await appGroups(adapter, items, user.id),
    },
    certificates,
  };
}
