/**
 * What `iam2sso doctor` reads, through the product's adapters: Organizations (feature set, delegated
 * administrators for sso.amazonaws.com), the Identity Center instance (region, Identity Store), the Entra app
 * (identifier, reply URL, signing certificates, synchronization jobs, who is assigned and how), Entra users,
 * Identity Store users, account assignments (src/verify's reader), iam2sso's own sync state, and the direct SAML
 * federation the latest audit found.
 */
import { existsSync } from 'node:fs';
import { type IdentitystoreClient, paginateListUsers } from '@aws-sdk/client-identitystore';
import {
  DescribeOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { recognizeDirectSaml } from '../core/direct-saml.js';
import type { EntraAdapter } from '../entra/adapter.js';
import type { EnterpriseApp, EntraUser, SyncJob } from '../entra/ports.js';
import { loadAuditRun } from '../store/audit-repo.js';
import { openStateDb } from '../store/db.js';
import { listOwned } from '../store/ownership-repo.js';
import type { AppAudience, StoreUserFacts } from './people.js';

/** The organization's feature set and delegated Identity Center administrators (null when unreadable). */
export async function readOrganization(
  org: OrganizationsClient,
): Promise<{ featureSet: string | null; error?: string; delegated: string[] | null }> {
  let featureSet: string | null = null;
  let error: string | undefined;
  try {
    featureSet = (await org.send(new DescribeOrganizationCommand({}))).Organization?.FeatureSet ?? null;
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  }
  let delegated: string[] | null = null;
  try {
    const out = await org.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'sso.amazonaws.com' }));
    delegated = (out.DelegatedAdministrators ?? []).map((d) => `${d.Name ?? ''} (${d.Id})`);
  } catch {
    delegated = null;
  }
  return { featureSet, error, delegated };
}

type Assignment = { principalId: string; principalType: string };

/** Who is assigned to the app, directly and through groups (direct and transitive members). */
export async function readAudience(adapter: EntraAdapter, app: EnterpriseApp): Promise<AppAudience> {
  const { items } = await adapter.graph.pages<Assignment>(
    `/servicePrincipals/${encodeURIComponent(app.servicePrincipalId)}/appRoleAssignedTo?$select=principalId,principalType,principalDisplayName`,
    'apps.read',
  );
  const groupIds = items.filter((a) => a.principalType === 'Group').map((a) => a.principalId);
  const direct = groupIds.length ? await adapter.reader.directMembersOf(groupIds) : new Map();
  const groups: AppAudience['groups'] = [];
  for (const id of groupIds) {
    const transitive = await adapter.reader.transitiveUserMembers(id);
    groups.push({
      id,
      displayName:
        (items.find((a) => a.principalId === id) as { principalDisplayName?: string } | undefined)
          ?.principalDisplayName ?? id,
      directUserIds: (direct.get(id) ?? [])
        .filter((m: { type: string }) => m.type === 'user')
        .map((m: { id: string }) => m.id),
      transitiveUserIds: transitive.map((u) => u.id),
    });
  }
  return { directUserIds: items.filter((a) => a.principalType === 'User').map((a) => a.principalId), groups };
}

/** Every Identity Store user with the attributes matching needs. */
export async function readStoreUsers(store: IdentitystoreClient, identityStoreId: string): Promise<StoreUserFacts[]> {
  const out: StoreUserFacts[] = [];
  for await (const page of paginateListUsers({ client: store }, { IdentityStoreId: identityStoreId }))
    for (const u of page.Users ?? [])
      out.push({
        id: u.UserId!,
        userName: u.UserName ?? '',
        emails: (u.Emails ?? []).map((e) => e.Value ?? '').filter(Boolean),
        externalIds: (u.ExternalIds ?? []).map((x) => x.Id ?? ''),
      });
  return out;
}

/** The last run of iam2sso sync recorded in the state database, or null (no database, no run). */
export async function lastSyncRun(statePath: string): Promise<string | null> {
  if (!existsSync(statePath)) return null;
  const db = await openStateDb(statePath);
  try {
    const row = db.prepare('SELECT MAX(last_run_at) AS last FROM sync_profiles').get() as { last: string | null };
    return row.last;
  } finally {
    db.close();
  }
}

/** Lower-cased user names of the Identity Store users the state database records as created by iam2sso. */
export async function storeUsersMadeByTool(statePath: string): Promise<Set<string>> {
  if (!existsSync(statePath)) return new Set();
  const db = await openStateDb(statePath);
  try {
    return new Set(
      listOwned(db, 'store-user')
        .filter((o) => o.origin === 'created')
        .map((o) => o.key),
    );
  } finally {
    db.close();
  }
}

export type EntraSide = { app: EnterpriseApp | null; users: EntraUser[]; jobs: SyncJob[]; audience: AppAudience };

/** The SAML providers (names) of a direct federation the latest audit found in the account (empty: none or no audit). */
export async function auditedFederation(statePath: string, accountId: string): Promise<string[]> {
  if (!existsSync(statePath)) return [];
  const db = await openStateDb(statePath);
  try {
    const account = loadAuditRun(db)?.snapshot.accounts.find((a) => a.accountId === accountId);
    const found = account ? recognizeDirectSaml(account) : null;
    return (found?.providers ?? []).map((p) => p.arn.slice(p.arn.indexOf(':saml-provider/') + 15));
  } finally {
    db.close();
  }
}
