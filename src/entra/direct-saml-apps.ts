/**
 * The Entra side of direct SAML federation to IAM: enterprise apps in SAML mode whose app roles are AWS
 * `roleArn,providerArn` pairs (the "AWS Single-Account Access" gallery app, one per account), who is assigned each
 * role (`appRoleAssignedTo`: users and groups), and the direct user members of those groups (Entra sends a group's
 * roles to its direct members only). Service principals are listed with $select and read client side: the SAML
 * mode is not a documented $filter property.
 * Sources: Graph v1.0 servicePrincipal (appRoles, preferredSingleSignOnMode), List appRoleAssignedTo
 * (principalId, principalType, appRoleId), List group members; Microsoft's tutorial
 * saas-apps/amazon-web-service-tutorial (Role claim = user.assignedroles).
 */
import { type DirectSamlApp, parseSamlRoleValue, type SamlAppRole } from '../core/direct-saml.js';
import type { GraphApi } from './graph-client.js';
import type { DirectoryReader } from './ports.js';

type Raw = Record<string, unknown>;

/** Reads every direct-federation app with its role holders (UPNs). */
export async function readDirectSamlApps(graph: GraphApi, reader: DirectoryReader): Promise<DirectSamlApp[]> {
  const { items } = await graph.pages<Raw>(
    '/servicePrincipals?$select=id,appId,displayName,appRoles,preferredSingleSignOnMode&$top=999',
    'apps.read',
  );
  const candidates = items.filter(
    (sp) =>
      sp.preferredSingleSignOnMode === 'saml' &&
      ((sp.appRoles as Raw[] | undefined) ?? []).some((r) => parseSamlRoleValue(r.value as string | null)),
  );
  if (candidates.length === 0) return [];
  const assigned = await Promise.all(
    candidates.map(async (sp) => {
      const { items: assignments } = await graph.pages<Raw>(
        `/servicePrincipals/${encodeURIComponent(String(sp.id))}/appRoleAssignedTo?$select=principalId,principalType,principalDisplayName,appRoleId`,
        'apps.read',
      );
      return { sp, assignments };
    }),
  );
  const groupIds = assigned.flatMap((a) =>
    a.assignments.filter((x) => x.principalType === 'Group').map((x) => String(x.principalId)),
  );
  const members = groupIds.length ? await reader.directMembersOf(groupIds) : new Map();
  const upns = new Map((await reader.listUsers()).map((u) => [u.id, u.userPrincipalName]));
  return assigned.map(({ sp, assignments }) => ({
    servicePrincipalId: String(sp.id),
    appId: String(sp.appId),
    displayName: String(sp.displayName ?? ''),
    roles: ((sp.appRoles as Raw[] | undefined) ?? []).flatMap((r): SamlAppRole[] => {
      const pair = parseSamlRoleValue(r.value as string | null);
      if (!pair) return [];
      const mine = assignments.filter((a) => a.appRoleId === r.id);
      return [
        {
          appRoleId: String(r.id),
          ...pair,
          groups: mine
            .filter((a) => a.principalType === 'Group')
            .map((a) => ({
              id: String(a.principalId),
              displayName: String(a.principalDisplayName ?? ''),
              members: ((members.get(String(a.principalId)) ?? []) as { id: string; type: string }[])
                .filter((m) => m.type === 'user' && upns.has(m.id))
                .map((m) => upns.get(m.id) as string)
                .sort(),
            })),
          users: mine
            .filter((a) => a.principalType === 'User' && upns.has(String(a.principalId)))
            .map((a) => upns.get(String(a.principalId)) as string)
            .sort(),
        },
      ];
    }),
  }));
}
